// The failure alerts through real process faults (issue 14: "a worker kill and a Mattermost 503
// mid-window give no duplicate and lose no failure"), on the fault stack of the digest's
// process-fault tests (its own Postgres, Temporal dev server and the worker as a child process
// started from worker.ts, so SIGKILL is real). The window is the configured minimum (2 minutes,
// no test override: the child runs the package as shipped). Two installations side by side, one
// posting through an incoming webhook, one with a token; for each:
//   1. failures arrive, the worker is SIGKILLed while the workflow waits out the window, more
//      failures arrive while no worker runs, the worker is restarted;
//   2. when the window closes Mattermost answers 503 for a while (the post is retried);
//   3. then Mattermost records the post but holds its answer, and the worker is SIGKILLed with the
//      post in flight; more failures arrive (the next window) and the worker is restarted.
// Then: exactly one message per window at the fake, every failure in exactly one of them, one
// ledger row per window; the webhook's in-flight post is honestly `unknown` (never re-posted
// blindly), the token's is settled by its marker.
import { withTenant } from '../../../../lib/db/with-tenant';
import { waitFor, type TestTenant } from '../../../../test/helpers/db';
import { openFaultStack, type FaultStack } from '../../../../test/integration/reliability/fault-stack';
import { alertExecutions, alertsAt, alertsTenant, ingest, type FailureSpec } from './alerts-stack';

// The worker child takes a post abandoned by a dead worker as abandoned this long after its claim
// (production 90 s; the least allowed is the post attempt's 30 s + 1 s).
const STALE_CLAIM_MS = 31_000;
const WINDOW_MS = 2 * 60_000;
jest.setTimeout(480_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Side {
  name: 'webhook' | 'pat';
  channel: string;
  tenant: TestTenant;
  installationId: string;
  sent: string[];
}

describe('failure alerts through a worker SIGKILL and a Mattermost 503 outage', () => {
  let s: FaultStack;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    s = await openFaultStack({ workerEnv: { DIGEST_STALE_CLAIM_MS: String(STALE_CLAIM_MS) } });
  }, 180_000);

  afterAll(async () => {
    console.log(`alert process-fault timings (ms since the first failure): ${JSON.stringify(timings)}`);
    await s?.close();
  });

  async function send(side: Side, batch: string, n: number) {
    const failures: FailureSpec[] = Array.from({ length: n }, (_, i) => ({ source: `${side.name}-bot`, error: `${side.name} ${batch}${i + 1}` }));
    await ingest(s, side.tenant, failures);
    side.sent.push(...failures.map((f) => f.error!));
  }

  const alertsOf = (side: Side) => alertsAt(s).filter((p) => p.channelName === side.channel);

  it('posts exactly one alert per window and counts every failure', async () => {
    const sides: Side[] = [];
    for (const name of ['webhook', 'pat'] as const) {
      const { tenant, installationId } = await alertsTenant(s, { window_minutes: 2, max_alerts_per_hour: 10 }, name);
      sides.push({ name, channel: name === 'pat' ? 'town-square' : 'ops', tenant, installationId, sent: [] });
    }
    const t0 = Date.now();
    const at = (label: string) => (timings[label] = Date.now() - t0);
    for (const side of sides) await send(side, 'a', 3);
    // The workflows have planned the window (a timer in Temporal) before the kill.
    await sleep(3_000);

    // 1. SIGKILL mid-window; failures arrive while no worker runs.
    await s.worker.kill();
    at('kill_mid_window');
    for (const side of sides) await send(side, 'b', 2);
    await sleep(2_000);
    await s.worker.start();
    at('worker_back_1');
    expect(alertsAt(s)).toHaveLength(0); // the window is not over

    // 2. Mattermost answers 503 from just before the window closes, for 12 s (every route: the
    //    token's channel lookup too). Then 3. one post of each kind is recorded but not answered.
    await sleep(Math.max(0, t0 + WINDOW_MS - 4_000 - Date.now()));
    s.fake.failFor(16_000, '5xx', { status: 503 });
    at('outage_start');
    s.fake.failNext(1, 'slow', { route: 'hooks', method: 'POST', delayMs: 180_000 });
    s.fake.failNext(1, 'slow', { route: 'api', method: 'POST', path: '/api/v4/posts', delayMs: 180_000 });
    await waitFor(async () => sides.every((side) => alertsOf(side).length === 1), 90_000, 100);
    at('first_alerts_received');
    const refused = s.fake.requests().filter((r) => r.status === 503).length;
    expect(refused).toBeGreaterThanOrEqual(2); // the outage met the posts

    await s.worker.kill();
    at('kill_mid_post');
    for (const side of sides) await send(side, 'c', 2); // the next window
    await sleep(2_000);
    await s.worker.start();
    at('worker_back_2');

    // Both windows end: the first one settled after the stale-claim age, the second one posted.
    for (const side of sides) {
      await waitFor(
        async () => {
          const executions = await alertExecutions(s, side.tenant);
          return executions.length === 2 && executions.every((e) => e.status === 'succeeded' || e.status === 'failed') ? executions : undefined;
        },
        WINDOW_MS + 120_000,
        500,
      );
    }
    at('settled');
    await sleep(3_000); // nothing else is coming

    for (const side of sides) {
      const alerts = alertsOf(side);
      const executions = await alertExecutions(s, side.tenant);
      // Exactly one message per window, under that window's own marker.
      expect(alerts).toHaveLength(2);
      expect(new Set(alerts.map((a) => a.props.fleetprompt_dedupe)).size).toBe(2);
      expect(alerts[0].text).toContain('**5 failures**');
      expect(alerts[1].text).toContain('**2 failures**');
      // Every failure in exactly one alert (the alert lists up to 15).
      for (const error of side.sent) expect(alerts.filter((a) => a.text.includes(error))).toHaveLength(1);
      expect(executions.map((e) => (e.summary as { total: number }).total)).toEqual([5, 2]);
      const ledger = await withTenant(s.handle.db, side.tenant.id, (tx) =>
        tx.outboundMessage.findMany({ where: { executionId: { in: executions.map((e) => e.id) } }, orderBy: { createdAt: 'asc' } }),
      );
      expect(ledger).toHaveLength(2);
      if (side.name === 'pat') {
        // The next attempt found its own post by marker: posted, not re-posted.
        expect(executions.map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
        expect(ledger.map((l) => l.status)).toEqual(['posted', 'posted']);
      } else {
        // A webhook cannot look: the in-flight post is unknown, not posted again, and its failures
        // are not posted again either (the next window starts after it).
        expect(executions.map((e) => [e.status, e.errorKind])).toEqual([
          ['failed', 'unknown'],
          ['succeeded', null],
        ]);
        expect(ledger.map((l) => l.status)).toEqual(['unknown', 'posted']);
      }
      // Windows are contiguous: the second starts where the first ended.
      expect(executions[1].windowStart.getTime()).toBe(executions[0].windowEnd.getTime());
    }
    expect(s.worker.unexpectedExits()).toBe(0);
  });
});
