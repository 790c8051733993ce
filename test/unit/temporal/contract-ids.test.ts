// Every id builder of the Temporal contract has a parser that gives back exactly what was built,
// and no id of one kind reads as another kind.
import fc from 'fast-check';
import {
  digestScheduledRunId,
  digestScheduledWorkflowId,
  digestScheduleId,
  installDirectiveKey,
  manualDigestRunId,
  nominalTimeFromWorkflowId,
  parseDigestScheduleId,
  parseDirectiveKey,
  parseScheduledDigestCorrelationId,
  parseSignalRetentionScheduleId,
  parseWorkflowId,
  retryDigestRunId,
  scheduledDigestCorrelationId,
  signalRetentionScheduleId,
  signalRetentionWorkflowId,
  uninstallDirectiveKey,
  upgradeDirectiveKey,
  withGeneration,
} from '../../../lib/temporal/contract';

const id = fc.uuid();
/** A part of an id as the product makes them: slugs, versions, checksums, channel names. */
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,30}$/);
const generation = fc.integer({ min: 1, max: 10_000 });
const seconds = fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }).map((s) => new Date(s * 1000));
const localDate = fc
  .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('Temporal contract ids', () => {
  test('install directive keys round-trip (with any generation)', () => {
    fc.assert(
      fc.property(id, segment, segment, segment, generation, (tenantId, packageSlug, version, configChecksum, g) => {
        const key = withGeneration(installDirectiveKey({ tenantId, packageSlug, version, configChecksum }), g);
        expect(parseDirectiveKey(key)).toEqual({ directiveType: 'package.install', tenantId, packageSlug, version, configChecksum, generation: g });
        expect(parseWorkflowId(key)).toEqual({
          kind: 'directive',
          directiveType: 'package.install',
          tenantId,
          packageSlug,
          version,
          configChecksum,
          generation: g,
        });
      }),
    );
  });

  test('upgrade directive keys round-trip (with any generation)', () => {
    fc.assert(
      fc.property(id, segment, segment, segment, generation, (tenantId, packageSlug, fromVersion, toVersion, g) => {
        const key = withGeneration(upgradeDirectiveKey({ tenantId, packageSlug, fromVersion, toVersion }), g);
        expect(key.startsWith(`dir:pkg_upgrade:${tenantId}:${packageSlug}:${fromVersion}:${toVersion}`)).toBe(true);
        expect(parseWorkflowId(key)).toEqual({
          kind: 'directive',
          directiveType: 'package.upgrade',
          tenantId,
          packageSlug,
          fromVersion,
          toVersion,
          generation: g,
        });
      }),
    );
  });

  test('uninstall directive keys round-trip', () => {
    fc.assert(
      fc.property(id, id, generation, generation, (tenantId, installationId, sequence, g) => {
        const key = withGeneration(uninstallDirectiveKey({ tenantId, installationId, sequence }), g);
        expect(parseWorkflowId(key)).toEqual({ kind: 'directive', directiveType: 'package.uninstall', tenantId, installationId, sequence, generation: g });
      }),
    );
  });

  test('digest run ids round-trip, and each kind reads as itself only', () => {
    fc.assert(
      fc.property(id, id, id, seconds, (tenantId, installationId, executionId, nominal) => {
        const nominalTime = nominal.toISOString().replace('.000Z', 'Z');
        expect(parseWorkflowId(digestScheduledWorkflowId(tenantId, installationId))).toEqual({ kind: 'digest.scheduled', tenantId, installationId });
        expect(parseWorkflowId(digestScheduledRunId(tenantId, installationId, nominal))).toEqual({
          kind: 'digest.scheduled',
          tenantId,
          installationId,
          nominalTime,
        });
        expect(nominalTimeFromWorkflowId(digestScheduledRunId(tenantId, installationId, nominal))).toBe(nominalTime);
        expect(parseWorkflowId(manualDigestRunId(tenantId, executionId))).toEqual({ kind: 'digest.manual', tenantId, executionId });
        expect(parseWorkflowId(retryDigestRunId(tenantId, executionId))).toEqual({ kind: 'digest.retry', tenantId, executionId });
        expect(nominalTimeFromWorkflowId(manualDigestRunId(tenantId, executionId))).toBeUndefined();
        expect(parseDigestScheduleId(digestScheduleId(installationId))).toEqual({ installationId });
        expect(parseWorkflowId(digestScheduleId(installationId))).toBeNull();
      }),
    );
  });

  test('scheduled correlation ids round-trip and are no workflow id', () => {
    fc.assert(
      fc.property(id, localDate, segment, (tenantId, date, channelSlot) => {
        const correlationId = scheduledDigestCorrelationId(tenantId, date, channelSlot);
        expect(parseScheduledDigestCorrelationId(correlationId)).toEqual({ tenantId, localDate: date, channelSlot });
        expect(parseWorkflowId(correlationId)).toBeNull();
      }),
    );
  });

  test('signal retention ids round-trip for any task queue', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), seconds, (taskQueue, nominal) => {
        expect(parseSignalRetentionScheduleId(signalRetentionScheduleId(taskQueue))).toEqual({ taskQueue });
        const runId = `${signalRetentionWorkflowId(taskQueue)}-${nominal.toISOString().replace('.000Z', 'Z')}`;
        expect(parseWorkflowId(runId)).toEqual({ kind: 'signal.retention', taskQueue, nominalTime: nominal.toISOString().replace('.000Z', 'Z') });
      }),
    );
  });

  test('builders refuse parts that would make an id ambiguous', () => {
    const tenantId = '7f1f6a5e-43a1-4c7e-9d53-2b3f0c1a9e01';
    expect(() => installDirectiveKey({ tenantId, packageSlug: 'a:b', version: '1.0.0', configChecksum: 'x' })).toThrow(RangeError);
    expect(() => installDirectiveKey({ tenantId, packageSlug: 'a', version: '1.0.0#2', configChecksum: 'x' })).toThrow(RangeError);
    expect(() => manualDigestRunId('', 'e')).toThrow(RangeError);
    expect(() => uninstallDirectiveKey({ tenantId, installationId: 'i', sequence: 0 })).toThrow(RangeError);
    expect(() => withGeneration('dir:x', 1.5)).toThrow(RangeError);
    expect(() => scheduledDigestCorrelationId(tenantId, '2026-1-1', 'default')).toThrow(RangeError);
  });

  test('foreign and malformed ids parse to null', () => {
    for (const bad of [
      '',
      'x',
      'dir:pkg_install:t:slug',
      'dir:pkg_install:t:a:b:c#1',
      'dir:pkg_install:t:a:b:c#x',
      'digest:t:manual:',
      'digest:t:other:e',
      'temporal-sys-tq-scanner',
    ]) {
      expect(parseWorkflowId(bad)).toBeNull();
    }
  });
});
