// Every signal type the platform emits or accepts. Code names a type from here, never a free
// string, so a typo is a compile error and the catalogue is the documentation.
export const SIGNAL_TYPES = {
  packageInstallRequested: 'package.install.requested',
  packageInstallStarted: 'package.install.started',
  packageInstallCompleted: 'package.install.completed',
  packageInstallFailed: 'package.install.failed',
  packageUninstallRequested: 'package.uninstall.requested',
  packageUninstallStarted: 'package.uninstall.started',
  packageUninstallCompleted: 'package.uninstall.completed',
  packageUninstallFailed: 'package.uninstall.failed',
  packageUpgradeRequested: 'package.upgrade.requested',
  packageUpgradeStarted: 'package.upgrade.started',
  packageUpgradeCompleted: 'package.upgrade.completed',
  packageUpgradeFailed: 'package.upgrade.failed',
  directiveRequested: 'directive.requested',
  directiveStarted: 'directive.started',
  directiveCompleted: 'directive.completed',
  directiveFailed: 'directive.failed',
  credentialConnected: 'integration.credential.connected',
  credentialRevoked: 'integration.credential.revoked',
  digestRequested: 'mattermost.digest.requested',
  digestGenerated: 'mattermost.digest.generated',
  messagePosted: 'mattermost.message.posted',
  messageFailed: 'mattermost.message.failed',
  valueDigestPosted: 'value.digest.posted',
  // The failure alerts package (packages/mattermost_failure_alerts).
  alertRequested: 'mattermost.alert.requested',
  alertDeferred: 'mattermost.alert.deferred',
  alertPosted: 'mattermost.alert.posted',
  alertFailed: 'mattermost.alert.failed',
  // Reported by tenants' own systems through the ingest API.
  agentExecutionStarted: 'agent.execution.started',
  agentExecutionCompleted: 'agent.execution.completed',
  agentExecutionFailed: 'agent.execution.failed',
  workflowRunStarted: 'workflow.run.started',
  workflowRunCompleted: 'workflow.run.completed',
  workflowRunFailed: 'workflow.run.failed',
} as const;

export type SignalType = (typeof SIGNAL_TYPES)[keyof typeof SIGNAL_TYPES];

const ALL = new Set<string>(Object.values(SIGNAL_TYPES));

export function isSignalType(value: string): value is SignalType {
  return ALL.has(value);
}

/** Types that tenants' systems may report through the ingest API. */
export const INGESTIBLE_SIGNAL_PREFIXES = ['agent.execution.', 'workflow.run.'] as const;
