// Every workflow the worker runs. Workflow code is deterministic: no I/O, no Node built-ins.
export { packageDirectiveWorkflow } from './package-directive';
export { signalRetentionWorkflow } from './signal-retention';
