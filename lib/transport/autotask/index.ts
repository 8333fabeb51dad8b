/** Autotask REST: the client, its query filters, its records and its errors. */
export * from './client';
export * from './errors';
export * from './query';
export * from './types';
