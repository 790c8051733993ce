// `npm run demo:activity`: feeds the demo tenant realistic activity through the HTTP ingest API
// of a running `npm start`, so the digest and the support view have real content.
//
//   npm run demo:activity                       # ~60 runs over the last 24 h
//   npm run demo:activity -- --runs 200 --hours 12
//   npm run demo:activity -- --every 20         # then a few new events every 20 s until Ctrl-C
//   npm run demo:activity -- --tenant acme --url http://127.0.0.1:3000
//
// It mints a short-lived admin API token for the tenant (as `npm run token:create` does; or
// pass one in FLEETPROMPT_TOKEN) and revokes it when done.
import { createApiToken, revokeApiToken } from '../lib/auth/api-tokens';
import { loadConfig } from '../lib/config';
import { enableAppLogin } from '../lib/db/app-login-role';
import { createDb } from '../lib/db/client';
import { withTenant } from '../lib/db/with-tenant';
import { DEMO_TENANT_SLUG } from '../lib/seed/seed-demo-tenant';
import { MAX_INGEST_BATCH } from '../api/routes/signals.schemas';
import { generateActivity, inBatches, type ActivitySummary } from './demo-activity/events';

interface Args {
  tenant: string;
  url: string;
  runs: number;
  hours: number;
  every: number;
}

function parseArgs(argv: string[], defaults: Args): Args {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--tenant') args.tenant = value;
    else if (flag === '--url') args.url = value.replace(/\/+$/, '');
    else if (flag === '--runs') args.runs = Number(value);
    else if (flag === '--hours') args.hours = Number(value);
    else if (flag === '--every') args.every = Number(value);
    else throw new Error(`unknown option ${flag} (use --tenant, --url, --runs, --hours, --every)`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1 || args.runs > 5_000) throw new Error('--runs must be 1–5000');
  if (!(args.hours > 0 && args.hours <= 24 * 29)) throw new Error('--hours must be more than 0 and at most 696 (29 days)');
  if (!(args.every >= 0)) throw new Error('--every must be seconds (0 = once)');
  return args;
}

async function withToken<T>(tenantSlug: string, fn: (token: string) => Promise<T>): Promise<T> {
  if (process.env.FLEETPROMPT_TOKEN) return fn(process.env.FLEETPROMPT_TOKEN);
  const config = loadConfig();
  // With the embedded stack running, npm start's database is reachable on EMBEDDED_PG_PORT.
  const url =
    config.DATABASE_URL ?? (await enableAppLogin(`postgresql://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/fleetprompt`, 'fleetprompt-dev'));
  const { db, close } = createDb({ url, max: 1 });
  try {
    const tenant = await db.tenant.findUnique({ where: { slug: tenantSlug } });
    if (!tenant) throw new Error(`no tenant "${tenantSlug}" (is npm start running and seeded?)`);
    const created = await withTenant(db, tenant.id, (tx) =>
      createApiToken(tx, { tenantId: tenant.id, name: 'demo-activity', role: 'admin', createdByUserId: null }),
    );
    try {
      return await fn(created.token);
    } finally {
      await withTenant(db, tenant.id, (tx) => revokeApiToken(tx, { id: created.id, actorRole: 'owner' }));
    }
  } finally {
    await close();
  }
}

async function post(args: Args, token: string, signals: unknown[]): Promise<{ accepted: number; duplicates: number }> {
  let accepted = 0;
  let duplicates = 0;
  for (const batch of inBatches(signals, MAX_INGEST_BATCH)) {
    let res: Response;
    try {
      res = await fetch(`${args.url}/api/tenants/${encodeURIComponent(args.tenant)}/signals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ signals: batch }),
      });
    } catch {
      throw new Error(`cannot reach FleetPrompt at ${args.url}: start it with npm start (or pass --url)`);
    }
    const body = (await res.json().catch(() => null)) as { accepted?: number; duplicates?: number; error?: { message: string } } | null;
    if (!res.ok) throw new Error(`ingest failed (HTTP ${res.status}): ${body?.error?.message ?? 'no details'}`);
    accepted += body?.accepted ?? 0;
    duplicates += body?.duplicates ?? 0;
  }
  return { accepted, duplicates };
}

function describe(s: ActivitySummary): string {
  return `${s.agentExecutions} agent executions (${s.agentFailures} failed, about $${s.costUsd.toFixed(2)}), ${s.workflowRuns} workflow runs (${s.workflowFailures} failed)`;
}

async function main() {
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2), {
    tenant: DEMO_TENANT_SLUG,
    url: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
    runs: 60,
    hours: 24,
    every: 0,
  });
  await withToken(args.tenant, async (token) => {
    const { signals, summary } = generateActivity({ runs: args.runs, hours: args.hours });
    const result = await post(args, token, signals);
    console.log(
      `Posted ${signals.length} signals to "${args.tenant}" (${result.accepted} new, ${result.duplicates} duplicates): ${describe(summary)} over the last ${args.hours} h.`,
    );
    console.log(`See them at ${args.url}/admin, or Run now on the digest's installation page.`);
    if (args.every <= 0) return;

    console.log(`Posting new activity every ${args.every} s; Ctrl-C to stop.`);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // Runs that just finished: a window of the last `every` seconds.
        const live = generateActivity({ runs: 1 + Math.floor(Math.random() * 3), hours: Math.max(args.every, 120) / 3600 });
        post(args, token, live.signals)
          .then((r) => console.log(`${new Date().toISOString()} +${r.accepted} signals: ${describe(live.summary)}`))
          .catch((err) => console.error(err instanceof Error ? err.message : err));
      }, args.every * 1000);
      const stop = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
