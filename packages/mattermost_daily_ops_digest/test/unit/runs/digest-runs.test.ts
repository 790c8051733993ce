// The digest's runs hook: the identities, workflow and arguments Run now and Retry start are the
// ones stored histories and production rows have (byte for byte), and a digest without a
// Mattermost connection is refused before any quota is taken.
import type { Execution, Installation } from '../../../../../lib/db/generated/client';
import { AppError } from '../../../../../lib/errors/app-error';
import { digestRuns } from '../../../runs/digest-runs';
import { manualRunIdentity } from '../../../runs/manual-run-identity';

const execution = (over: Partial<Execution>) => ({ id: 'ex-2', tenantId: 'acme', installationId: 'inst-1', ...over }) as Execution;

describe('manualRunIdentity', () => {
  it('has its own key per execution and the last 24 h as its window', () => {
    const now = new Date('2026-03-29T10:15:00Z');
    expect(manualRunIdentity({ tenantId: 'acme', executionId: 'ex-1', now })).toEqual({
      windowStart: new Date('2026-03-28T10:15:00Z'),
      windowEnd: now,
      correlationId: 'digest:acme:manual:ex-1',
      dedupeKey: 'mattermost_post:acme:manual:ex-1',
    });
  });

  it("does not share the caller's Date object", () => {
    const now = new Date('2026-03-29T10:15:00Z');
    const id = manualRunIdentity({ tenantId: 'acme', executionId: 'ex-1', now });
    now.setTime(0);
    expect(id.windowEnd.toISOString()).toBe('2026-03-29T10:15:00.000Z');
  });
});

describe('the digest runs hook', () => {
  it("records 'mattermost_digest' executions; a Run now's workflow id is its correlation id", () => {
    expect(digestRuns.executionKind).toBe('mattermost_digest');
    const now = new Date('2026-03-29T10:15:00Z');
    expect(digestRuns.manualRunIdentity({ tenantId: 'acme', executionId: 'ex-1', now })).toEqual({
      windowStart: new Date('2026-03-28T10:15:00Z'),
      windowEnd: now,
      correlationId: 'digest:acme:manual:ex-1',
      workflowId: 'digest:acme:manual:ex-1',
      dedupeKey: 'mattermost_post:acme:manual:ex-1',
    });
    expect(digestRuns.retryWorkflowId({ tenantId: 'acme', executionId: 'ex-2' })).toBe('digest:acme:retry:ex-2');
  });

  it('starts digestRunWorkflow with the input, memo and summary a manual run always had', () => {
    expect(digestRuns.runWorkflow(execution({ id: 'ex-1' }), { trigger: 'manual', acceptUnknownOutcome: false })).toEqual({
      workflowType: 'digestRunWorkflow',
      args: [{ tenantId: 'acme', installationId: 'inst-1', trigger: 'manual', executionId: 'ex-1' }],
      memo: { executionId: 'ex-1', trigger: 'manual' },
      staticSummary: 'manual digest run',
    });
    // Same keys in the same order as before the hook (the input is stored in every history).
    const retry = digestRuns.runWorkflow(execution({}), { trigger: 'retry', acceptUnknownOutcome: true });
    expect(JSON.stringify(retry.args)).toBe(
      '[{"tenantId":"acme","installationId":"inst-1","trigger":"retry","executionId":"ex-2","acceptUnknownOutcome":true}]',
    );
    expect(retry).toMatchObject({ memo: { executionId: 'ex-2', trigger: 'retry' }, staticSummary: 'retry digest run' });
  });

  it('refuses to run an installation without a Mattermost connection (NOT_CONFIGURED)', () => {
    const installation = { id: 'inst-1', credentialId: null } as Installation;
    expect(() => digestRuns.assertRunnable!(installation)).toThrow(AppError);
    expect(() => digestRuns.assertRunnable!(installation)).toThrow(/Connect Mattermost/);
    expect(() => digestRuns.assertRunnable!({ ...installation, credentialId: 'cred-1' })).not.toThrow();
  });
});
