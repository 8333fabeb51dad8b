/** ConnectWise Manage REST: the client, its conditions language and its errors. */
export * from './client';
export * from './conditions';
export * from './errors';
