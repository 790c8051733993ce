// install-latency: N sequential installs (one tenant each) through the API over HTTP, each timed
// from the POST to the installation reading `installed` — the whole directive → workflow →
// activities → database loop. p50/p95/max.
//   npm run bench:install-latency [-- --installs=20]
import { DIGEST_PACKAGE_SLUG } from '../packages/mattermost_daily_ops_digest/definition';
import { createBenchTenant, openBenchStack, waitUntil } from './lib/bench-stack';
import { distribution, elapsedMs, fmt, intSetting, now, progress, report, runBench } from './lib/measure';

async function main() {
  const installs = intSetting('installs', 20, 5);
  const stack = await openBenchStack({ worker: 'child' });
  try {
    const tenants = [];
    for (let i = 0; i <= installs; i++) tenants.push(await createBenchTenant(stack, 'lat'));
    const timings: number[] = [];
    for (const [i, tenant] of tenants.entries()) {
      const start = now();
      const res = await stack.http('POST', `/api/tenants/${tenant.slug}/installations`, tenant.tokens.owner, { package_slug: DIGEST_PACKAGE_SLUG });
      if (res.status !== 202) throw new Error(`install answered ${res.status}`);
      const id = res.body.installation.id as string;
      await waitUntil(
        async () => (await stack.admin.query(`select 1 from installations where id = $1 and status = 'installed'`, [id])).rowCount === 1,
        60_000,
        'installed',
        5,
      );
      if (i > 0) timings.push(elapsedMs(start)); // the first one warms the worker and the API
    }
    const d = distribution(timings);
    report('install-latency', { installs, request_to_installed_ms: d }, [`install request → installed: ${fmt(d)}`]);
  } finally {
    progress('stopping the stack');
    await stack.close();
  }
}

runBench(main);
