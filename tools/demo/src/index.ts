export * from './prepare.js';
export * from './history-name.js';
export * from './progress.js';
export * from './fresh.js';
export * from './backbone.js';
