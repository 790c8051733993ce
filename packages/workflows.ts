// The worker's workflow bundle: the core's workflows plus every package's own. One line per
// package that has workflows (packages/registry.ts lists the packages themselves).
export * from '../workflows';
export { digestRunWorkflow } from './mattermost_daily_ops_digest/workflows/digest-run';
export { failureAlertWorkflow } from './mattermost_failure_alerts/workflow';
