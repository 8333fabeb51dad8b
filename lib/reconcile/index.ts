/**
 * Contact Reconcile's planning: Microsoft 365 users (source) + PSA contacts (target) + options +
 * last-synced state -> one plan item per action + the next state. Pure TypeScript, no n8n.
 */
export * from './contacts';
export * from './planner';
export * from './types';
export * from './state';
export * from './options';
export * from './planItem';
export * from './report';
export * from './customers';
