-- Tenant isolation enforced by PostgreSQL itself.
-- The application connects as fleetprompt_app (or a login role granted it; lib/db/client.ts).
-- That role owns no table and has no BYPASSRLS, so every tenant-scoped query is filtered by
-- the per-transaction setting app.tenant_id (set by lib/db/with-tenant.ts).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleetprompt_app') THEN
    CREATE ROLE fleetprompt_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

-- The tenant of the current transaction, or NULL when none is set (then no row is visible).
CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

GRANT USAGE ON SCHEMA public TO fleetprompt_app;
GRANT EXECUTE ON FUNCTION app_current_tenant() TO fleetprompt_app;

-- Global tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON "tenants", "users", "sessions", "packages" TO fleetprompt_app;

-- Tenant-scoped tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON
  "memberships", "api_tokens", "installations", "directives", "integration_credentials",
  "workflow_templates", "agent_templates", "executions", "execution_logs", "outbound_messages"
  TO fleetprompt_app;
-- Signals are append-only for the application.
GRANT SELECT, INSERT ON "signals" TO fleetprompt_app;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'memberships', 'api_tokens', 'installations', 'directives', 'signals',
    'integration_credentials', 'workflow_templates', 'agent_templates', 'executions',
    'execution_logs', 'outbound_messages'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
      t
    );
  END LOOP;
END
$$;

-- Narrow cross-tenant look-ups the platform needs before it knows the tenant. SECURITY DEFINER
-- runs them as the table owner; each returns only what its caller needs.

-- Bearer-token authentication: the token hash names its tenant.
CREATE OR REPLACE FUNCTION app_find_api_token(p_token_hash text)
  RETURNS TABLE (id uuid, tenant_id uuid, role "Role", revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, role, revoked_at FROM api_tokens WHERE token_hash = p_token_hash $$;

-- The tenants a signed-in user belongs to.
CREATE OR REPLACE FUNCTION app_user_memberships(p_user_id uuid)
  RETURNS TABLE (tenant_id uuid, role "Role")
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT tenant_id, role FROM memberships WHERE user_id = p_user_id $$;

-- The reconciler: directives still waiting for their workflow, across tenants.
CREATE OR REPLACE FUNCTION app_stale_requested_directives(p_older_than timestamptz, p_limit integer)
  RETURNS TABLE (id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id FROM directives
        WHERE status = 'requested' AND created_at < p_older_than
        ORDER BY created_at LIMIT p_limit $$;

REVOKE ALL ON FUNCTION app_find_api_token(text), app_user_memberships(uuid),
  app_stale_requested_directives(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_find_api_token(text), app_user_memberships(uuid),
  app_stale_requested_directives(timestamptz, integer) TO fleetprompt_app;
