// The JSON API's response shapes as zod schemas: the source of the OpenAPI document's
// components, and what test/integration/api/openapi.test.ts checks real answers against.
// They mirror api/presenters.ts field for field (strict objects: an undocumented field fails the test).
import { z } from 'zod';
import { ZIngestResult } from './routes/signals.schemas';

/** An ISO 8601 timestamp with its offset, as every answer writes them (packages' own schemas use it too). */
export const ZDate = z.iso.datetime({ offset: true });
const ZDateOrNull = ZDate.nullable();
const ZJsonObject = z.record(z.string(), z.unknown());
const ZRole = z.enum(['owner', 'admin', 'member']);

export const ZError = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Stable, SCREAMING_SNAKE (e.g. VALIDATION_FAILED, RATE_LIMITED).'),
    message: z.string().describe('Safe to show to a person.'),
    details: z.unknown().optional(),
  }),
});

export const ZPackage = z.strictObject({
  slug: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  category: z.string(),
  publisher: z.string(),
  manifest: ZJsonObject.describe(
    'The package manifest: identity, changelog, provides, consumes, emits, required_integrations, upgrades_from, and config_schema (JSON Schema generated from the zod config schema).',
  ),
});
export const ZPackageDetail = z.strictObject({
  ...ZPackage.shape,
  versions: z.array(z.string()).describe('Every version in the registry, newest first (semver order).'),
  changelog: z.array(z.strictObject({ version: z.string(), changes: z.array(z.string()) })).describe('What each version changed, newest first.'),
});
export const ZPackageList = z.strictObject({ items: z.array(ZPackage) });

export const ZApplyState = z
  .enum(['applied', 'being_applied'])
  .describe('"being_applied" while Temporal does not yet reflect the saved desired state (the reconciler applies it, also after an outage).');

export const ZInstallation = z.strictObject({
  id: z.uuid(),
  package_slug: z.string(),
  package_version: z.string(),
  status: z.enum(['requested', 'installing', 'installed', 'failed', 'uninstalling', 'uninstalled']),
  config: ZJsonObject.describe('Non-secret configuration only; the credential is referenced by id.'),
  credential_id: z.uuid().nullable(),
  last_error: z.string().nullable(),
  last_error_kind: z.string().nullable(),
  last_successful_post_at: ZDateOrNull,
  schedule_id: z.string().nullable(),
  desired_version: z.number().int().describe('Bumped by every change to the desired state (lifecycle, config, credential binding).'),
  observed_version: z.number().int().describe('The desired version Temporal was last made to match.'),
  apply_state: ZApplyState,
  installed_at: ZDateOrNull,
  created_at: ZDate,
  updated_at: ZDate,
});
export const ZInstallationList = z.strictObject({ items: z.array(ZInstallation) });

export const ZDirective = z.strictObject({
  id: z.uuid(),
  type: z.string(),
  status: z.enum(['requested', 'running', 'completed', 'failed']),
  params: ZJsonObject,
  idempotency_key: z.string(),
  actor_user_id: z.uuid().nullable(),
  actor_role: ZRole.nullable(),
  correlation_id: z.string(),
  workflow_id: z.string(),
  run_id: z.string().nullable(),
  error: z.string().nullable(),
  error_kind: z.string().nullable(),
  created_at: ZDate,
  started_at: ZDateOrNull,
  completed_at: ZDateOrNull,
  temporal_url: z.string().nullable().describe('The workflow in the Temporal Web UI.'),
});

export const ZSignal = z.strictObject({
  id: z.uuid(),
  type: z.string(),
  occurred_at: ZDate,
  correlation_id: z.string().nullable(),
  causation_id: z.string().nullable(),
  dedupe_key: z.string().nullable(),
  source: z.string(),
  subject: z.string().nullable(),
  payload: ZJsonObject,
});

export const ZDirectiveList = z.strictObject({ items: z.array(ZDirective), next_cursor: z.string().nullable() });
export const ZDirectiveDetail = z.strictObject({ ...ZDirective.shape, signals: z.array(ZSignal) });
export const ZSignalList = z.strictObject({ items: z.array(ZSignal), next_cursor: z.string().nullable() });

const ZCredentialActor = z
  .strictObject({
    kind: z.enum(['user', 'api_token']),
    id: z.uuid(),
    name: z.string().nullable(),
    email: z.string().nullable(),
  })
  .describe('Who did it: a signed-in user (name, email), or the API token that sent the request (its name; email null).');

export const ZCredential = z.strictObject({
  state: z
    .enum(['connected', 'refused_once', 'invalid', 'disconnected'])
    .describe(
      'From evidence: refused_once = Mattermost refused it once and it is being checked again; invalid = refused twice, a minute apart; disconnected = by a person (Disconnect or uninstall).',
    ),
  connected_at: ZDateOrNull.describe('When it was connected or last reconnected (null for connections from before this was recorded).'),
  connected_by: ZCredentialActor.nullable(),
  disconnected_at: ZDateOrNull,
  disconnected_by: ZCredentialActor.nullable(),
  disconnect_reason: z.enum(['user_disconnected', 'uninstalled']).nullable(),
  first_refused_at: ZDateOrNull,
  last_refusal_code: z.string().nullable(),
  id: z.uuid(),
  provider: z.string(),
  kind: z.enum(['webhook', 'pat', 'api_key']),
  host: z.string(),
  fingerprint: z
    .string()
    .nullable()
    .describe(
      'A short keyed hash of the secret (per tenant, with a server key), to tell two secrets apart; not reversible, and not comparable across tenants. Null for a credential stored before fingerprints were keyed, until `npm run keys:rotate` or a Reconnect computes it.',
    ),
  metadata: ZJsonObject.describe(
    'Masked, non-secret facts (e.g. masked_url, team, username; for an LLM key: base_url, model, masked_key, prices). Never the webhook URL, token or API key.',
  ),
  status: z.enum(['connected', 'invalid', 'revoked']),
  last_verified_at: ZDateOrNull,
  last_error: z.string().nullable(),
  updated_at: ZDate,
});

export const ZQuota = z.strictObject({ limit: z.number().int(), used: z.number().int(), remaining: z.number().int(), resets_at: ZDateOrNull });

export const ZNextRun = z.strictObject({ at: z.string(), local: z.string(), utc_offset: z.string() });
export const ZSchedule = z
  .strictObject({
    schedule_id: z.string(),
    paused: z.boolean(),
    schedule_time: z.string().nullable(),
    timezone: z.string().nullable(),
    next_runs: z.array(ZNextRun),
  })
  .nullable();

export const ZExecutionLog = z.strictObject({ at: ZDate, level: z.string(), message: z.string(), data: z.unknown(), correlation_id: z.string() });

export const ZExecution = z.strictObject({
  id: z.uuid(),
  installation_id: z.uuid(),
  kind: z.string(),
  trigger: z.enum(['scheduled', 'manual', 'retry']),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  correlation_id: z.string(),
  workflow_id: z.string().nullable(),
  run_id: z.string().nullable(),
  window_start: ZDate,
  window_end: ZDate,
  error_kind: z.string().nullable(),
  error_code: z.string().nullable().describe('The Mattermost error code behind a failed run (e.g. CHANNEL_NOT_FOUND), when known.'),
  hint: z.string().nullable().describe('What to do about a failed run, in plain language (never promises a retry: the run has ended).'),
  summary: ZJsonObject.nullable(),
  retry_of_execution_id: z.uuid().nullable(),
  retry_superseded_by: z
    .strictObject({ execution_id: z.uuid(), digest_date: z.string() })
    .nullable()
    .describe('A failed scheduled run whose period a later scheduled digest already reported: Retry is refused (RETRY_SUPERSEDED).'),
  created_at: ZDate,
  started_at: ZDateOrNull,
  finished_at: ZDateOrNull,
  temporal_url: z.string().nullable(),
});
export const ZExecutionList = z.strictObject({ items: z.array(ZExecution), next_cursor: z.string().nullable() });
export const ZExecutionDetail = z.strictObject({ ...ZExecution.shape, logs: z.array(ZExecutionLog) });
export const ZRunAccepted = z.strictObject({ execution: ZExecution, run_quota: ZQuota });

export const ZDirectiveAccepted = z.strictObject({ created: z.boolean(), installation: ZInstallation, directive: ZDirective });

export const ZCredentialState = z.strictObject({ credential: ZCredential.nullable() });
export const ZTenantIntegration = z.strictObject({
  connection: ZCredential.nullable().describe("The tenant's Mattermost connection (masked metadata only)."),
  bindings: z.array(
    z.strictObject({
      installation_id: z.uuid(),
      package_slug: z.string(),
      package_name: z.string(),
      status: z.string(),
      channel: z.string().nullable().describe("The installation's own channel; null: the webhook's own channel (a token needs one)."),
      bound_to: z.enum(['tenant', 'own', 'none']),
    }),
  ),
  bound_now: z.array(z.uuid()).optional().describe('Installations bound by this request.'),
  reconnect: z.boolean().optional(),
});
export const ZMattermostChannels = z.strictObject({
  team: z.strictObject({ id: z.string(), name: z.string(), display_name: z.string() }),
  channels: z
    .array(z.strictObject({ id: z.string(), name: z.string(), display_name: z.string() }))
    .describe("Public channels the token's user is a member of in the connection's team (only members may post), by display name."),
});
export const ZCredentialConnected = z.strictObject({ credential: ZCredential, schedule: ZSchedule, apply_state: ZApplyState });
export const ZConfigUpdated = z.strictObject({ installation: ZInstallation, schedule: ZSchedule, apply_state: ZApplyState });
export const ZScheduleState = z.strictObject({ schedule: ZSchedule, apply_state: ZApplyState });
export const ZInstallationHealth = z.strictObject({
  status: ZInstallation.shape.status,
  apply_state: ZApplyState,
  desired_version: z.number().int(),
  observed_version: z.number().int(),
  last_successful_post_at: ZDateOrNull,
  last_error: z.string().nullable(),
  last_error_kind: z.string().nullable(),
  last_error_code: z.string().nullable().describe('The Mattermost error code behind the last error, when known.'),
  hint: z.string().nullable(),
  next_runs: z
    .array(ZNextRun)
    .describe(
      "Exactly the firings that will post (Temporal's own next action times with the digest rules applied); empty while a change is being applied or when the digest has no schedule.",
    ),
  next_runs_known: z.boolean().describe('False when Temporal could not be asked, or a change is still being applied.'),
  schedule_exists: z.boolean().nullable().describe('Whether the daily Schedule exists in Temporal (null: Temporal unreachable).'),
  schedule_paused: z.boolean().nullable(),
  connection: ZCredential.nullable(),
  run_quota: ZQuota,
});

export const ZSession = z.strictObject({
  user: z.strictObject({ id: z.uuid(), email: z.string(), name: z.string() }),
  memberships: z.array(z.strictObject({ tenant_slug: z.string(), tenant_name: z.string(), role: ZRole })),
  csrf_token: z.string().describe('Send it in the x-csrf-token header on every state-changing request.'),
});

export const ZApiToken = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  role: ZRole,
  created_by_user_id: z.uuid().nullable(),
  last_used_at: ZDateOrNull.describe('When the token last authenticated a request (updated at most once a minute).'),
  expires_at: ZDateOrNull.describe('When the token stops working; null: until revoked.'),
  revoked_at: ZDateOrNull,
  created_at: ZDate,
});
export const ZApiTokenList = z.strictObject({ items: z.array(ZApiToken) });
export const ZApiTokenCreated = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  role: ZRole,
  token: z.string().describe('Shown once.'),
  created_at: ZDate,
  expires_at: ZDateOrNull,
});

export const ZTimelineEvent = z.strictObject({
  at: ZDate,
  kind: z.enum(['directive', 'execution', 'log', 'signal']),
  title: z.string(),
  status: z.string().nullable(),
  level: z.string().nullable(),
  ref_id: z.string(),
  execution_id: z.string().nullable(),
  data: z.unknown(),
  temporal_url: z.string().nullable(),
});
export const ZTimeline = z.strictObject({
  correlation_id: z.string(),
  truncated: z.boolean(),
  events: z.array(ZTimelineEvent),
  directives: z.array(ZDirective),
  executions: z.array(z.strictObject({ ...ZExecution.shape, logs: z.array(ZExecutionLog) })),
  signals: z.array(ZSignal),
  workflows: z
    .array(
      z.strictObject({
        kind: z.enum(['directive', 'execution']),
        ref_id: z.string(),
        workflow_id: z.string(),
        run_id: z.string().nullable(),
        temporal_url: z.string().nullable(),
      }),
    )
    .describe('The Temporal workflows behind this correlation id, with Web UI links.'),
  temporal_search_url: z.string().nullable().describe('Temporal Web UI: every workflow whose CorrelationId search attribute is this id.'),
});

export const ZTenantTemporalSearch = z.strictObject({
  query: z.string().describe('The Temporal visibility query for every workflow of this tenant.'),
  temporal_search_url: z.string().nullable().describe('That query in the Temporal Web UI (null when TEMPORAL_UI_URL is not set).'),
});

/** A package's example post (PackageModule.examplePost), for its page in the marketplace. */
export const ZExamplePost = z.strictObject({
  text: z.string().describe('The Markdown the package posts, for a made-up typical day, with the default settings.'),
  line_count: z.number().int(),
  truncated: z.boolean(),
  username: z.string().nullable(),
  icon_url: z.string().nullable(),
});

export const ZLiveness = z.strictObject({ status: z.literal('ok') });
export const ZReadiness = z.strictObject({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), detail: z.string().optional() })),
});

/** The platform's named response schemas: components/schemas in the OpenAPI document (a package adds its own, PackageResponseSchema). */
export const RESPONSE_SCHEMAS = {
  Error: ZError,
  Package: ZPackage,
  PackageDetail: ZPackageDetail,
  PackageList: ZPackageList,
  Installation: ZInstallation,
  InstallationList: ZInstallationList,
  InstallationHealth: ZInstallationHealth,
  Directive: ZDirective,
  DirectiveList: ZDirectiveList,
  DirectiveDetail: ZDirectiveDetail,
  DirectiveAccepted: ZDirectiveAccepted,
  Signal: ZSignal,
  SignalList: ZSignalList,
  Credential: ZCredential,
  CredentialState: ZCredentialState,
  TenantIntegration: ZTenantIntegration,
  MattermostChannels: ZMattermostChannels,
  CredentialConnected: ZCredentialConnected,
  ConfigUpdated: ZConfigUpdated,
  ScheduleState: ZScheduleState,
  Quota: ZQuota,
  Execution: ZExecution,
  ExecutionList: ZExecutionList,
  ExecutionDetail: ZExecutionDetail,
  ExecutionLog: ZExecutionLog,
  RunAccepted: ZRunAccepted,
  ExamplePost: ZExamplePost,
  TenantTemporalSearch: ZTenantTemporalSearch,
  Session: ZSession,
  ApiToken: ZApiToken,
  ApiTokenList: ZApiTokenList,
  ApiTokenCreated: ZApiTokenCreated,
  IngestResult: ZIngestResult,
  Timeline: ZTimeline,
  TimelineEvent: ZTimelineEvent,
  Liveness: ZLiveness,
  Readiness: ZReadiness,
} as const;

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
