// The failure alerts' own endpoint in the API document (api/openapi.ts adds every package's
// PackageModule.apiOperations). Its connection, config and health share the digest's paths
// (/installations/{id}/credential, /config, /health), which that package documents.
import { z } from 'zod';
import { INST, tenantRead, type ApiOperation } from '../../api/openapi-operation';

const ZDateOrNull = z.iso.datetime({ offset: true }).nullable();

export const ZFailureAlert = z.strictObject({
  execution_id: z.uuid(),
  correlation_id: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  error_kind: z.string().nullable(),
  error: z.string().nullable(),
  window_start: z.iso.datetime({ offset: true }),
  window_end: z.iso.datetime({ offset: true }),
  started_at: ZDateOrNull,
  finished_at: ZDateOrNull,
  failures: z.number().int().describe('Failures in the window.'),
  listed: z.number().int().nullable().describe('How many the message lists (max_lines); null before the message was rendered.'),
  suppressed: z.number().int().nullable().describe('How many were only counted ("… and N more suppressed").'),
  held_by: z.enum(['quiet_hours', 'hourly_limit']).nullable(),
  channel: z.string().nullable(),
  message: z.string().nullable().describe('The message as posted (Markdown), or as it would have been for a failed alert.'),
});

export const FAILURE_ALERTS_API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: `${INST}/alerts`,
    operationId: 'listFailureAlerts',
    summary: 'The failure alerts installation’s last 20 alerts, newest first',
    tag: 'failure-alerts',
    access: 'tenant',
    responses: {
      200: { description: 'Recent alerts.', schema: { name: 'FailureAlertList', zod: z.strictObject({ items: z.array(ZFailureAlert) }) } },
      ...tenantRead,
    },
  },
];
