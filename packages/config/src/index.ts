export * from './repo-root.js';
export * from './config-error.js';
export * from './storage-config.js';
