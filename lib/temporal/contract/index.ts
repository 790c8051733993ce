// The Temporal contract: what the worker registers and what starters, Schedules, logs and
// metrics agree on — workflow types with their inputs and results, the task queue default,
// search attributes, the header and sink the interceptors use, the timeouts that must agree,
// and the paired id builders and parsers. Pure: safe to import from workflow code.
export * from './ids';
export * from './log-context-header';
export * from './search-attributes';
export * from './task-queue';
export * from './telemetry-sink';
export * from './timeouts';
export * from './workflows';
