// fanout: TENANTS installed tenants, each connected to its own webhook of the Mattermost fake,
// whose daily schedules fire together: every Temporal Schedule is triggered at once. Measures
// the time until all messages arrived, digests per second, and the worker's memory (the worker
// is a child process; its RSS is sampled from /proc/<pid>/status every 100 ms and VmHWM, reset
// just before the trigger, gives the peak).
//   npm run bench:fanout [-- --tenants=500 --signals-per-tenant=1000]
// Worker settings under test can be passed through: BENCH_WORKER_ENV='{"KEY":"value"}'.
import { DIGEST_PACKAGE_SLUG } from '../lib/packages/manifest';
import { digestScheduledWorkflowId, digestScheduleId } from '../lib/temporal/contract';
import { createBenchTenant, installAndConnect, openBenchStack, processCpuMs, processMemoryMb, resetPeakRss, waitUntil, type BenchTenant } from './lib/bench-stack';
import { distribution, fmt, intSetting, machine, mapLimit, now, progress, report, runBench, setting, sleep } from './lib/measure';
import { loadSignals } from './lib/signal-load';

async function main() {
  const tenants = intSetting('tenants', 500, 20);
  const signalsPerTenant = intSetting('signals_per_tenant', 1_000, 100);
  const setupConcurrency = intSetting('setup_concurrency', 16, 8);
  const workerEnv = JSON.parse(setting('worker_env') ?? '{}') as Record<string, string>;

  const stack = await openBenchStack({ worker: 'child', workerEnv });
  const pid = stack.workerPid!;
  const samples: { t: number; rss: number }[] = [];
  const sampler = setInterval(() => {
    try {
      samples.push({ t: Date.now(), rss: processMemoryMb(pid).rssMb });
    } catch {
      /* the worker is gone */
    }
  }, 100);
  try {
    // Far from now, so no schedule fires on its own during the benchmark.
    const at = new Date(Date.now() + 12 * 3_600_000);
    const scheduleTime = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    progress(`setting up ${tenants} tenants (install through the API, connect a webhook, schedule at ${scheduleTime} UTC)`);
    const setupStart = Date.now();
    const made: { tenant: BenchTenant; installationId: string }[] = await mapLimit(Array.from({ length: tenants }), setupConcurrency, async (_x, i) => {
      const tenant = await createBenchTenant(stack, 'fan');
      const { installationId } = await installAndConnect(stack, tenant, { config: { timezone: 'UTC', schedule_time: scheduleTime } });
      if ((i + 1) % 50 === 0) progress(`  ${i + 1} tenants ready`);
      return { tenant, installationId };
    });
    const setupS = (Date.now() - setupStart) / 1000;
    await loadSignals(stack.admin, { slots: made.map((m) => m.tenant.id), total: tenants * signalsPerTenant, days: 30, end: new Date() });
    await stack.admin.query('analyze signals');
    const scheduled = Number((await stack.admin.query<{ n: string }>(`select count(*) as n from installations where package_slug = $1 and status = 'installed' and schedule_id is not null`, [DIGEST_PACKAGE_SLUG])).rows[0].n);
    if (scheduled !== tenants) throw new Error(`bench: ${scheduled} of ${tenants} installations have a schedule`);
    progress(`setup took ${setupS.toFixed(0)} s; ${scheduled} schedules; ${(tenants * signalsPerTenant).toLocaleString('en')} signals loaded`);

    // Idle worker memory, then reset the peak so VmHWM covers the fan-out only.
    await sleep(2_000);
    const idle = processMemoryMb(pid);
    const hwmReset = resetPeakRss(pid);
    const cpu0 = processCpuMs(pid);
    const stackCpu0 = stack.cpuMs();

    const arrivals: bigint[] = [];
    stack.fake.onReceived((post) => {
      if (typeof post.props.fleetprompt_dedupe === 'string') arrivals.push(now());
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
    const cpuPerDigest = Math.round((processCpuMs(pid) - cpu0) / tenants);
    // Where the machine's CPU went during the fan-out, per digest (Postgres' backends that ended
    // before this read are not counted; the pool keeps them alive).
    const stackCpu1 = stack.cpuMs();
    const cpuPerDigestBy = Object.fromEntries(
      (Object.keys(stackCpu1) as (keyof typeof stackCpu1)[]).map((k) => [k, Math.round((stackCpu1[k] - stackCpu0[k]) / tenants)]),
    );
    const fanoutSamples = samples.filter((s) => s.t >= t0Wall);
    const sampledPeak = Math.max(...fanoutSamples.map((s) => s.rss));

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
    const rate = tenants / (allMs / 1000);

    // Diagnostic: the same scheduled runs started directly by the client (no Schedule in between),
    // for an earlier local date so their dedupe keys are new. Separates the worker + database
    // pipeline from the server's schedule processing.
    let direct: { all_messages_ms: number; digests_per_s: number; run_started_ms: ReturnType<typeof distribution> } | null = null;
    if (setting('direct') !== '0') {
      await sleep(1_000);
      const before = arrivals.length;
      const nominal = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
        await stack.admin.query<{ created: number }>(`select extract(epoch from created_at) * 1000 - $1::float8 as created from executions where trigger = 'scheduled' and created_at >= to_timestamp($1::float8 / 1000)`, [d0Wall])
      ).rows;
      direct = { all_messages_ms: Math.round(directMs), digests_per_s: Math.round((tenants / (directMs / 1000)) * 10) / 10, run_started_ms: distribution(startedRows.map((r) => Number(r.created))) };
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
        stages,
        direct_start: direct,
        worker: {
          cpu_ms_per_digest: cpuPerDigest,
          stack_cpu_ms_per_digest: cpuPerDigestBy,
          idle_rss_mb: idle.rssMb,
          peak_rss_sampled_mb: sampledPeak,
          peak_rss_hwm_mb: hwmReset ? peak.hwmMb : null,
          lifetime_hwm_mb: lifetime.hwmMb,
          env: workerEnv,
        },
        target: { digests_per_s: 20, worker_rss_mb: 400, met: rate >= 20 && sampledPeak < 400 && (!hwmReset || peak.hwmMb < 400) },
      },
      [
        `${tenants} schedules triggered at once (${triggeredMs.toFixed(0)} ms to trigger them all)`,
        `first message after ${Math.min(...offsets).toFixed(0)} ms, all ${tenants} after ${(allMs / 1000).toFixed(1)} s → ${rate.toFixed(1)} digests/s`,
        `arrival offsets: ${fmt(distribution(offsets))}`,
        `runs: ${JSON.stringify(runs)}; ledger rows posted: ${perTenantPosts}`,
        `after the trigger: runs started p50 ${stages.run_started_ms.p50} / max ${stages.run_started_ms.max} ms; posted p50 ${stages.posted_ms.p50} / max ${stages.posted_ms.max} ms`,
        ...(direct ? [`diagnostic, the same runs started directly (no Schedule): all after ${(direct.all_messages_ms / 1000).toFixed(1)} s → ${direct.digests_per_s} digests/s`] : []),
        `CPU per digest (user + system, from /proc): ${JSON.stringify(cpuPerDigestBy)} ms; wall time per digest ${Math.round(allMs / tenants)} ms on ${machine().nproc} cores`,
        `worker RSS: idle ${idle.rssMb} MB, peak during fan-out ${hwmReset ? `${peak.hwmMb} MB (VmHWM)` : `${sampledPeak} MB (sampled)`}, sampled peak ${sampledPeak} MB`,
        `targets ≥ 20 digests/s and worker RSS < 400 MB: ${rate >= 20 && sampledPeak < 400 ? 'met' : 'MISSED'}`,
      ],
    );
  } finally {
    clearInterval(sampler);
    await stack.close();
  }
}

runBench(main);
