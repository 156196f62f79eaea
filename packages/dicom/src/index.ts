export * from './dcmjs-api.js';
export * from './transfer-syntax.js';
export * from './dataset-values.js';
export * from './stored-slice.js';
