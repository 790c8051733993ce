// signal-ingest: sustained signals per second through the ingest API (POST
// /api/tenants/:tenant/signals, batches of BATCH signals, CONCURRENCY clients in parallel for
// SECONDS), each signal with its own dedupe key as a careful reporter would send; then the rows
// actually written, counted in the database.
//   npm run bench:signal-ingest [-- --batch=500 --concurrency=4 --seconds=30]
import { createBenchTenant, openBenchStack } from './lib/bench-stack';
import { distribution, fmt, intSetting, now, progress, report, runBench } from './lib/measure';

const TYPES = [
  'agent.execution.started',
  'agent.execution.completed',
  'agent.execution.completed',
  'workflow.run.started',
  'workflow.run.completed',
  'agent.execution.failed',
];

/** One batch as the JSON text a client sends (built by hand: cheap, so the client stays light). */
function batchBody(batchNo: number, size: number, occurredAt: string): string {
  const items: string[] = [];
  for (let i = 0; i < size; i++) {
    const n = batchNo * size + i;
    const type = TYPES[n % TYPES.length];
    const payload = type.endsWith('.failed')
      ? `{"error_kind":"timeout","error":"step ${n % 97} timed out"}`
      : `{"cost_usd":${(n % 1000) / 20000},"duration_ms":${n % 5000},"agent":"support-bot"}`;
    items.push(
      `{"type":"${type}","occurred_at":"${occurredAt}","dedupe_key":"bench-${batchNo}-${i}","correlation_id":"run-${Math.floor(n / 4)}","subject":"agent:${n % 50}","source":"bench-reporter","payload":${payload}}`,
    );
  }
  return `{"signals":[${items.join(',')}]}`;
}

async function main() {
  const batch = intSetting('batch', 500, 500);
  const concurrency = intSetting('concurrency', 4, 4);
  const seconds = intSetting('seconds', 30, 5);

  const stack = await openBenchStack({ temporal: false, worker: 'none' });
  try {
    const tenant = await createBenchTenant(stack, 'ingest');
    const url = `/api/tenants/${tenant.slug}/signals`;
    const token = tenant.tokens.admin;
    const probe = await stack.http('POST', url, token, batchBody(2_000_000, 1, new Date().toISOString()));
    if (probe.status === 404) throw new Error(`bench: POST ${url} does not exist (404): the ingest API is not there yet`);
    if (probe.status !== 200 && probe.status !== 201 && probe.status !== 202)
      throw new Error(`bench: ingest answered ${probe.status} ${JSON.stringify(probe.body)}`);
    // Warm-up: a few batches, not counted.
    for (let i = 0; i < 5; i++) await stack.http('POST', url, token, batchBody(1_000_000 + i, batch, new Date().toISOString()));
    const before = Number((await stack.admin.query<{ n: string }>(`select count(*) as n from signals where tenant_id = $1`, [tenant.id])).rows[0].n);

    progress(`${concurrency} clients sending batches of ${batch} for ${seconds} s`);
    let nextBatch = 0;
    let accepted = 0;
    let sent = 0;
    const latencies: number[] = [];
    const failures: Record<string, number> = {};
    const cpu0 = stack.cpuMs();
    const t0 = now();
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          const body = batchBody(nextBatch++, batch, new Date(Date.now() - 60_000).toISOString());
          const res = await stack.http('POST', url, token, body);
          sent += batch;
          latencies.push(res.ms);
          if (res.status >= 200 && res.status < 300) accepted += Number(res.body?.accepted ?? 0);
          else failures[res.status] = (failures[res.status] ?? 0) + 1;
        }
      }),
    );
    const elapsedS = Number(now() - t0) / 1e9;
    const cpu1 = stack.cpuMs();
    // CPU µs per written signal: this process (the API and the light HTTP clients) and Postgres.
    const cpuUsPerSignal = (part: 'bench' | 'postgres', rowsWritten: number) => Math.round(((cpu1[part] - cpu0[part]) * 1000) / Math.max(1, rowsWritten));
    const rows = Number((await stack.admin.query<{ n: string }>(`select count(*) as n from signals where tenant_id = $1`, [tenant.id])).rows[0].n) - before;
    const rate = rows / elapsedS;
    const size = (
      await stack.admin.query<{ table: string; indexes: string }>(
        `select pg_size_pretty(pg_table_size('signals')) as table, pg_size_pretty(pg_indexes_size('signals')) as indexes`,
      )
    ).rows[0];
    const lat = distribution(latencies);
    report(
      'signal-ingest',
      {
        batch,
        concurrency,
        seconds: Math.round(elapsedS * 10) / 10,
        signals_sent: sent,
        signals_accepted: accepted,
        rows_written: rows,
        signals_per_s: Math.round(rate),
        batch_ms: lat,
        cpu_us_per_signal: { api_and_client: cpuUsPerSignal('bench', rows), postgres: cpuUsPerSignal('postgres', rows) },
        failures,
        table_size: size.table,
        index_size: size.indexes,
        target: { signals_per_s: 5000, met: rate >= 5000 },
      },
      [
        `${sent.toLocaleString('en')} signals sent in ${elapsedS.toFixed(1)} s by ${concurrency} clients (batches of ${batch}); ${accepted.toLocaleString('en')} accepted, ${rows.toLocaleString('en')} rows written`,
        `sustained ${Math.round(rate).toLocaleString('en')} signals/s; per batch ${fmt(lat)}${Object.keys(failures).length ? `; failures ${JSON.stringify(failures)}` : ''}`,
        `CPU per signal: API + clients ${cpuUsPerSignal('bench', rows)} µs, Postgres ${cpuUsPerSignal('postgres', rows)} µs`,
        `target ≥ 5,000 signals/s: ${rate >= 5000 ? 'met' : 'MISSED'}`,
      ],
    );
  } finally {
    await stack.close();
  }
}

runBench(main);
