// install-storm: CONCURRENCY identical install requests at once (one tenant, same package,
// version and config), then CONCURRENCY distinct ones (one per tenant) at once, through the
// API over HTTP. API latency p50/p95 for each storm, and the exactly-once counts: directives,
// installations, `requested` signals and Temporal workflows — 1 for the identical storm,
// CONCURRENCY for the distinct one.
//   npm run bench:install-storm [-- --concurrency=100 --installed-timeout-s=600]
// The wait for every installation to reach installed (the directive workflows, after the storm's
// answers) is bounded by --installed-timeout-s: 180 s was too short at load 20-30 on the shared
// 2-core machine (the worker's workflow tasks took over 5 s there).
import path from 'node:path';
import { DIGEST_PACKAGE_SLUG } from '../packages/mattermost_daily_ops_digest/definition';
import { createBenchTenant, openBenchStack, processCpuMs, waitUntil, type BenchStack, type BenchTenant } from './lib/bench-stack';
import { distribution, fmt, intSetting, mapLimit, progress, report, runBench, setting, sleep } from './lib/measure';
import { startProfile } from './lib/profile';

const BODY = { package_slug: DIGEST_PACKAGE_SLUG, config: { timezone: 'Europe/Berlin', schedule_time: '07:30' } };

async function storm(stack: BenchStack, requests: { tenant: BenchTenant }[], name = 'storm') {
  // CPU of this process (the API, the HTTP client, the fake) per request, from /proc.
  // BENCH_PROFILE_DIR=dir: a CPU profile of this process (the API) during each storm only.
  const profiler = setting('profile_dir') ? await startProfile() : undefined;
  const cpu0 = processCpuMs(process.pid);
  const results = await Promise.all(requests.map(({ tenant }) => stack.http('POST', `/api/tenants/${tenant.slug}/installations`, tenant.tokens.owner, BODY)));
  const apiCpuMsPerRequest = Math.round((processCpuMs(process.pid) - cpu0) / requests.length);
  if (profiler) await profiler.stop(path.join(setting('profile_dir')!, `install-storm-${name}.cpuprofile`));
  const statuses = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  return {
    ms: distribution(results.map((r) => r.ms)),
    statuses,
    created: results.filter((r) => r.body?.created === true).length,
    api_cpu_ms_per_request: apiCpuMsPerRequest,
  };
}

async function counts(stack: BenchStack, tenantIds: string[]) {
  const installedTimeoutMs = intSetting('installed_timeout_s', 600, 180) * 1000;
  await waitUntil(
    async () =>
      Number(
        (
          await stack.admin.query<{ n: string }>(`select count(*) as n from installations where tenant_id = any($1::uuid[]) and status = 'installed'`, [
            tenantIds,
          ])
        ).rows[0].n,
      ) >= tenantIds.length,
    installedTimeoutMs,
    'every installation installed',
    100,
  );
  const q = async (sql: string) => Number((await stack.admin.query<{ n: string }>(sql, [tenantIds])).rows[0].n);
  const directives = await q(`select count(*) as n from directives where tenant_id = any($1::uuid[]) and type = 'package.install'`);
  const installations = await q(`select count(*) as n from installations where tenant_id = any($1::uuid[])`);
  const requested = await q(`select count(*) as n from signals where tenant_id = any($1::uuid[]) and type = 'package.install.requested'`);
  const completed = await q(`select count(*) as n from signals where tenant_id = any($1::uuid[]) and type = 'package.install.completed'`);
  // Visibility is eventually consistent: wait until the count is stable.
  const query = `WorkflowType = 'packageDirectiveWorkflow' AND TenantId IN (${tenantIds.map((id) => `'${id}'`).join(', ')})`;
  let workflows = -1;
  for (let i = 0; i < 20; i++) {
    const n = (await stack.temporal!.client.workflow.count(query)).count;
    if (n === workflows && n >= 1) break;
    workflows = n;
    await sleep(500);
  }
  return { directives, installations, installed: installations, signals_requested: requested, signals_completed: completed, workflows };
}

async function main() {
  const concurrency = intSetting('concurrency', 100, 20);
  const stack = await openBenchStack({ worker: 'child' });
  try {
    // Warm the API (JIT, Prisma, the Temporal client) with one install that is not measured.
    const warm = await createBenchTenant(stack, 'warm');
    await storm(stack, [{ tenant: warm }]);

    const same = await createBenchTenant(stack, 'same');
    const distinct = await mapLimit(Array.from({ length: concurrency }), 10, () => createBenchTenant(stack, 'dist'));

    progress(`${concurrency} identical installs at once`);
    const identical = await storm(
      stack,
      Array.from({ length: concurrency }, () => ({ tenant: same })),
      'identical',
    );
    // Printed now: the wait for every installation below can fail on a loaded machine.
    progress(`  identical: ${fmt(identical.ms)}; statuses ${JSON.stringify(identical.statuses)}; created ${identical.created}`);
    const identicalCounts = await counts(stack, [same.id]);

    progress(`${concurrency} distinct installs at once`);
    // CPU of every part of the stack from the storm until every installation is installed: the
    // whole cost of one install (API request, directive workflow, activities, Temporal, Postgres).
    const cpu0 = stack.cpuMs();
    const different = await storm(
      stack,
      distinct.map((tenant) => ({ tenant })),
      'distinct',
    );
    progress(`  distinct: ${fmt(different.ms)}; statuses ${JSON.stringify(different.statuses)}; created ${different.created}`);
    const distinctCounts = await counts(
      stack,
      distinct.map((t) => t.id),
    );
    const cpu1 = stack.cpuMs();
    const cpuPerInstall = Object.fromEntries((Object.keys(cpu1) as (keyof typeof cpu1)[]).map((k) => [k, Math.round((cpu1[k] - cpu0[k]) / concurrency)]));

    const okIdentical = identical.created === 1 && Object.values(identicalCounts).every((n) => n === 1);
    const okDistinct = different.created === concurrency && Object.values(distinctCounts).every((n) => n === concurrency);
    report(
      'install-storm',
      {
        concurrency,
        identical: { ...identical, counts: identicalCounts, exactly_once: okIdentical },
        distinct: { ...different, counts: distinctCounts, exactly_once: okDistinct, stack_cpu_ms_per_install: cpuPerInstall },
        target: { p95_ms: 300, met: identical.ms.p95 < 300 && different.ms.p95 < 300 },
      },
      [
        `${concurrency} identical: ${fmt(identical.ms)}; statuses ${JSON.stringify(identical.statuses)}; created ${identical.created}; API CPU ${identical.api_cpu_ms_per_request} ms/request`,
        `  counts ${JSON.stringify(identicalCounts)} → exactly once: ${okIdentical ? 'yes' : 'NO'}`,
        `${concurrency} distinct: ${fmt(different.ms)}; statuses ${JSON.stringify(different.statuses)}; created ${different.created}; API CPU ${different.api_cpu_ms_per_request} ms/request`,
        `  counts ${JSON.stringify(distinctCounts)} → exactly once: ${okDistinct ? 'yes' : 'NO'}`,
        `  CPU per install, request to installed (ms; bench = API + HTTP clients): ${JSON.stringify(cpuPerInstall)}`,
        `target p95 < 300 ms: ${identical.ms.p95 < 300 && different.ms.p95 < 300 ? 'met' : 'MISSED'}`,
      ],
    );
  } finally {
    await stack.close();
  }
}

runBench(main);
