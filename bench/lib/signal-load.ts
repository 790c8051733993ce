// Bulk-loads synthetic signals with INSERT ... SELECT generate_series as the superuser (the
// migration role), in time order: row g gets the tenant slots[g % slots.length] and the time
// start + g·step, so tenants' rows interleave on disk as they would when they arrive live.
// Types and payloads follow a fixed mix (hash of g): mostly agent executions and workflow
// runs (what tenants report), some lifecycle and digest signals, ~5 % failures with error kinds.
import type { Client } from 'pg';
import { progress } from './measure';

const TYPE_MIX: [string, number][] = [
  ['agent.execution.completed', 35],
  ['agent.execution.started', 20],
  ['agent.execution.failed', 3],
  ['workflow.run.started', 10],
  ['workflow.run.completed', 14],
  ['workflow.run.failed', 2],
  ['directive.requested', 1],
  ['directive.started', 1],
  ['directive.completed', 1],
  ['directive.failed', 1],
  ['package.install.requested', 1],
  ['package.install.started', 1],
  ['package.install.completed', 1],
  ['package.install.failed', 1],
  ['mattermost.digest.requested', 2],
  ['mattermost.digest.generated', 2],
  ['mattermost.message.posted', 2],
  ['integration.credential.connected', 1],
  ['value.digest.posted', 1],
];

const TYPES_BY_PERCENT: string[] = TYPE_MIX.flatMap(([type, n]) => Array<string>(n).fill(type));
if (TYPES_BY_PERCENT.length !== 100) throw new Error('signal-load: the type mix must add up to 100');

const INSERT = `
insert into signals (id, tenant_id, type, occurred_at, correlation_id, causation_id, dedupe_key, source, subject, payload, created_at)
select gen_random_uuid(), ($1::uuid[])[(g % $2::int) + 1], x.type, x.ts, 'corr-' || (g / 4), null, null, 'bench.load', 'agent:' || (g % 50),
       case
         when x.type = 'agent.execution.completed' then jsonb_build_object('cost_usd', round(((g % 1000) / 20000.0)::numeric, 4), 'duration_ms', g % 5000, 'agent', 'digest_generator')
         when x.type like '%.failed' then jsonb_build_object('error_kind', (array['timeout','rate_limit','auth','validation','network'])[1 + (g % 5)::int], 'error', 'step ' || (g % 97) || ' failed')
         else jsonb_build_object('n', g % 1000)
       end,
       x.ts
  from generate_series($3::bigint, $4::bigint) g,
       lateral (select ($5::text[])[1 + ((hashint8(g)::bigint + 2147483648) % 100)::int] as type,
                       $6::timestamptz + make_interval(secs => g * $7::double precision) as ts) x`;

export interface SignalLoad {
  /** Tenant ids by slot: row g belongs to slots[g % slots.length]. */
  slots: string[];
  total: number;
  /** The rows span [end - days, end). */
  days: number;
  end: Date;
  /** Drop the signals indexes for the load and rebuild them after (much faster for millions). */
  rebuildIndexes?: boolean;
  chunkRows?: number;
}

/** Loads the rows; returns seconds spent inserting and rebuilding indexes. */
export async function loadSignals(admin: Client, plan: SignalLoad): Promise<{ insertS: number; indexS: number; analyzeS: number }> {
  const spanS = plan.days * 86_400;
  const start = new Date(plan.end.getTime() - spanS * 1000);
  const step = spanS / plan.total;
  const chunk = plan.chunkRows ?? 500_000;
  await admin.query(`set maintenance_work_mem = '1GB'`);
  await admin.query(`set max_parallel_maintenance_workers = 2`);
  let saved: { indexname: string; indexdef: string }[] = [];
  if (plan.rebuildIndexes) {
    saved = (
      await admin.query<{ indexname: string; indexdef: string }>(
        `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'signals'`,
      )
    ).rows;
    await admin.query('alter table signals drop constraint if exists signals_pkey');
    for (const ix of saved) if (ix.indexname !== 'signals_pkey') await admin.query(`drop index if exists "${ix.indexname}"`);
  }
  const t0 = Date.now();
  for (let lo = 0; lo < plan.total; lo += chunk) {
    const hi = Math.min(plan.total, lo + chunk) - 1;
    await admin.query(INSERT, [plan.slots, plan.slots.length, lo, hi, TYPES_BY_PERCENT, start.toISOString(), step]);
    if (plan.total > chunk)
      progress(`  loaded ${(hi + 1).toLocaleString('en')} / ${plan.total.toLocaleString('en')} signals (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const insertS = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  for (const ix of saved) {
    progress(`  rebuilding ${ix.indexname}`);
    await admin.query(ix.indexdef);
    if (ix.indexname === 'signals_pkey') await admin.query('alter table signals add constraint signals_pkey primary key using index signals_pkey');
  }
  const indexS = (Date.now() - t1) / 1000;
  const t2 = Date.now();
  await admin.query('vacuum (analyze) signals');
  return { insertS, indexS, analyzeS: (Date.now() - t2) / 1000 };
}

/** Lets Postgres take big loads without a checkpoint every few seconds (bench clusters only). */
export async function tuneForBulkLoad(admin: Client): Promise<void> {
  await admin.query(`alter system set max_wal_size = '8GB'`);
  await admin.query(`select pg_reload_conf()`);
}

/** The signals of one tenant inside a window, counted by the superuser. */
export async function countSignals(admin: Client, tenantId: string, from?: Date, to?: Date): Promise<number> {
  const r = await admin.query<{ n: string }>(
    `select count(*) as n from signals where tenant_id = $1 ${from ? 'and occurred_at >= $2 and occurred_at < $3' : ''}`,
    from ? [tenantId, from, to] : [tenantId],
  );
  return Number(r.rows[0].n);
}
