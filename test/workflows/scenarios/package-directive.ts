// Every branch of packageDirectiveWorkflow, on stubbed activities.
import { ApplicationFailure } from '@temporalio/activity';
import type { DirectiveType } from '../../../lib/directives/directive-types';
import { CorrelationIdKey, installDirectiveKey, packageDirectiveWorkflow, TenantIdKey, uninstallDirectiveKey } from '../../../lib/temporal/contract';
import { activitySequence, callsOf, scenario, untilCancelled, type StubActivities } from '../support/scenario';

const TENANT = '2a7c9e1b-5d3f-4a8b-9c0d-1e2f3a4b5c6d';
const INSTALLATION = '7e6d5c4b-3a29-4180-b7c6-d5e4f3a2b1c0';
const DIRECTIVE = '9a8b7c6d-5e4f-4321-8fed-cba987654321';
const ref = { tenantId: TENANT, directiveId: DIRECTIVE };

interface DirectiveStubs {
  type?: DirectiveType;
  provision?: () => Promise<void>;
  remove?: () => Promise<void>;
}

function directiveActivities(stubs: DirectiveStubs = {}): StubActivities {
  return {
    startDirective: async () => ({ type: stubs.type ?? 'package.install', installationId: INSTALLATION }),
    provisionInstallation: stubs.provision ?? (async () => undefined),
    removeInstallationResources: stubs.remove ?? (async () => undefined),
    completeDirective: async () => undefined,
    failDirective: async () => undefined,
  };
}

function installStart(branch: string) {
  const workflowId = installDirectiveKey({ tenantId: TENANT, packageSlug: 'mattermost_daily_ops_digest', version: '1.0.0', configChecksum: branch });
  return {
    workflow: packageDirectiveWorkflow,
    args: [ref] as [typeof ref],
    workflowId,
    typedSearchAttributes: [
      { key: TenantIdKey, value: TENANT },
      { key: CorrelationIdKey, value: workflowId },
    ],
  };
}

export const packageDirectiveScenarios = [
  scenario({
    workflow: 'package-directive',
    branch: 'install-completed',
    start: installStart('install-completed'),
    activities: () => directiveActivities(),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'completed' } });
      expect(activitySequence(run)).toEqual(['startDirective', 'provisionInstallation', 'completeDirective']);
      expect(callsOf(run, 'provisionInstallation')[0].args[0]).toEqual(ref);
    },
  }),
  scenario({
    workflow: 'package-directive',
    branch: 'uninstall-completed',
    start: { ...installStart('uninstall'), workflowId: uninstallDirectiveKey({ tenantId: TENANT, installationId: INSTALLATION, sequence: 1 }) },
    activities: () => directiveActivities({ type: 'package.uninstall' }),
    check(run) {
      expect(run.outcome).toEqual({ status: 'completed', result: { status: 'completed' } });
      expect(activitySequence(run)).toEqual(['startDirective', 'removeInstallationResources', 'completeDirective']);
    },
  }),
  scenario({
    workflow: 'package-directive',
    branch: 'provision-refused',
    start: installStart('provision-refused'),
    activities: () =>
      directiveActivities({
        provision: async () => {
          throw ApplicationFailure.nonRetryable('Package mattermost_daily_ops_digest@1.0.0 is not in the registry', 'validation');
        },
      }),
    check(run) {
      expect(run.outcome).toEqual({
        status: 'failed',
        type: 'validation',
        message: 'Package mattermost_daily_ops_digest@1.0.0 is not in the registry',
        nonRetryable: true,
      });
      expect(callsOf(run, 'provisionInstallation')).toHaveLength(1);
      expect(activitySequence(run)).toEqual(['startDirective', 'provisionInstallation', 'failDirective']);
      expect(callsOf(run, 'failDirective')[0].args[0]).toEqual({
        ...ref,
        kind: 'validation',
        message: 'Package mattermost_daily_ops_digest@1.0.0 is not in the registry',
      });
    },
  }),
  scenario({
    workflow: 'package-directive',
    branch: 'provision-retries-exhausted',
    start: installStart('provision-retries-exhausted'),
    activities: () =>
      directiveActivities({
        provision: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:5432 (an internal detail)');
        },
      }),
    check(run) {
      expect(run.outcome).toEqual({
        status: 'failed',
        type: 'unknown',
        message: 'The package.install step failed after several attempts.',
        nonRetryable: true,
      });
      expect(callsOf(run, 'provisionInstallation').map((c) => c.attempt)).toEqual([1, 2, 3, 4, 5]);
      expect(run.sinkCalls.filter((c) => c.fn === 'activityRetriesExhausted').map((c) => c.input)).toEqual([
        { activityType: 'provisionInstallation', retryState: 'MAXIMUM_ATTEMPTS_REACHED' },
      ]);
      expect(callsOf(run, 'failDirective')[0].args[0]).toEqual({ ...ref, kind: 'unknown', message: 'The package.install step failed after several attempts.' });
      expect(callsOf(run, 'completeDirective')).toHaveLength(0);
    },
  }),
  scenario({
    workflow: 'package-directive',
    branch: 'uninstall-failed',
    start: { ...installStart('uninstall-failed'), workflowId: uninstallDirectiveKey({ tenantId: TENANT, installationId: INSTALLATION, sequence: 2 }) },
    activities: () =>
      directiveActivities({
        type: 'package.uninstall',
        remove: async () => {
          throw ApplicationFailure.nonRetryable('The schedule could not be deleted.', 'auth');
        },
      }),
    check(run) {
      expect(run.outcome).toMatchObject({ status: 'failed', type: 'auth' });
      expect(activitySequence(run)).toEqual(['startDirective', 'removeInstallationResources', 'failDirective']);
    },
  }),
  scenario({
    workflow: 'package-directive',
    branch: 'cancelled-mid-provision',
    start: installStart('cancelled-mid-provision'),
    activities: (checkpoints) => directiveActivities({ provision: untilCancelled(checkpoints, 'provisioning') }),
    async drive(handle, checkpoints) {
      await checkpoints.reached('provisioning');
      await handle.cancel();
    },
    check(run) {
      expect(run.outcome).toEqual({ status: 'cancelled' });
      expect(callsOf(run, 'completeDirective')).toHaveLength(0);
      // The directive does not stay `running`: it is recorded failed although the workflow was cancelled.
      expect(callsOf(run, 'failDirective').map((c) => c.args[0])).toEqual([
        { ...ref, kind: 'unknown', message: 'The package.install was cancelled before it finished.' },
      ]);
    },
  }),
];
