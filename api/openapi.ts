// The OpenAPI 3.1 document of the JSON API, built from the routes' own zod schemas (request
// bodies, queries, path parameters) and api/response-schemas.ts (answers). Served at
// /api/openapi.json; test/integration/api/openapi.test.ts keeps it true to the mounted routes.
import { z } from 'zod';
import { ZCreateApiTokenBody } from './routes/api-tokens.schemas';
import { ZLoginBody } from './routes/auth.schemas';
import { ZDirectiveListQuery } from './routes/directives.schemas';
import { ZExecutionListQuery } from './routes/executions.schemas';
import { ZConnectCredentialBody } from './routes/connection.schemas';
import { ZChannelsQuery } from './routes/integrations.schemas';
import { ZIdParam, ZInstallBody, ZUpgradeBody } from './routes/installations.schemas';
import { ZConnectLlmBody } from './routes/llm-integration.schemas';
import { MAX_INGEST_BATCH, ZIngestBody, ZSignalListQuery, ZTimelineParam } from './routes/signals.schemas';
import { PACKAGE_MODULES } from '../packages/registry';
import { E400, E401, E403, E429, err, INST, schemaName, T, tenantRead, tenantWrite, type Access, type ApiOperation } from './openapi-operation';
import { RESPONSE_SCHEMAS } from './response-schemas';

export type { ApiOperation } from './openapi-operation';

const ZTenantSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
  .describe('The tenant (organisation) slug, e.g. "demo".');
const ZPackageSlug = z.string().min(1).max(64).describe('Package slug, as GET /api/packages lists them.');

const PATH_PARAMS: Record<string, z.ZodType> = {
  tenant: ZTenantSlug,
  id: ZIdParam,
  slug: ZPackageSlug,
  correlationId: ZTimelineParam.describe(
    'A correlation id (URL-encoded): an install directive’s, a digest run’s, a credential’s, or a reporting system’s own.',
  ),
};

/** The platform's own operations; each package adds its own (PackageModule.apiOperations). */
const PLATFORM_OPERATIONS: ApiOperation[] = [
  // Health (outside /api, JSON too)
  {
    method: 'get',
    path: '/healthz',
    operationId: 'liveness',
    summary: 'Liveness',
    tag: 'health',
    access: 'public',
    responses: { 200: { description: 'The process is up.', schema: 'Liveness' } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: database, migrations, Temporal',
    tag: 'health',
    access: 'public',
    responses: { 200: { description: 'Ready.', schema: 'Readiness' }, 503: { description: 'Not ready; each check says why.', schema: 'Readiness' } },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    tag: 'meta',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document.', schema: null } },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics of the API process',
    tag: 'meta',
    access: 'public',
    description:
      'Prometheus text format: fleetprompt_* counters and histograms (see the README, Operations) and Node process metrics. No tenant or id in any label.',
    responses: { 200: { description: 'text/plain; version=0.0.4', schema: null } },
  },

  // Sign-in
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Sign in (browser session)',
    tag: 'auth',
    access: 'public',
    body: ZLoginBody,
    description: 'Sets the HttpOnly fp_session cookie and returns the CSRF token to send as x-csrf-token on state-changing requests. Same-origin only.',
    responses: {
      200: { description: 'Signed in.', schema: 'Session' },
      ...E400,
      401: err('Wrong email or password (INVALID_CREDENTIALS).'),
      429: err('Too many failed attempts (RATE_LIMITED).'),
    },
  },
  {
    method: 'get',
    path: '/api/auth/session',
    operationId: 'getSession',
    summary: 'The current session',
    tag: 'auth',
    access: 'signed-in',
    responses: { 200: { description: 'Signed in.', schema: 'Session' }, ...E401 },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: 'Sign out',
    tag: 'auth',
    access: 'public',
    responses: { 204: { description: 'Signed out (also when no session).', schema: null }, ...E403 },
  },

  // Registry
  {
    method: 'get',
    path: '/api/packages',
    operationId: 'listPackages',
    summary: 'The package registry',
    tag: 'packages',
    access: 'public',
    responses: { 200: { description: 'Every package version.', schema: 'PackageList' } },
  },
  {
    method: 'get',
    path: '/api/packages/{slug}',
    operationId: 'getPackage',
    summary: 'A package (latest version) and its versions',
    tag: 'packages',
    access: 'public',
    responses: { 200: { description: 'The package.', schema: 'PackageDetail' }, 404: err('No such package (PACKAGE_NOT_FOUND).') },
  },
  {
    method: 'get',
    path: '/api/packages/{slug}/example-digest',
    operationId: 'getExampleDigest',
    summary: 'An example of what the package posts (packages that have one)',
    tag: 'packages',
    access: 'public',
    responses: { 200: { description: 'The example post.', schema: 'ExamplePost' }, 404: err('No such package, or it has no example (PACKAGE_NOT_FOUND).') },
  },

  // API tokens
  {
    method: 'post',
    path: `${T}/api-tokens`,
    operationId: 'createApiToken',
    summary: 'Create an API token (shown once)',
    tag: 'api-tokens',
    access: 'tenant-admin',
    body: ZCreateApiTokenBody,
    responses: { 201: { description: 'Created.', schema: 'ApiTokenCreated' }, ...tenantWrite },
  },
  {
    method: 'get',
    path: `${T}/api-tokens`,
    operationId: 'listApiTokens',
    summary: 'API tokens (never the token or its hash)',
    tag: 'api-tokens',
    access: 'tenant-admin',
    responses: { 200: { description: 'Tokens.', schema: 'ApiTokenList' }, ...tenantWrite },
  },
  {
    method: 'delete',
    path: `${T}/api-tokens/{id}`,
    operationId: 'revokeApiToken',
    summary: 'Revoke an API token',
    tag: 'api-tokens',
    access: 'tenant-admin',
    responses: { 200: { description: 'Revoked (idempotent).', schema: 'ApiToken' }, ...tenantWrite },
  },

  // The tenant's integrations (one Mattermost workspace per tenant)
  {
    method: 'get',
    path: `${T}/integrations/mattermost`,
    operationId: 'getTenantMattermost',
    summary: "The tenant's Mattermost connection and the installations bound to it",
    tag: 'installations',
    access: 'tenant',
    responses: {
      200: {
        description: 'The connection (masked) or null, and each installation that needs Mattermost with its channel and binding.',
        schema: 'TenantIntegration',
      },
      ...tenantRead,
    },
  },
  {
    method: 'put',
    path: `${T}/integrations/mattermost`,
    operationId: 'connectTenantMattermost',
    summary: 'Connect (or reconnect) Mattermost once for the tenant',
    tag: 'installations',
    access: 'tenant-admin',
    body: ZConnectCredentialBody,
    description: 'Verified, then encrypted. Installations that need Mattermost and have no working connection bind to it, each with its own channel.',
    responses: {
      200: { description: 'The connection and bindings.', schema: 'TenantIntegration' },
      ...tenantWrite,
      422: err('Mattermost did not accept the connection (CREDENTIAL_REJECTED).'),
    },
  },
  {
    method: 'get',
    path: `${T}/integrations/mattermost/channels`,
    operationId: 'listTenantMattermostChannels',
    summary: "The public channels the connection's token user can post to (the channel picker)",
    tag: 'installations',
    access: 'tenant-admin',
    query: ZChannelsQuery,
    description:
      'Read from Mattermost with the stored token: GET /api/v4/users/me/teams, then /users/me/teams/{team_id}/channels (every channel the user is a member of, in one answer), keeping the public ones (type O). With installation_id: the connection that installation is bound to. A webhook connection posts to its own channel and has no list (409 CHANNELS_NOT_LISTABLE).',
    responses: {
      200: { description: 'The team and its postable public channels, by display name.', schema: 'MattermostChannels' },
      ...tenantWrite,
      409: err('A webhook connection, or a token connection without a team (CHANNELS_NOT_LISTABLE).'),
      422: err('Not connected (NOT_CONFIGURED), or Mattermost refused the token or the team (CREDENTIAL_REJECTED, with details.mattermost_code).'),
      503: err('Mattermost did not answer (DEPENDENCY_UNAVAILABLE).'),
    },
  },
  {
    method: 'delete',
    path: `${T}/integrations/mattermost`,
    operationId: 'disconnectTenantMattermost',
    summary: "Revoke the tenant's Mattermost connection (the secret is destroyed)",
    tag: 'installations',
    access: 'tenant-admin',
    responses: { 204: { description: 'Revoked.', schema: null }, ...tenantWrite },
  },

  // Installations
  {
    method: 'post',
    path: `${T}/installations`,
    operationId: 'installPackage',
    summary: 'Install a package (package.install directive)',
    tag: 'installations',
    access: 'tenant-admin',
    body: ZInstallBody,
    description: 'Idempotent: the same package, version and config give the same directive and installation (a double click installs once).',
    responses: {
      202: { description: 'Accepted; poll the installation.', schema: 'DirectiveAccepted', headers: { Location: 'The installation.' } },
      ...tenantWrite,
      409: err('Installed with another version or config (INSTALLATION_EXISTS).'),
    },
  },
  {
    method: 'get',
    path: `${T}/installations`,
    operationId: 'listInstallations',
    summary: 'Installations',
    tag: 'installations',
    access: 'tenant',
    responses: { 200: { description: 'Installations, newest first.', schema: 'InstallationList' }, ...tenantRead },
  },
  {
    method: 'get',
    path: INST,
    operationId: 'getInstallation',
    summary: 'An installation',
    tag: 'installations',
    access: 'tenant',
    responses: { 200: { description: 'The installation.', schema: 'Installation' }, ...tenantRead },
  },
  {
    method: 'post',
    path: `${INST}/upgrade`,
    operationId: 'upgradePackage',
    summary: 'Upgrade to another version (package.upgrade directive)',
    tag: 'installations',
    access: 'tenant-admin',
    body: ZUpgradeBody,
    description:
      'Migrates the config by the migration the package declares and re-provisions. Idempotency key dir:pkg_upgrade:{tenant}:{slug}:{from}:{to}: repeated requests give one directive. A downgrade is refused unless the package declares it.',
    responses: {
      202: { description: 'Accepted; poll the directive.', schema: 'DirectiveAccepted', headers: { Location: 'The directive.' } },
      ...tenantWrite,
      409: err('Not installed, already at that version, another upgrade in progress, or no declared path (INVALID_STATE).'),
    },
  },
  {
    method: 'post',
    path: `${INST}/runs`,
    operationId: 'runNow',
    summary: 'Run now (limited per tenant per hour)',
    tag: 'installations',
    access: 'tenant-admin',
    description:
      "For packages that offer manual runs (PackageModule.runs); the package decides what a run is and may refuse one it is not ready for (e.g. the digest's NOT_CONFIGURED).",
    responses: {
      202: { description: 'Started.', schema: 'RunAccepted' },
      ...tenantWrite,
      ...E429,
      409: err('Not installed (INVALID_STATE), or the package has no manual runs (RUNS_NOT_SUPPORTED).'),
      422: err('The package is not ready to run: e.g. Mattermost is not connected (NOT_CONFIGURED).'),
    },
  },
  {
    method: 'delete',
    path: INST,
    operationId: 'uninstallPackage',
    summary: 'Uninstall (package.uninstall directive)',
    tag: 'installations',
    access: 'tenant-admin',
    responses: { 202: { description: 'Accepted.', schema: 'DirectiveAccepted' }, ...tenantWrite },
  },
  {
    method: 'get',
    path: `${T}/integrations/llm`,
    operationId: 'getLlmConnection',
    summary: 'The tenant’s own LLM key for the digest summary (masked), or null',
    tag: 'digest',
    access: 'tenant',
    responses: { 200: { description: 'The connection, or null.', schema: 'CredentialState' }, ...tenantRead },
  },
  {
    method: 'put',
    path: `${T}/integrations/llm`,
    operationId: 'connectLlm',
    summary: 'Connect or replace the tenant’s own OpenAI-compatible LLM key',
    tag: 'digest',
    access: 'tenant-admin',
    body: ZConnectLlmBody,
    description:
      'Checks the base URL with the outbound guard and the key with GET {base_url}/models (no tokens spent), then stores key and base URL encrypted. A refused key is not stored. Prices (USD per 1000 tokens) default to the platform’s for the model; a model without a price is never called.',
    responses: {
      200: { description: 'Connected.', schema: 'CredentialState' },
      ...tenantWrite,
      422: err('The provider did not accept it (CREDENTIAL_REJECTED; details.kind says why).'),
    },
  },
  {
    method: 'delete',
    path: `${T}/integrations/llm`,
    operationId: 'disconnectLlm',
    summary: 'Disconnect the tenant’s own LLM key (the secret is destroyed)',
    tag: 'digest',
    access: 'tenant-admin',
    responses: { 204: { description: 'Disconnected.', schema: null }, ...tenantWrite },
  },

  // Directives, executions
  {
    method: 'get',
    path: `${T}/directives`,
    operationId: 'listDirectives',
    summary: 'Directive history',
    tag: 'history',
    access: 'tenant',
    query: ZDirectiveListQuery,
    responses: { 200: { description: 'Newest first.', schema: 'DirectiveList' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/directives/{id}`,
    operationId: 'getDirective',
    summary: 'A directive with its signals',
    tag: 'history',
    access: 'tenant',
    responses: { 200: { description: 'The directive.', schema: 'DirectiveDetail' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/executions`,
    operationId: 'listExecutions',
    summary: 'Runs of every package (executions), newest first',
    tag: 'history',
    access: 'tenant',
    query: ZExecutionListQuery,
    responses: { 200: { description: 'Newest first.', schema: 'ExecutionList' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/executions/{id}`,
    operationId: 'getExecution',
    summary: 'A run with its logs',
    tag: 'history',
    access: 'tenant',
    responses: { 200: { description: 'The run.', schema: 'ExecutionDetail' }, ...tenantRead },
  },
  {
    method: 'post',
    path: `${T}/executions/{id}/retry`,
    operationId: 'retryRun',
    summary: 'Retry a failed run (never posts twice)',
    tag: 'history',
    access: 'tenant-admin',
    responses: {
      202: { description: 'Started.', schema: 'RunAccepted' },
      ...tenantWrite,
      ...E429,
      409: err(
        "Only a failed run of the installation's package can be retried (INVALID_STATE); the package has no manual runs (RUNS_NOT_SUPPORTED); a later run already covered it (RETRY_SUPERSEDED).",
      ),
    },
  },

  // Signals
  {
    method: 'post',
    path: `${T}/signals`,
    operationId: 'ingestSignals',
    summary: `Report agent.execution.* and workflow.run.* signals (batch of up to ${MAX_INGEST_BATCH})`,
    tag: 'signals',
    access: 'tenant-admin',
    body: ZIngestBody,
    description:
      'For a tenant’s own systems, with an owner or admin API token. All-or-nothing: one invalid signal refuses the batch (details name signals.<i>.<field>). ' +
      'Idempotent by dedupe_key: a key seen before counts as a duplicate. Stored with source "ingest:<source>" and dedupe key "ingest:<dedupe_key>". Body up to 1 MiB.',
    responses: { 200: { description: 'Stored.', schema: 'IngestResult' }, ...tenantWrite, 413: err('The body is over 1 MiB (PAYLOAD_TOO_LARGE).') },
  },
  {
    method: 'get',
    path: `${T}/signals`,
    operationId: 'listSignals',
    summary: 'Signals, newest first, with filters',
    tag: 'signals',
    access: 'tenant',
    query: ZSignalListQuery,
    responses: { 200: { description: 'A page of signals.', schema: 'SignalList' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/timeline`,
    operationId: 'getTenantTemporalSearch',
    summary: 'The Temporal Web UI search for every workflow of this tenant',
    tag: 'signals',
    access: 'tenant',
    responses: { 200: { description: 'The query and its link.', schema: 'TenantTemporalSearch' }, ...tenantRead },
  },
  {
    method: 'get',
    path: `${T}/timeline/{correlationId}`,
    operationId: 'getTimeline',
    summary: 'What happened: directives, runs, logs and signals of one correlation id, in time order',
    tag: 'signals',
    access: 'tenant',
    responses: { 200: { description: 'The timeline (empty when nothing was recorded under this id).', schema: 'Timeline' }, ...tenantRead },
  },
];

export const API_OPERATIONS: readonly ApiOperation[] = [...PLATFORM_OPERATIONS, ...PACKAGE_MODULES.flatMap((m) => m.apiOperations ?? [])];

const SECURITY: Record<Access, Array<Record<string, string[]>> | undefined> = {
  public: undefined,
  'signed-in': [{ sessionCookie: [] }],
  tenant: [{ bearerToken: [] }, { sessionCookie: [] }],
  'tenant-admin': [{ bearerToken: [] }, { sessionCookie: [], csrfToken: [] }],
};

/** JSON Schema from zod, without zod's long regexes where a format says the same. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return tidy(out) as Record<string, unknown>;
}

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const obj = { ...(node as Record<string, unknown>) };
  if (typeof obj.format === 'string' && ['date-time', 'uuid', 'email'].includes(obj.format)) delete obj.pattern;
  for (const [k, v] of Object.entries(obj)) obj[k] = tidy(v);
  return obj;
}

function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(RESPONSE_SCHEMAS)) registry.add(schema, { id });
  // The packages' own response schemas (PackageResponseSchema), once each.
  const own = new Map<string, z.ZodType>();
  for (const op of API_OPERATIONS)
    for (const r of Object.values(op.responses)) if (r.schema && typeof r.schema !== 'string') own.set(r.schema.name, r.schema.zod);
  for (const [id, schema] of own) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  const schemas: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(out.schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = s;
    schemas[id] = tidy(rest);
  }
  return schemas;
}

function pathParameters(path: string) {
  return Array.from(path.matchAll(/\{(\w+)\}/g), (m) => {
    const schema = PATH_PARAMS[m[1]];
    if (!schema) throw new Error(`openapi: no schema for path parameter {${m[1]}} in ${path}`);
    const json = jsonSchema(schema, 'input');
    const { description, ...rest } = json;
    return { name: m[1], in: 'path', required: true, schema: rest, ...(description ? { description } : {}) };
  });
}

function queryParameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  const json = jsonSchema(query, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: 'query', required: (json.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) };
  });
}

export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) } : {}),
        ...(r.schema ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName(r.schema)}` } } } } : {}),
      };
    }
    const parameters = [...pathParameters(op.path), ...queryParameters(op.query)];
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      ...(SECURITY[op.access] ? { security: SECURITY[op.access] } : {}),
      ...(op.access === 'tenant-admin' ? { 'x-required-roles': ['owner', 'admin'] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'FleetPrompt API',
      version: '1.0.0',
      description:
        'JSON API of FleetPrompt. Errors are always { error: { code, message, details? } }. Browsers sign in with POST /api/auth/login (an HttpOnly cookie) ' +
        'and send x-csrf-token on every state-changing request; programs send "Authorization: Bearer <token>". Installs, config, credentials, runs and signal ingest need the owner or admin role.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    // The platform's tags, then any a package's operations add.
    tags: [
      ...new Set(['health', 'meta', 'auth', 'packages', 'api-tokens', 'installations', 'digest', 'history', 'signals', ...API_OPERATIONS.map((op) => op.tag)]),
    ].map((name) => ({ name })),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (fpk_…), bound to one tenant and role.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'fp_session', description: 'The browser session from POST /api/auth/login.' },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'x-csrf-token',
          description: 'The session’s csrf_token; required with the cookie on POST, PUT and DELETE.',
        },
      },
    },
  };
}
