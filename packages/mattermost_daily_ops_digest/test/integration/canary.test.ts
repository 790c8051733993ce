// The canary scan: plant unique secrets (a webhook hook id and its URL, a personal access
// token, and the wrong ones a user tried), drive every path that handles them — connect, Run
// now, failing runs, a rejected reconnect, Retry — then prove none of them appears, in any
// encoding, in the database (every table, bytea included), the logs, the API's answers, or
// Temporal (histories, descriptions, failures, schedules).
import request from 'supertest';
import { Runtime } from '@temporalio/worker';
import type { Client } from 'pg';
import { withTenant } from '../../../../lib/db/with-tenant';
import { createLogger } from '../../../../lib/log/logger';
import { digestScheduleId } from '../../../../lib/temporal/contract';
import {
  captureConsole,
  captureRuntimeLogs,
  describeHits,
  dumpDatabase,
  makeCanary,
  memoryStream,
  scanForCanaries,
  scheduleSources,
  temporalSources,
  toScanText,
  type Canary,
  type ScanSource,
} from '../../../../test/helpers/canary';
import { adminClient, type TestTenant } from '../../../../test/helpers/db';
import { auth, openDigestStack, postsWithMarker, waitForExecution, type DigestStack } from '../../../../test/helpers/digest-stack';
import { installedTenant } from '../helpers/installed-digest';
import { TEST_ALLOWED_HOSTS } from '../../../../test/helpers/app';
import { startFakeOpenAi, type FakeOpenAi } from '../../../../test/fakes/openai-server';
import type { PlatformLlm } from '../../../../lib/llm/llm-provider';

jest.setTimeout(90_000);

describe('secrets never leak (canary scan)', () => {
  let s: DigestStack;
  let admin: Client;
  const appLogs = memoryStream();
  let runtimeLogs: ReturnType<typeof captureRuntimeLogs>;
  let consoleLogs: ReturnType<typeof captureConsole>;
  const responses: ScanSource[] = [];

  // The LLM summary's keys: the platform's (LLM_API_KEY) and a tenant's own, both canaries.
  const platformLlmKey = makeCanary('cnryllmp');
  let llmFake: FakeOpenAi;

  beforeAll(async () => {
    const logger = createLogger({ level: 'trace', destination: appLogs.stream });
    llmFake = await startFakeOpenAi();
    const price = { inputPer1k: 0.01, outputPer1k: 0.03 };
    const llm: PlatformLlm = {
      provider: { source: 'platform', baseUrl: llmFake.baseUrl, model: 'fake-mini', apiKey: platformLlmKey, price },
      prices: new Map([['fake-mini', price]]),
      monthlyBudgetUsd: 5,
      maxTokensPerRun: 4_000,
      timeoutMs: 1_000,
      allowedHosts: TEST_ALLOWED_HOSTS,
    };
    s = await openDigestStack({ logger, llm, appOverrides: { logger, runNowLimitPerHour: 100, llm } });
    runtimeLogs = captureRuntimeLogs(Runtime.instance().logger);
    consoleLogs = captureConsole();
    admin = await adminClient();
  });
  afterAll(async () => {
    runtimeLogs?.stop();
    consoleLogs?.stop();
    await admin?.end();
    await s?.close();
    await llmFake?.close();
  });

  /** Every API call goes through here so its whole answer (status, headers, body) is scanned. */
  async function api(tenant: TestTenant, method: 'get' | 'put' | 'post' | 'delete', url: string, body?: object) {
    let req = request(s.app)[method](url).set(auth(tenant));
    if (body !== undefined) req = req.send(body);
    const res = await req;
    responses.push({
      name: `api:${method.toUpperCase()} ${url} -> ${res.status}`,
      text: JSON.stringify({ status: res.status, headers: res.headers, body: res.text }),
    });
    return res;
  }

  /** A schedule time twelve hours away, so no scheduled run fires while the test runs. */
  function quietScheduleTime(): string {
    const at = new Date(Date.now() + 12 * 3_600_000);
    return `${String(at.getUTCHours()).padStart(2, '0')}:00`;
  }

  it('no canary appears in the database, logs, API answers or Temporal', async () => {
    const config = { timezone: 'UTC', schedule_time: quietScheduleTime() };
    const [web, pat, summarized] = await Promise.all([
      installedTenant(s, { connect: false, config }),
      installedTenant(s, { connect: false, config, channel: 'town-square' }),
      installedTenant(s, { connect: false, config: { ...config, include_llm_summary: true } }),
    ]);
    const tenantLlmKey = makeCanary('cnryllmt');
    const rejectedLlmKey = makeCanary('cnryllmr');
    const base = (t: { tenant: TestTenant; installationId: string }) => `/api/tenants/${t.tenant.slug}/installations/${t.installationId}`;
    const executionsOf = (t: TestTenant) => `/api/tenants/${t.slug}/executions`;

    const hookId = makeCanary('cnryhook');
    s.fake.createHook({ channel: 'town-square', id: hookId });
    const hookUrl = s.fake.hookUrl(hookId);
    const rejectedHookId = makeCanary('cnryrejh'); // never created at Mattermost
    const token = s.fake.createUser({ username: `canary-${hookId.slice(-6)}`, isBot: true }).token;
    s.fake.addChannelMember('town-square', `canary-${hookId.slice(-6)}`);
    const wrongToken = makeCanary('cnrywtok');
    const canaries: Canary[] = [
      { name: 'platform LLM API key', value: platformLlmKey },
      { name: 'tenant LLM API key', value: tenantLlmKey },
      { name: 'rejected tenant LLM API key', value: rejectedLlmKey },
      { name: 'webhook URL', value: hookUrl },
      { name: 'webhook hook id', value: hookId },
      { name: 'rejected webhook URL', value: s.fake.hookUrl(rejectedHookId) },
      { name: 'rejected webhook hook id', value: rejectedHookId },
      { name: 'personal access token', value: token },
      { name: 'rejected access token', value: wrongToken },
    ];

    const run = async (t: { tenant: TestTenant; installationId: string }, retryOf?: string) => {
      const res = retryOf ? await api(t.tenant, 'post', `${executionsOf(t.tenant)}/${retryOf}/retry`, {}) : await api(t.tenant, 'post', `${base(t)}/runs`, {});
      expect(res.status).toBe(202);
      return waitForExecution(s, t.tenant, res.body.execution.id, 40_000);
    };

    // The two flows run side by side: the webhook one only touches /hooks at the fake and the
    // token one only /api/v4, so each flow's injected failures hit only its own requests.
    const webFlow = async () => {
      // ---- Webhook: connect with a test post, succeed, fail every way, reject a reconnect, retry.
      const connected = await api(web.tenant, 'put', `${base(web)}/credential`, { kind: 'webhook', webhook_url: hookUrl, verify: 'test_post' });
      expect(connected.status).toBe(200);
      expect((await run(web)).status).toBe('succeeded');

      s.fake.failNext(1, '429', { route: 'hooks', retryAfterSec: 1 });
      expect((await run(web)).status).toBe('succeeded'); // retried after the server's hint

      // Generation B servers put the hook id into their 500 error message. Mattermost's own 500
      // proves nothing was posted, so the run retries and succeeds; the error went through logs.
      // Twice: the post is a local activity, whose first retry waits in the worker (nothing in the
      // history); the second waits on a durable timer, so the failure is in the history's marker.
      s.fake.failNext(2, '5xx', { route: 'hooks', status: 500 });
      const serverError = await run(web);
      expect(serverError).toMatchObject({ status: 'succeeded' });

      s.fake.failNext(1, 'drop-after-read', { route: 'hooks' });
      const dropped = await run(web);
      expect(dropped).toMatchObject({ status: 'failed', errorKind: 'unknown' });

      // …and into their invalid-hook message.
      s.fake.failNext(2, 'invalid-hook', { route: 'hooks' }); // refused, and again on the confirming attempt
      const invalidHook = await run(web);
      expect(invalidHook).toMatchObject({ status: 'failed', errorKind: 'auth' });

      const rejectedHook = await api(web.tenant, 'put', `${base(web)}/credential`, {
        kind: 'webhook',
        webhook_url: s.fake.hookUrl(rejectedHookId),
        verify: 'test_post',
      });
      expect(rejectedHook.status).toBe(422);
      expect(rejectedHook.body.error.details.kind).toBe('auth');

      expect((await run(web, dropped.id)).status).toBe('succeeded');
      expect((await run(web, invalidHook.id)).status).toBe('succeeded');
      return { connected, serverError };
    };
    const patFlow = async () => {
      // ---- Token: connect (users/me + channel lookup), succeed, fail, reject a reconnect, retry.
      const patConnected = await api(pat.tenant, 'put', `${base(pat)}/credential`, { kind: 'pat', base_url: s.fake.url, token, team: s.fake.team.name });
      expect(patConnected.status).toBe(200);
      expect((await run(pat)).status).toBe('succeeded');

      s.fake.failNext(2, 'invalid-hook', { route: 'api' }); // 401: the token is refused, and again on the confirming attempt
      const refused = await run(pat);
      expect(refused).toMatchObject({ status: 'failed', errorKind: 'auth' });

      s.fake.failNext(1, 'drop-after-read', { route: 'api' });
      expect((await run(pat)).status).toBe('succeeded'); // retried by the activity

      s.fake.failNext(1, '5xx', { route: 'api', status: 500 });
      const patServerError = await run(pat);
      expect(['succeeded', 'failed']).toContain(patServerError.status);

      const rejectedToken = await api(pat.tenant, 'put', `${base(pat)}/credential`, {
        kind: 'pat',
        base_url: s.fake.url,
        token: wrongToken,
        team: s.fake.team.name,
      });
      expect(rejectedToken.status).toBe(422);
      expect(rejectedToken.body.error.details.kind).toBe('auth');

      expect((await run(pat, refused.id)).status).toBe('succeeded');
      return { patConnected };
    };
    const [{ connected, serverError }, { patConnected }] = await Promise.all([webFlow(), patFlow()]);

    // ---- LLM summary (after the webhook flow: its injected /hooks failures would hit this one's posts):
    // the platform key succeeding and failing, a tenant key refused at connect, connected, used,
    // refused mid-run (401: OpenAI's error text quotes part of the key), and every fallback.
    const summaryFlow = async () => {
      const hookUrlS = s.fake.hookUrl(s.fake.createHook({ channel: 'town-square' }));
      expect(
        (await api(summarized.tenant, 'put', `${base(summarized)}/credential`, { kind: 'webhook', webhook_url: hookUrlS, verify: 'dry_run' })).status,
      ).toBe(200);
      llmFake.apiKey = platformLlmKey;
      expect((await run(summarized)).status).toBe('succeeded');
      llmFake.failNext(1, '500');
      llmFake.failNext(1, '429', { retryAfterSec: 1 });
      expect((await run(summarized)).status).toBe('succeeded');
      llmFake.failNext(3, 'slow', { delayMs: 3_000 });
      expect((await run(summarized)).status).toBe('succeeded');
      const integration = `/api/tenants/${summarized.tenant.slug}/integrations/llm`;
      llmFake.apiKey = tenantLlmKey;
      const refusedKey = await api(summarized.tenant, 'put', integration, { base_url: llmFake.baseUrl, api_key: rejectedLlmKey, model: 'fake-mini' });
      expect(refusedKey.status).toBe(422);
      expect((await api(summarized.tenant, 'put', integration, { base_url: llmFake.baseUrl, api_key: tenantLlmKey, model: 'fake-mini' })).status).toBe(200);
      expect((await run(summarized)).status).toBe('succeeded');
      llmFake.failNext(1, 'garbage');
      expect((await run(summarized)).status).toBe('succeeded');
      llmFake.apiKey = 'sk-rotated-at-the-provider-000';
      expect((await run(summarized)).status).toBe('succeeded'); // 401: falls back, key marked invalid
      await api(summarized.tenant, 'get', integration);
      await api(summarized.tenant, 'get', `${base(summarized)}/llm`);
      await api(summarized.tenant, 'delete', integration);
      llmFake.apiKey = platformLlmKey;
      expect((await run(summarized)).status).toBe('succeeded');
      const keysSent = new Set(llmFake.calls().map((c) => c.apiKey));
      // Both keys really went out (so finding neither below means something).
      expect([...keysSent]).toEqual(expect.arrayContaining([platformLlmKey, tenantLlmKey]));
    };
    await summaryFlow();
    expect(postsWithMarker(s.fake).length).toBeGreaterThanOrEqual(8);

    // ---- Everything a user or operator can read back through the API.
    for (const t of [web, pat, summarized]) {
      await api(t.tenant, 'get', `${base(t)}/credential`);
      await api(t.tenant, 'get', `${base(t)}/health`);
      await api(t.tenant, 'get', `${base(t)}/schedule`);
      await api(t.tenant, 'get', `/api/tenants/${t.tenant.slug}/installations/${t.installationId}`);
      await api(t.tenant, 'get', `/api/tenants/${t.tenant.slug}/directives`);
      const list = await api(t.tenant, 'get', `${executionsOf(t.tenant)}?limit=100`);
      for (const e of list.body.items as { id: string }[]) await api(t.tenant, 'get', `${executionsOf(t.tenant)}/${e.id}`);
    }

    // ---- Gather every source.
    const sources: ScanSource[] = [...(await dumpDatabase(admin)), ...responses];
    for (const t of [web, pat, summarized]) {
      const ids = await admin.query<{ workflow_id: string }>(
        `select workflow_id from executions where tenant_id = $1 and workflow_id is not null
         union select workflow_id from directives where tenant_id = $1 and workflow_id is not null`,
        [t.tenant.id],
      );
      const expected = ids.rows.map((r) => r.workflow_id);
      const temporal = await temporalSources(s.t.temporal.client, `TenantId = '${t.tenant.id}'`, { expectWorkflowIds: expected });
      expect(temporal.workflowIds).toEqual(expect.arrayContaining(expected));
      expect(temporal.sources.length).toBe(temporal.workflowIds.length * 2);
      sources.push(...temporal.sources);
      // How each run ended, as a workflow client sees it (failure message and cause chain).
      for (const id of temporal.workflowIds) {
        const outcome = await s.t.temporal.client.workflow
          .getHandle(id)
          .result()
          .then(
            (r) => ({ result: r }),
            (err: unknown) => ({ error: err }),
          );
        sources.push({ name: `temporal-result:${id}`, text: toScanText(outcome) });
      }
      // Error messages, summaries and signal payloads, as stored.
      const stored = await withTenant(s.handle.db, t.tenant.id, async (tx) => ({
        executions: await tx.execution.findMany({}),
        logs: await tx.executionLog.findMany({}),
        signals: await tx.signal.findMany({}),
        credentials: await tx.integrationCredential.findMany({
          select: { id: true, host: true, fingerprint: true, metadata: true, lastError: true, status: true },
        }),
        installation: await tx.installation.findMany({}),
        outbound: await tx.outboundMessage.findMany({}),
        summaries: await tx.llmSummary.findMany({}),
      }));
      sources.push({ name: `stored:${t.tenant.slug}`, text: toScanText(stored) });
    }
    sources.push(
      ...(await scheduleSources(s.t.temporal.client, [
        digestScheduleId(web.installationId),
        digestScheduleId(pat.installationId),
        digestScheduleId(summarized.installationId),
      ])),
    );
    sources.push(
      { name: 'logs:app (pino)', text: appLogs.text() },
      { name: 'logs:temporal runtime', text: runtimeLogs.text() },
      { name: 'logs:console', text: consoleLogs.text() },
    );

    // The sources are real: the credentials, every run's workflow, both schedules and the
    // worker's own failure logs are all in there.
    const named = (prefix: string) => sources.filter((x) => x.name.startsWith(prefix));
    expect(named('db:integration_credentials')[0].text).toContain(connected.body.credential.id);
    expect(named('db:integration_credentials')[0].text).toContain(patConnected.body.credential.id);
    expect(named('temporal-schedule:')).toHaveLength(3);
    expect(named('temporal:').length).toBeGreaterThanOrEqual(2 * 13);
    expect(runtimeLogs.text()).toContain('Activity failed');
    expect(responses.length).toBeGreaterThan(30);

    // Payloads are decoded, not left as base64: a run's input is readable in its history.
    const history = named(`temporal:${serverError.workflowId}:history`)[0].text;
    expect(history.includes(`\\"executionId\\":\\"${serverError.id}\\"`)).toBe(true);
    expect(history.includes('Mattermost failed to create the post (its own error answer)')).toBe(true);
    expect(sources.reduce((n, x) => n + x.text.length, 0)).toBeGreaterThan(200_000);

    // ---- The scan.
    const hits = scanForCanaries(sources, canaries);
    if (hits.length > 0) throw new Error(`secrets leaked:\n${describeHits(hits)}`);

    // ---- Control: the same dump does find a secret planted in a bytea column and, base64'd, in JSON.
    const controlId = connected.body.credential.id as string;
    await admin.query(
      `update integration_credentials set ciphertext = convert_to($1, 'UTF8'), metadata = metadata || jsonb_build_object('note', $2::text) where id = $3`,
      [JSON.stringify({ kind: 'webhook', webhook_url: hookUrl }), Buffer.from(`token=${token}`).toString('base64'), controlId],
    );
    const planted = scanForCanaries(await dumpDatabase(admin), canaries);
    expect(planted.filter((h) => h.source === 'db:integration_credentials').map((h) => `${h.canary}/${h.encoding}`)).toEqual(
      expect.arrayContaining(['webhook URL/raw', 'webhook URL/hex', 'webhook hook id/raw', 'personal access token/base64']),
    );
    await admin.query(`update integration_credentials set status = 'revoked', ciphertext = '', nonce = '', auth_tag = '', metadata = '{}' where id = $1`, [
      controlId,
    ]);
  });

  it('the scanner finds a canary in every encoding it claims to (so an empty result means something)', () => {
    const canary = { name: 'token', value: makeCanary('cnrytest') };
    const url = { name: 'url', value: `http://127.0.0.1:8065/hooks/${makeCanary('cnryurlx')}` };
    const encodings = (value: string) => ({
      raw: `x ${value} y`,
      hex: Buffer.from(`{"t":"${value}"}`).toString('hex'),
      base64: Buffer.from(`{"token":"${value}"}`).toString('base64'),
      base64_offset1: Buffer.from(`a${value}`).toString('base64'),
      base64_offset2: Buffer.from(`ab${value}`).toString('base64'),
      base64url: Buffer.from(`??>${value}`).toString('base64url'),
      urlencoded: `next=${encodeURIComponent(value)}`,
      bytes: toScanText({ payload: { data: new Uint8Array(Buffer.from(`"${value}"`)) } }),
      error: toScanText({ failure: new Error('boom', { cause: new Error(`inner ${value}`) }) }),
    });
    for (const c of [canary, url]) {
      const sources = Object.entries(encodings(c.value)).map(([name, text]) => ({ name, text }));
      const found = new Set(scanForCanaries(sources, [c]).map((h) => h.source));
      expect([...found].sort()).toEqual(sources.map((x) => x.name).sort());
    }
    expect(scanForCanaries([{ name: 'clean', text: 'nothing to see, …abcd' }], [canary, url])).toEqual([]);
    // Hits never print the value itself.
    expect(describeHits(scanForCanaries([{ name: 'raw', text: canary.value }], [canary]))).not.toContain(canary.value);
  });
});
