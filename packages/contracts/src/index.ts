export * from './errors.js';
export * from './roles.js';
export * from './strategies.js';
export * from './events.js';
export * from './ids.js';
export * from './realtime-protocol.js';
