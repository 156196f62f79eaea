export * from './evaluation-set.rule.js';
export * from './evaluation-set.queries.js';
export * from './evaluation.service.js';
