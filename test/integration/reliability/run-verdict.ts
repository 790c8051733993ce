// What became of one digest run after a fault, read the way a user and an operator would: the
// API's execution (and health), the ledger, the signals of its correlation id, and the messages
// the Mattermost fake received under its dedupe marker. `expectConsistent` states the rules
// every fault must leave intact; `FaultReport` collects one table row per run.
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../../lib/db/client';
import { withTenant } from '../../../lib/db/with-tenant';
import type { FakeMattermost } from '../../fakes/mattermost-server';
import type { TestTenant } from '../../helpers/db';
import { waitFor } from '../../helpers/db';

export const TERMINAL = ['succeeded', 'failed', 'skipped'];

export function markerOf(dedupeKey: string): string {
  return createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
}

export function messagesWithKey(fake: FakeMattermost, dedupeKey: string) {
  const marker = markerOf(dedupeKey);
  return fake.received().filter((p) => p.props.fleetprompt_dedupe === marker);
}

export interface RunVerdict {
  executionId: string;
  status: string;
  errorKind: string | null;
  dedupeKey: string;
  ledger: string | null;
  messages: number;
  signals: string[];
  apiStatus: string;
}

const bearer = (tenant: TestTenant) => ({ authorization: `Bearer ${tenant.tokens.owner}` });

/** Waits (bounded) until the API shows the run in a terminal state, then reads everything about it. */
export async function settledRun(
  deps: { app: Express; db: Db; fake: FakeMattermost },
  tenant: TestTenant,
  executionId: string,
  timeoutMs: number,
): Promise<RunVerdict> {
  const shown = await waitFor(
    async () => {
      const res = await request(deps.app).get(`/api/tenants/${tenant.slug}/executions/${executionId}`).set(bearer(tenant));
      return res.status === 200 && TERMINAL.includes(res.body.status) ? res.body : undefined;
    },
    timeoutMs,
    250,
  );
  return readRun(deps, tenant, executionId, shown.status);
}

export async function readRun(deps: { db: Db; fake: FakeMattermost }, tenant: TestTenant, executionId: string, apiStatus: string): Promise<RunVerdict> {
  const { execution, ledger, signals } = await withTenant(deps.db, tenant.id, async (tx) => {
    const execution = await tx.execution.findUniqueOrThrow({ where: { id: executionId } });
    const ledger = await tx.outboundMessage.findUnique({ where: { tenantId_dedupeKey: { tenantId: tenant.id, dedupeKey: execution.dedupeKey! } } });
    const signals = await tx.signal.findMany({ where: { correlationId: execution.correlationId }, orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }] });
    return { execution, ledger, signals };
  });
  return {
    executionId,
    status: execution.status,
    errorKind: execution.errorKind,
    dedupeKey: execution.dedupeKey!,
    ledger: ledger?.status ?? null,
    messages: messagesWithKey(deps.fake, execution.dedupeKey!).length,
    signals: signals.map((s) => s.type),
    apiStatus,
  };
}

const count = (list: string[], type: string) => list.filter((t) => t === type).length;

/**
 * The rules every run must satisfy whatever fault it met: a terminal state the API shows; never
 * more than one message per dedupe key; succeeded ⇔ posted (ledger, one message, one posted
 * signal, no failed signal); failed ⇔ one failed signal, no posted signal, and a ledger that says
 * why (`unknown` may have reached Mattermost, anything else certainly did not).
 */
export function expectConsistent(v: RunVerdict): void {
  expect(TERMINAL).toContain(v.status);
  expect(v.apiStatus).toBe(v.status);
  expect(v.messages).toBeLessThanOrEqual(1);
  expect(count(v.signals, 'mattermost.digest.requested')).toBe(1);
  if (v.status === 'succeeded') {
    expect(v.ledger).toBe('posted');
    expect(v.messages).toBe(1);
    expect(count(v.signals, 'mattermost.message.posted')).toBe(1);
    expect(count(v.signals, 'mattermost.message.failed')).toBe(0);
  } else if (v.status === 'failed') {
    expect(count(v.signals, 'mattermost.message.failed')).toBe(1);
    expect(count(v.signals, 'mattermost.message.posted')).toBe(0);
    expect(v.errorKind).not.toBeNull();
    if (v.ledger !== 'unknown') expect(v.messages).toBe(0); // known not posted
  }
}

export interface FaultRow {
  fault: string;
  run: string;
  status: string;
  errorKind: string | null;
  ledger: string | null;
  delivered: number;
  duplicates: number;
  lost: number;
  note?: string;
}

/** One row per run; printed as a table when the file ends (for the report). */
export class FaultReport {
  readonly rows: FaultRow[] = [];

  add(fault: string, run: string, v: RunVerdict, note?: string): void {
    this.rows.push({
      fault,
      run,
      status: v.status,
      errorKind: v.errorKind,
      ledger: v.ledger,
      delivered: v.messages,
      duplicates: Math.max(0, v.messages - 1),
      // Lost: not terminal, or claims success without the message, or a known-unposted
      // message with no failure the user can see.
      lost: !TERMINAL.includes(v.status) || (v.status === 'succeeded' && v.messages === 0) ? 1 : 0,
      note,
    });
  }

  print(title: string): void {
    const header = '| fault | run | status | error kind | ledger | delivered | duplicates | lost | note |';
    const lines = this.rows.map(
      (r) =>
        `| ${r.fault} | ${r.run} | ${r.status} | ${r.errorKind ?? '—'} | ${r.ledger ?? '—'} | ${r.delivered} | ${r.duplicates} | ${r.lost} | ${r.note ?? ''} |`,
    );

    console.log(`${title}\n${header}\n|---|---|---|---|---|---|---|---|---|\n${lines.join('\n')}`);
  }
}
