export * from './codes.js';
export * from './errors.js';
export * from './events.js';
export * from './limits.js';
export * from './validate.js';
export * from './escape.js';
export * from './token-bucket.js';
export * from './http-status.js';
