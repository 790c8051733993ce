// The task queue the worker polls and every start and schedule targets, unless
// TEMPORAL_TASK_QUEUE says otherwise (lib/config.ts).
export const DEFAULT_TASK_QUEUE = 'fleetprompt';
