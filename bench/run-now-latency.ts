// run-now-latency: RUNS sequential "Run now" requests through the API (POST .../runs), each
// timed until its message arrives at the local Mattermost fake (the worker is a child process,
// as in production). Baseline, in the same run: the same aggregation (collectDigestStats under
// the tenant's RLS transaction) + formatting + a direct webhook POST to the fake. The ratio of
// the two is the cost of orchestration (Temporal, the execution record, signals, the ledger).
//   npm run bench:run-now-latency [-- --runs=50 --signals=30000]
import { createHash } from 'node:crypto';
import { withTenant } from '../lib/db/with-tenant';
import { collectDigestStats } from '../packages/mattermost_daily_ops_digest/collect-digest-stats';
import { formatDigest } from '../packages/mattermost_daily_ops_digest/format-digest';
import { createMattermostClient } from '../lib/mattermost';
import { createBenchTenant, installAndConnect, openBenchStack } from './lib/bench-stack';
import { distribution, elapsedMs, fmt, intSetting, now, progress, report, runBench } from './lib/measure';
import { loadSignals } from './lib/signal-load';

const marker = (dedupeKey: string) => createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);

async function main() {
  const runs = intSetting('runs', 50, 10);
  const warmup = intSetting('warmup', 3, 1);
  const signals = intSetting('signals', 30_000, 3_000);

  const stack = await openBenchStack({ worker: 'child', runNowLimitPerHour: 1_000_000 });
  try {
    const tenant = await createBenchTenant(stack, 'runnow');
    await loadSignals(stack.admin, { slots: [tenant.id], total: signals, days: 30, end: new Date() });
    await stack.admin.query('analyze signals');
    const { installationId, hookUrl } = await installAndConnect(stack, tenant);
    progress(`tenant ${tenant.slug}: ${signals.toLocaleString('en')} signals over 30 days, digest installed and connected`);

    // Every post's arrival time by its dedupe marker (the fake runs in this process, so a post
    // may land before the 202 is read: record first, look up after).
    const arrived = new Map<string, bigint>();
    const waiting = new Map<string, () => void>();
    stack.fake.onReceived((post) => {
      const m = post.props.fleetprompt_dedupe;
      if (typeof m !== 'string') return;
      arrived.set(m, now());
      waiting.get(m)?.();
    });
    const arrival = (wanted: string) =>
      new Promise<bigint>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(wanted);
          resolve(arrived.get(wanted)!);
        };
        const timer = setTimeout(() => {
          waiting.delete(wanted);
          reject(new Error('bench: a digest did not arrive within 60 s'));
        }, 60_000);
        if (arrived.has(wanted)) done();
        else waiting.set(wanted, done);
      });

    const runNowSafe = async () => {
      const t0 = now();
      const res = await stack.http('POST', `/api/tenants/${tenant.slug}/installations/${installationId}/runs`, tenant.tokens.owner, {});
      if (res.status !== 202) throw new Error(`bench: run now answered ${res.status} ${JSON.stringify(res.body)}`);
      const executionId = res.body.execution.id as string;
      const at = await arrival(marker(`mattermost_post:${tenant.id}:manual:${executionId}`));
      return { totalMs: Number(at - t0) / 1e6, apiMs: res.ms, executionId };
    };

    progress(`${warmup} warm-up run(s), then ${runs} measured`);
    for (let i = 0; i < warmup; i++) await runNowSafe();
    const total: number[] = [];
    const api: number[] = [];
    const executionIds: string[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runNowSafe();
      total.push(r.totalMs);
      api.push(r.apiMs);
      executionIds.push(r.executionId);
    }

    // Where the time goes, from the records: accepted → activity started → posted → finished.
    const stages = (
      await stack.admin.query<{ dispatch: number | null; to_posted: number | null; to_finished: number | null }>(
        `select extract(epoch from (e.started_at - e.created_at)) * 1000 as dispatch,
                extract(epoch from (o.posted_at - e.started_at)) * 1000 as to_posted,
                extract(epoch from (e.finished_at - o.posted_at)) * 1000 as to_finished
           from executions e join outbound_messages o on o.execution_id = e.id
          where e.id = any($1::uuid[])`,
        [executionIds],
      )
    ).rows;

    // Baseline: the same aggregation + format + a direct POST to the fake, no orchestration.
    const mattermost = createMattermostClient({ allowedHosts: ['127.0.0.1'], timeoutMs: 10_000 });
    const baseline: number[] = [];
    const aggregation: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = now();
      const end = new Date();
      const stats = await withTenant(stack.db.db, tenant.id, (tx) =>
        collectDigestStats(tx, {
          tenantId: tenant.id,
          tenantName: tenant.slug,
          timezone: 'UTC',
          windowStart: new Date(end.getTime() - 86_400_000),
          windowEnd: end,
        }),
      );
      const aggMs = elapsedMs(t0);
      const digest = formatDigest(stats, { maxLines: 40, includeCostEstimates: true });
      const before = stack.fake.received().length;
      await mattermost.postViaWebhook({ kind: 'webhook', webhookUrl: hookUrl }, { text: digest.text, props: { bench: `baseline-${i}` } });
      if (stack.fake.received().length <= before) throw new Error('bench: the baseline post did not arrive');
      if (i >= warmup) {
        baseline.push(elapsedMs(t0));
        aggregation.push(aggMs);
      }
    }

    const d = distribution(total);
    const b = distribution(baseline);
    const ratio = { p50: Math.round((d.p50 / b.p50) * 10) / 10, p95: Math.round((d.p95 / b.p95) * 10) / 10 };
    // The last run may still be recording when its message arrives: leave out unset stages.
    const known = (values: (number | null)[]) => values.filter((v): v is number => v !== null).map(Number);
    const st = {
      dispatch_ms: distribution(known(stages.map((s) => s.dispatch))),
      started_to_posted_ms: distribution(known(stages.map((s) => s.to_posted))),
      posted_to_finished_ms: distribution(known(stages.map((s) => s.to_finished))),
    };
    report(
      'run-now-latency',
      {
        runs,
        warmup,
        tenant_signals: signals,
        run_now_ms: d,
        api_202_ms: distribution(api),
        stages: st,
        baseline_ms: b,
        baseline_aggregation_ms: distribution(aggregation),
        orchestration_ratio: ratio,
        target: { p95_ms: 1000, met: d.p95 < 1000 },
      },
      [
        `Run now → message at the fake: ${fmt(d)}`,
        `  API answer (202): ${fmt(distribution(api))}`,
        `  execution created → first activity: p50 ${st.dispatch_ms.p50} ms; → posted: p50 ${st.started_to_posted_ms.p50} ms; posted → finished: p50 ${st.posted_to_finished_ms.p50} ms`,
        `baseline (same aggregation + direct POST): ${fmt(b)} (aggregation alone p50 ${distribution(aggregation).p50} ms)`,
        `orchestration costs ${ratio.p50}x at p50, ${ratio.p95}x at p95`,
        `target p95 < 1 s: ${d.p95 < 1000 ? 'met' : 'MISSED'}`,
      ],
    );
  } finally {
    await stack.close();
  }
}

runBench(main);
