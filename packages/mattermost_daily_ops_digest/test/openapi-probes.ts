// The digest's operations, called for real by the core's OpenAPI test
// (test/integration/api/openapi.test.ts, through test/helpers/package-test-parts.ts), in this
// order: later calls see earlier effects (connected first, disconnected last).
import request from 'supertest';
import type { OpenApiProbeContext } from '../../../test/helpers/package-test-parts';

export function probes(ctx: OpenApiProbeContext): Record<string, () => request.Test> {
  const { bearer, INST, T } = ctx;
  const app = () => ctx.app();
  return {
    connectMattermost: () =>
      request(app())
        .put(`${INST()}/credential`)
        .set(bearer())
        .send({ kind: 'webhook', webhook_url: ctx.fake().hookUrl(ctx.fake().createHook({ channel: 'town-square' })), verify: 'dry_run' }),
    getCredential: () => request(app()).get(`${INST()}/credential`).set(bearer('member')),
    updateConfig: () => request(app()).put(`${INST()}/config`).set(bearer()).send({ schedule_time: '07:30', timezone: 'Europe/Berlin' }),
    getSchedule: () => request(app()).get(`${INST()}/schedule`).set(bearer('member')),
    getInstallationHealth: () => request(app()).get(`${INST()}/health`).set(bearer('member')),
    getDigestPreview: () => request(app()).get(`${INST()}/digest-preview`).set(bearer('member')),
    previewDigestSettings: () =>
      request(app())
        .post(`${INST()}/digest-preview`)
        .set(bearer('member'))
        .send({ config: { max_lines: 20 } }),
    getRunMessage: () => request(app()).get(`${T()}/executions/${ctx.ids().execution}/message`).set(bearer('member')),
    findDigestMessage: () => request(app()).get(`${T()}/digests`).query({ correlation_id: ctx.ids().correlation }).set(bearer('member')),
    getLlmStatus: () => request(app()).get(`${INST()}/llm`).set(bearer('member')),
    disconnectMattermost: () => request(app()).delete(`${INST()}/credential`).set(bearer()),
  };
}
