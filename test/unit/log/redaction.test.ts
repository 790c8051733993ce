// The one redaction mechanism (lib/log/logger.ts + lib/log/redact.ts) proven on captured JSON:
// a webhook URL, a bearer token, a registered secret value and password/token fields — in the
// message, in fields at any depth, in errors, in child bindings and through the Temporal SDK's
// logger — never reach the output. And every line carries the current log context.
import { Writable } from 'node:stream';
import { runWithLogContext } from '../../../lib/log/context';
import { createLogger } from '../../../lib/log/logger';
import { rememberSecrets, runWithSecretScope } from '../../../lib/secrets/secret-scope';
import { temporalLogger } from '../../../lib/log/temporal-logger';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'trace', destination: stream }),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const HOOK_ID = 'k3p9x7w1m5q8r2t6y4u0i9o8pa';
const WEBHOOK_URL = `https://chat.example.com/hooks/${HOOK_ID}`;
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXZhbHVl';
const REGISTERED = 'pat-Zq81mVv0xYtR55nnA7wq';
const PASSWORD = 'correct horse battery staple 42';
const TOKEN = 'tok_live_Hx8N2b7Qw0pLr5Zs';
const SECRETS = { HOOK_ID, BEARER, REGISTERED, PASSWORD, TOKEN };

describe('log redaction', () => {
  it('no secret survives, wherever it is written', () =>
    runWithSecretScope(() => {
      rememberSecrets([REGISTERED]); // as decrypting a credential does, in the work that holds it
      const { logger, text, lines } = capture();
      logger.info(`posting to ${WEBHOOK_URL} failed`);
      logger.warn({ url: WEBHOOK_URL, request: { headers: { authorization: `Bearer ${BEARER}` } } }, 'outbound request');
      logger.info(`sent Authorization: Bearer ${BEARER} upstream`);
      logger.error({ err: new Error(`connect ECONNREFUSED ${WEBHOOK_URL} with token ${REGISTERED}`) }, 'post failed');
      logger.info({ note: `decrypted ${REGISTERED}`, list: ['a', `x${REGISTERED}y`] }, `secret ${REGISTERED} in message`);
      logger.info(
        {
          password: PASSWORD,
          token: TOKEN,
          user: { email: 'a@example.test', password: PASSWORD },
          config: {
            mattermost: { webhook_url: WEBHOOK_URL, accessToken: TOKEN, api_key: TOKEN },
            deeper: { level: { secret: PASSWORD, Authorization: `Bearer ${BEARER}` } },
          },
        },
        'object with secret fields',
      );
      logger.child({ component: 'client', token: TOKEN }).info({ webhookUrl: WEBHOOK_URL }, 'child logger');
      temporalLogger(logger).warn('Activity failed', { workflowId: 'x', error: new Error(`POST ${WEBHOOK_URL}: 500 (token=${TOKEN})`), password: PASSWORD });

      const out = text();
      for (const [name, value] of Object.entries(SECRETS)) {
        expect({ name, leaked: out.includes(value) }).toEqual({ name, leaked: false });
      }
      // Still useful: what happened is kept, the secret parts are marked.
      const all = lines();
      expect(all).toHaveLength(8);
      expect(all[0].msg).toBe('posting to https://chat.example.com/hooks/[redacted] failed');
      expect((all[5].user as Record<string, unknown>).email).toBe('a@example.test');
      expect((all[5].user as Record<string, unknown>).password).toBe('[redacted]');
      expect(all[6].component).toBe('client');
      expect(out).toContain('[redacted]');
    }));

  it('every line names the work in progress (log context), without duplicating child bindings', () => {
    const { logger, lines } = capture();
    runWithLogContext({ requestId: 'req-1', tenantId: 't-1', correlationId: 'digest:t-1:manual:e-1', workflowId: 'wf-1', executionId: 'e-1' }, () => {
      logger.info('inside');
      logger.child({ tenantId: 't-1' }).info({ step: 2 }, 'child inside');
    });
    logger.info('outside');
    const [inside, child, outside] = lines();
    expect(inside).toMatchObject({ requestId: 'req-1', tenantId: 't-1', correlationId: 'digest:t-1:manual:e-1', workflowId: 'wf-1', executionId: 'e-1' });
    expect(child).toMatchObject({ tenantId: 't-1', workflowId: 'wf-1', step: 2 });
    expect(JSON.stringify(child).match(/"tenantId"/g)).toHaveLength(1);
    expect(outside.tenantId).toBeUndefined();
  });

  it('the Temporal SDK’s log lines get the tenant and correlation id their workflow id tells', () => {
    const { logger, lines } = capture();
    const tenant = '0b8f6f0e-5a55-4c1e-9b0f-7f1b3d1f6a21';
    const execution = '4d7c3f8e-1c2b-4a5d-8e9f-0a1b2c3d4e5f';
    temporalLogger(logger).info('Workflow completed', { workflowId: `digest:${tenant}:manual:${execution}`, runId: 'r-1', sdkComponent: 'worker' });
    expect(lines()[0]).toMatchObject({
      tenantId: tenant,
      correlationId: `digest:${tenant}:manual:${execution}`,
      executionId: execution,
      runId: 'r-1',
      sdk: true,
      msg: 'Workflow completed',
    });
  });
});
