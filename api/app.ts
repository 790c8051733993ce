// Builds the Express app from its dependencies: no port, no globals, so tests use supertest.
import express, { type Express } from 'express';
import { AppError } from '../lib/errors/app-error';
import { defaultPackageCatalog, PACKAGE_MODULES, packageRunHooks } from '../packages/registry';
import type { AppDeps, ComposedAppDeps } from './app-deps';
import { authenticate, resolveTenant } from './middleware/auth';
import { csrfProtection, requireJsonBody } from './middleware/csrf';
import { errorHandler } from './middleware/error-handler';
import { rejectUnstorableText } from './middleware/storable-text';
import { requestContext } from './middleware/request-context';
import { rejectUndecodablePath } from './middleware/decodable-path';
import { noStoreByDefault, securityHeaders } from './middleware/security-headers';
import { apiTokensRouter } from './routes/api-tokens';
import { authRouter } from './routes/auth';
import { directivesRouter } from './routes/directives';
import { executionsRouter } from './routes/executions';
import { healthRouter } from './routes/health';
import { installationsRouter } from './routes/installations';
import { integrationsRouter } from './routes/integrations';
import { llmIntegrationRouter } from './routes/llm-integration';
import { metricsRouter } from './routes/metrics';
import { packagesRouter } from './routes/packages';
import { openApiRouter } from './routes/openapi';
import { ingestBodyParser, signalsRouter } from './routes/signals';
import { timelineRouter } from './routes/timeline';
import { uiRouter } from './routes/ui-pages';

export function createApp(input: AppDeps): Express {
  const deps: ComposedAppDeps = {
    ...input,
    packages: input.packages ?? defaultPackageCatalog(input.packageModules),
    runHooks: packageRunHooks(input.packageModules),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.http?.trustProxy ?? false); // req.ip: the socket peer unless TRUST_PROXY says otherwise
  app.use(requestContext(deps.logger)); // request id, log context, access log, HTTP metrics
  app.use(securityHeaders({ hstsMaxAgeSeconds: deps.http?.hstsMaxAgeSeconds }));
  app.use(rejectUndecodablePath()); // GET /%ff: a 400 here, not a router's URIError as a 500
  app.use(metricsRouter()); // GET /metrics (Prometheus)
  app.use(healthRouter(deps));

  const api = express.Router();
  api.use(noStoreByDefault());
  api.use('/tenants/:tenant/signals', ingestBodyParser()); // a batch of up to MAX_INGEST_BATCH signals
  api.use(express.json({ limit: '256kb', strict: true }));
  api.use(rejectUnstorableText()); // NUL / lone surrogates / undecodable paths: 400, not a 500 later
  api.use(authenticate(deps.db));
  api.use(csrfProtection(deps));
  api.use(requireJsonBody());
  api.use('/auth', authRouter(deps));
  api.use('/packages', packagesRouter(deps));
  api.use(openApiRouter());
  const tenantScoped = express.Router({ mergeParams: true });
  tenantScoped.use(resolveTenant(deps.db));
  tenantScoped.use('/api-tokens', apiTokensRouter(deps));
  tenantScoped.use('/integrations', integrationsRouter(deps));
  tenantScoped.use('/installations', installationsRouter(deps));
  // Each package's tenant-level endpoints (PackageModule.tenantRoutes): the core names none.
  for (const module of deps.packageModules ?? PACKAGE_MODULES) if (module.tenantRoutes) tenantScoped.use(module.tenantRoutes(deps));
  tenantScoped.use('/integrations/llm', llmIntegrationRouter(deps));
  tenantScoped.use('/directives', directivesRouter(deps));
  tenantScoped.use('/executions', executionsRouter(deps));
  tenantScoped.use('/signals', signalsRouter(deps));
  tenantScoped.use('/timeline', timelineRouter(deps));
  api.use('/tenants/:tenant', tenantScoped);
  api.use((req, _res, next) => next(new AppError('NOT_FOUND', `No API route ${req.method} ${req.path}.`)));
  app.use('/api', api);
  app.use(uiRouter(deps.packageModules ?? PACKAGE_MODULES));

  app.use(errorHandler(deps.logger));
  return app;
}
