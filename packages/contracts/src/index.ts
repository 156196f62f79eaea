export * from './errors.js';
export * from './roles.js';
export * from './strategies.js';
export * from './realtime-protocol.js';
