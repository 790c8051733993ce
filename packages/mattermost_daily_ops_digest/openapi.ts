// The digest's endpoints in the API document (api/openapi.ts adds every package's
// PackageModule.apiOperations to the platform's own).
import { err, INST, T, tenantRead, tenantWrite, type ApiOperation } from '../../api/openapi-operation';
import { ZConnectCredentialBody } from '../../api/routes/connection.schemas';
import { ZDigestMessageQuery } from './routes/digest-messages.schemas';
import { ZDigestPreviewBody, ZDigestPreviewQuery } from './routes/digest-preview.schemas';
import { ZConfigBody } from './routes/installation-digest.schemas';
import { DIGEST_MESSAGE, DIGEST_PREVIEW, LLM_STATUS } from './response-schemas';

export const DIGEST_API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: `${INST}/credential`,
    operationId: 'getCredential',
    summary: 'The Mattermost connection (masked metadata only)',
    tag: 'digest',
    access: 'tenant',
    responses: { 200: { description: 'The connection, or null.', schema: 'CredentialState' }, ...tenantRead },
  },
  {
    method: 'put',
    path: `${INST}/credential`,
    operationId: 'connectMattermost',
    summary: 'Connect or Reconnect Mattermost (webhook or personal access token)',
    tag: 'digest',
    access: 'tenant-admin',
    body: ZConnectCredentialBody,
    description:
      'Verifies the secret first (a test post, a dry run, or GET /users/me) and stores it encrypted. A secret that fails verification is not stored.',
    responses: {
      200: { description: 'Connected.', schema: 'CredentialConnected' },
      ...tenantWrite,
      422: err('Mattermost did not accept it (CREDENTIAL_REJECTED; details.kind and details.hint say why and what to do).'),
    },
  },
  {
    method: 'delete',
    path: `${INST}/credential`,
    operationId: 'disconnectMattermost',
    summary: 'Disconnect Mattermost',
    tag: 'digest',
    access: 'tenant-admin',
    responses: { 204: { description: 'Disconnected.', schema: null }, ...tenantWrite },
  },
  {
    method: 'put',
    path: `${INST}/config`,
    operationId: 'updateConfig',
    summary: 'Change channel, schedule, time zone, options, enabled',
    tag: 'digest',
    access: 'tenant-admin',
    body: ZConfigBody,
    responses: {
      200: { description: 'Saved; the schedule follows.', schema: 'ConfigUpdated' },
      ...tenantWrite,
      409: err('Not installed yet (INVALID_STATE).'),
    },
  },
  {
    method: 'get',
    path: `${INST}/schedule`,
    operationId: 'getSchedule',
    summary: 'The digest schedule and its next runs',
    tag: 'digest',
    access: 'tenant',
    responses: { 200: { description: 'The schedule, or null.', schema: 'ScheduleState' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${INST}/digest-preview`,
    operationId: 'getDigestPreview',
    summary: 'Replay: the digest of a past window, re-generated as a preview (never posted)',
    tag: 'digest',
    access: 'tenant',
    query: ZDigestPreviewQuery,
    description:
      'Window: local_date (a scheduled digest), execution_id (a past run), or window_end [+ window_start]; none = the latest scheduled window. Must lie inside signal retention (SIGNAL_RETENTION_DAYS). Writes nothing.',
    responses: { 200: { description: 'The preview.', schema: DIGEST_PREVIEW }, ...tenantRead },
  },
  {
    method: 'post',
    path: `${INST}/digest-preview`,
    operationId: 'previewDigestSettings',
    summary: 'Preview: the digest with unsaved settings, exactly as a run would post it (never posted)',
    tag: 'digest',
    access: 'tenant',
    body: ZDigestPreviewBody,
    description:
      'The same window choice as the replay, plus `config`: unsaved settings merged over the saved ones and validated like PUT /config (400 VALIDATION_FAILED with per-field details). With no window: the last 24 hours up to now, as Run now would post them. Writes nothing.',
    responses: { 200: { description: 'The preview, with the sender overrides.', schema: DIGEST_PREVIEW }, ...tenantWrite },
  },
  {
    method: 'get',
    path: `${INST}/health`,
    operationId: 'getInstallationHealth',
    summary: 'Status, last error with its hint, last post, next runs, Run now quota',
    tag: 'digest',
    access: 'tenant',
    responses: { 200: { description: 'Health.', schema: 'InstallationHealth' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/executions/{id}/message`,
    operationId: 'getRunMessage',
    summary: 'The digest message of a run: as posted, and the full digest',
    tag: 'history',
    access: 'tenant',
    responses: { 200: { description: 'The message.', schema: DIGEST_MESSAGE }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/digests`,
    operationId: 'findDigestMessage',
    summary: 'The latest digest message of a correlation id (what the truncation pointer opens)',
    tag: 'history',
    access: 'tenant',
    query: ZDigestMessageQuery,
    responses: { 200: { description: 'The message.', schema: DIGEST_MESSAGE }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${INST}/llm`,
    operationId: 'getLlmStatus',
    summary: 'The LLM summary: provider availability (or why not), model, spend against the monthly budget',
    tag: 'digest',
    access: 'tenant',
    responses: { 200: { description: 'Status.', schema: LLM_STATUS }, ...tenantRead },
  },
];
