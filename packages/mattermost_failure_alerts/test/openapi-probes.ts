// The failure alerts' operations, called for real by the core's OpenAPI test
// (test/integration/api/openapi.test.ts, through test/helpers/package-test-parts.ts).
import request from 'supertest';
import type { OpenApiProbeContext } from '../../../test/helpers/package-test-parts';

export function probes(ctx: OpenApiProbeContext): Record<string, () => request.Test> {
  return {
    listFailureAlerts: () => request(ctx.app()).get(`${ctx.INST()}/alerts`).set(ctx.bearer('member')),
  };
}
