export * from './jobs.queries.js';
export * from './enqueue.js';
export * from './promotion.js';
export * from './notify.js';
