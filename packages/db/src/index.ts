export * from './sql.js';
export * from './migrate.js';
export * from './embedded.js';
export * from './resolve-database.js';
export * from './file-store.js';
