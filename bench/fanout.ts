// fanout: TENANTS installed tenants, each connected to its own webhook of the Mattermost fake,
// whose daily schedules fire together: every Temporal Schedule is triggered at once. Measures
// the time until all messages arrived, digests per second, and the worker's memory (the worker
// is a child process; its RSS is sampled from /proc/<pid>/status every 100 ms and VmHWM, reset
// just before the trigger, gives the peak).
//   npm run bench:fanout [-- --tenants=500 --signals-per-tenant=1000]
// Worker settings under test can be passed through: BENCH_WORKER_ENV='{"KEY":"value"}'.
// Scale-out: BENCH_WORKERS=2 BENCH_API_PROCESSES=2 (bench/lib/bench-stack.ts); BENCH_WORKER_MODE=
// compiled runs node on dist/. The 5,000-tenant setting: --tenants=5000 (setup ~15-30 min here).
// Exactly once, per tenant: its webhook received exactly one scheduled digest and its ledger holds
// exactly one posted row; any tenant with 0 or 2+ is listed and the benchmark fails.
import { DIGEST_PACKAGE_SLUG } from '../packages/mattermost_daily_ops_digest/definition';
import { digestScheduledWorkflowId, digestScheduleId } from '../lib/temporal/contract';
import {
  createBenchTenant,
  installAndConnect,
  openBenchStack,
  processCpuMs,
  processMemoryMb,
  resetPeakRss,
  waitUntil,
  type BenchTenant,
} from './lib/bench-stack';
import { distribution, fmt, intSetting, machine, mapLimit, now, progress, report, runBench, setting, sleep } from './lib/measure';
import { loadSignals } from './lib/signal-load';

async function main() {
  const tenants = intSetting('tenants', 500, 20);
  const signalsPerTenant = intSetting('signals_per_tenant', 1_000, 100);
  const setupConcurrency = intSetting('setup_concurrency', tenants > 1000 ? 32 : 16, 8);
  const workerEnv = JSON.parse(setting('worker_env') ?? '{}') as Record<string, string>;

  const stack = await openBenchStack({ worker: 'child', workerEnv });
  const pid = stack.workerPid!;
  const pids = stack.workerPids;
  // RSS of the first worker, and of all workers together (with BENCH_WORKERS > 1).
  const samples: { t: number; rss: number; total: number }[] = [];
  const sampler = setInterval(() => {
    try {
      const each = pids.map((p) => processMemoryMb(p).rssMb);
      samples.push({ t: Date.now(), rss: Math.max(...each), total: Math.round(each.reduce((a, b) => a + b, 0)) });
    } catch {
      /* a worker is gone */
    }
  }, 100);
  try {
    // Far from now, so no schedule fires on its own during the benchmark.
    const at = new Date(Date.now() + 12 * 3_600_000);
    const scheduleTime = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    progress(`setting up ${tenants} tenants (install through the API, connect a webhook, schedule at ${scheduleTime} UTC)`);
    const setupStart = Date.now();
    const made: { tenant: BenchTenant; installationId: string; hookId: string }[] = await mapLimit(
      Array.from({ length: tenants }),
      setupConcurrency,
      async (_x, i) => {
        const tenant = await createBenchTenant(stack, 'fan');
        const { installationId, hookUrl } = await installAndConnect(stack, tenant, { config: { timezone: 'UTC', schedule_time: scheduleTime } });
        if ((i + 1) % (tenants > 1000 ? 500 : 50) === 0) progress(`  ${i + 1} tenants ready`);
        return { tenant, installationId, hookId: hookUrl.slice(hookUrl.lastIndexOf('/') + 1) };
      },
    );
    const setupS = (Date.now() - setupStart) / 1000;
    await loadSignals(stack.admin, { slots: made.map((m) => m.tenant.id), total: tenants * signalsPerTenant, days: 30, end: new Date() });
    await stack.admin.query('analyze signals');
    const scheduled = Number(
      (
        await stack.admin.query<{ n: string }>(
          `select count(*) as n from installations where package_slug = $1 and status = 'installed' and schedule_id is not null`,
          [DIGEST_PACKAGE_SLUG],
        )
      ).rows[0].n,
    );
    if (scheduled !== tenants) throw new Error(`bench: ${scheduled} of ${tenants} installations have a schedule`);
    progress(`setup took ${setupS.toFixed(0)} s; ${scheduled} schedules; ${(tenants * signalsPerTenant).toLocaleString('en')} signals loaded`);

    // Idle worker memory, then reset the peak so VmHWM covers the fan-out only.
    await sleep(2_000);
    const idle = processMemoryMb(pid);
    const hwmReset = pids.map(resetPeakRss).every(Boolean);
    const cpu0 = processCpuMs(pid);
    const stackCpu0 = stack.cpuMs();

    const arrivals: bigint[] = [];
    // Digest posts per webhook (one webhook per tenant), to check exactly once per tenant.
    const postsByHook = new Map<string, number>();
    stack.fake.onReceived((post) => {
      if (typeof post.props.fleetprompt_dedupe === 'string') {
        arrivals.push(now());
        if (post.hookId) postsByHook.set(post.hookId, (postsByHook.get(post.hookId) ?? 0) + 1);
      }
    });
    const t0 = now();
    const t0Wall = Date.now();
    await mapLimit(made, 100, async (m) => stack.temporal!.client.schedule.getHandle(digestScheduleId(m.installationId)).trigger());
    const triggeredMs = Number(now() - t0) / 1e6;
    progress(`triggered ${tenants} schedules in ${triggeredMs.toFixed(0)} ms; waiting for the messages`);
    await waitUntil(async () => arrivals.length >= tenants, 15 * 60_000, `all ${tenants} messages`, 50);
    const offsets = arrivals.map((a) => Number(a - t0) / 1e6);
    const allMs = Math.max(...offsets);
    const peak = processMemoryMb(pid);
    const peakEach = pids.map((p) => processMemoryMb(p).hwmMb);
    const cpuPerDigest = Math.round((processCpuMs(pid) - cpu0) / tenants);
    // Where the machine's CPU went during the fan-out, per digest (Postgres' backends that ended
    // before this read are not counted; the pool keeps them alive).
    const stackCpu1 = stack.cpuMs();
    const cpuPerDigestBy = Object.fromEntries(
      (Object.keys(stackCpu1) as (keyof typeof stackCpu1)[]).map((k) => [k, Math.round((stackCpu1[k] - stackCpu0[k]) / tenants)]),
    );
    const fanoutSamples = samples.filter((s) => s.t >= t0Wall);
    const sampledPeak = Math.max(...fanoutSamples.map((s) => s.rss));
    const sampledPeakTotal = Math.max(...fanoutSamples.map((s) => s.total));

    // Give late bookkeeping a moment, then check exactly-once: one post and one succeeded run per tenant.
    await sleep(2_000);
    const runs = (
      await stack.admin.query<{ status: string; n: string }>(`select status, count(*) as n from executions where trigger = 'scheduled' group by status`)
    ).rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: Number(r.n) }), {});
    // Where the time went: from the trigger to each run's first activity (execution created),
    // to its post, to its end.
    const stageRows = (
      await stack.admin.query<{ created: number; posted: number; finished: number }>(
        `select extract(epoch from e.created_at) * 1000 - $1::float8 as created, extract(epoch from o.posted_at) * 1000 - $1::float8 as posted,
                extract(epoch from e.finished_at) * 1000 - $1::float8 as finished
           from executions e left join outbound_messages o on o.execution_id = e.id where e.trigger = 'scheduled'`,
        [t0Wall],
      )
    ).rows;
    const stages = {
      run_started_ms: distribution(stageRows.map((r) => Number(r.created))),
      posted_ms: distribution(stageRows.map((r) => Number(r.posted))),
      finished_ms: distribution(stageRows.map((r) => Number(r.finished))),
    };
    const perTenantPosts = (await stack.admin.query<{ n: string }>(`select count(*) as n from outbound_messages where status = 'posted'`)).rows[0].n;
    // Exactly once per tenant: one post at its webhook, one posted ledger row for its installation.
    const ledger = new Map(
      (
        await stack.admin.query<{ tenant_id: string; n: string }>(
          `select tenant_id, count(*) as n from outbound_messages where status = 'posted' group by tenant_id`,
        )
      ).rows.map((r) => [r.tenant_id, Number(r.n)]),
    );
    const notOnce = made
      .map((m) => ({ tenant: m.tenant.slug, posts: postsByHook.get(m.hookId) ?? 0, ledger: ledger.get(m.tenant.id) ?? 0 }))
      .filter((x) => x.posts !== 1 || x.ledger !== 1);
    const exactlyOnce = notOnce.length === 0;
    const rate = tenants / (allMs / 1000);

    // Diagnostic: the same scheduled runs started directly by the client (no Schedule in between),
    // for a later local date so their dedupe keys are new (an earlier date than the one just
    // reported would be skipped as already reported). Separates the worker + database pipeline
    // from the server's schedule processing.
    let direct: { all_messages_ms: number; digests_per_s: number; run_started_ms: ReturnType<typeof distribution> } | null = null;
    if (setting('direct') !== '0') {
      await sleep(1_000);
      const before = arrivals.length;
      const nominal = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const d0 = now();
      const d0Wall = Date.now();
      await mapLimit(made, 100, async (m) =>
        stack.temporal!.client.workflow.start('digestRunWorkflow', {
          taskQueue: stack.taskQueue,
          workflowId: `${digestScheduledWorkflowId(m.tenant.id, m.installationId)}-${nominal}`,
          args: [{ tenantId: m.tenant.id, installationId: m.installationId, trigger: 'scheduled' as const }],
        }),
      );
      await waitUntil(async () => arrivals.length >= before + tenants, 15 * 60_000, `all ${tenants} direct-start messages`, 50);
      const directMs = Math.max(...arrivals.slice(before).map((a) => Number(a - d0) / 1e6));
      const startedRows = (
        await stack.admin.query<{ created: number }>(
          `select extract(epoch from created_at) * 1000 - $1::float8 as created from executions where trigger = 'scheduled' and created_at >= to_timestamp($1::float8 / 1000)`,
          [d0Wall],
        )
      ).rows;
      direct = {
        all_messages_ms: Math.round(directMs),
        digests_per_s: Math.round((tenants / (directMs / 1000)) * 10) / 10,
        run_started_ms: distribution(startedRows.map((r) => Number(r.created))),
      };
      progress(`direct start: all ${tenants} messages after ${(directMs / 1000).toFixed(1)} s → ${direct.digests_per_s} digests/s`);
    }
    const lifetime = processMemoryMb(pid);
    report(
      'fanout',
      {
        tenants,
        signals_per_tenant: signalsPerTenant,
        setup_s: Math.round(setupS),
        trigger_ms: Math.round(triggeredMs),
        first_message_ms: Math.round(Math.min(...offsets)),
        all_messages_ms: Math.round(allMs),
        arrival_ms: distribution(offsets),
        digests_per_s: Math.round(rate * 10) / 10,
        posts_received: arrivals.length,
        posted_ledger_rows: Number(perTenantPosts),
        scheduled_runs: runs,
        exactly_once: { ok: exactlyOnce, tenants_not_once: notOnce.length, examples: notOnce.slice(0, 5) },
        processes: { workers: pids.length, api: stack.apiPids.length },
        stages,
        direct_start: direct,
        worker: {
          cpu_ms_per_digest: cpuPerDigest,
          stack_cpu_ms_per_digest: cpuPerDigestBy,
          idle_rss_mb: idle.rssMb,
          peak_rss_sampled_mb: sampledPeak,
          peak_rss_hwm_mb: hwmReset ? peak.hwmMb : null,
          all_workers_peak_rss_hwm_mb: hwmReset ? peakEach : null,
          all_workers_peak_rss_sampled_total_mb: sampledPeakTotal,
          lifetime_hwm_mb: lifetime.hwmMb,
          env: workerEnv,
        },
        target: {
          digests_per_s: 50,
          worker_rss_idle_mb: 200,
          worker_rss_peak_mb: 300,
          met: rate >= 50 && idle.rssMb <= 200 && sampledPeak <= 300 && (!hwmReset || peak.hwmMb <= 300),
        },
      },
      [
        `${tenants} schedules triggered at once (${triggeredMs.toFixed(0)} ms to trigger them all)`,
        `first message after ${Math.min(...offsets).toFixed(0)} ms, all ${tenants} after ${(allMs / 1000).toFixed(1)} s → ${rate.toFixed(1)} digests/s`,
        `arrival offsets: ${fmt(distribution(offsets))}`,
        `runs: ${JSON.stringify(runs)}; ledger rows posted: ${perTenantPosts}; exactly once per tenant: ${exactlyOnce ? 'yes' : `NO (${notOnce.length} tenants, e.g. ${JSON.stringify(notOnce.slice(0, 3))})`}`,
        `after the trigger: runs started p50 ${stages.run_started_ms.p50} / max ${stages.run_started_ms.max} ms; posted p50 ${stages.posted_ms.p50} / max ${stages.posted_ms.max} ms`,
        ...(direct
          ? [
              `diagnostic, the same runs started directly (no Schedule): all after ${(direct.all_messages_ms / 1000).toFixed(1)} s → ${direct.digests_per_s} digests/s`,
            ]
          : []),
        `CPU per digest (user + system, from /proc): ${JSON.stringify(cpuPerDigestBy)} ms; wall time per digest ${Math.round(allMs / tenants)} ms on ${machine().nproc} cores`,
        `worker RSS: idle ${idle.rssMb} MB, peak during fan-out ${hwmReset ? `${peak.hwmMb} MB (VmHWM)` : `${sampledPeak} MB (sampled)`}, sampled peak ${sampledPeak} MB`,
        ...(pids.length > 1 || stack.apiPids.length > 0
          ? [
              `processes: ${pids.length} workers (peaks ${peakEach.join(' / ')} MB, sampled total ${sampledPeakTotal} MB), ${stack.apiPids.length || 'in-process'} API`,
            ]
          : []),
        `targets ≥ 50 digests/s, worker RSS ≤ 200 MB idle / ≤ 300 MB peak: ${rate >= 50 && idle.rssMb <= 200 && sampledPeak <= 300 ? 'met' : 'MISSED'}`,
      ],
    );
    if (!exactlyOnce) throw new Error(`bench: ${notOnce.length} tenants did not get their digest exactly once`);
  } finally {
    clearInterval(sampler);
    await stack.close();
  }
}

runBench(main);
