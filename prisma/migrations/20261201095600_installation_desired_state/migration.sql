-- One versioned desired state per installation, reconciled into Temporal (issue 15).
ALTER TABLE "installations"
  ADD COLUMN "desired_version" INTEGER NOT NULL DEFAULT 1,
  ADD COLUMN "observed_version" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "schedule_effective_since" TIMESTAMPTZ(3);

ALTER TABLE "integration_credentials"
  ADD COLUMN "refusal_count" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "first_refused_at" TIMESTAMPTZ(3),
  ADD COLUMN "last_refusal_code" TEXT,
  ADD COLUMN "disconnected_at" TIMESTAMPTZ(3),
  ADD COLUMN "disconnected_by_user_id" UUID,
  ADD COLUMN "disconnect_reason" TEXT;

ALTER TABLE "executions" ADD COLUMN "digest_date" TEXT;
-- Scheduled runs before this migration: their local date was kept in the summary.
UPDATE "executions" SET "digest_date" = "summary"->>'local_date'
 WHERE "trigger" = 'scheduled' AND "summary" ? 'local_date';
CREATE INDEX "executions_installation_id_digest_date_idx" ON "executions"("installation_id", "digest_date");

CREATE TABLE "installation_changes" (
  "id" UUID NOT NULL,
  "tenant_id" UUID NOT NULL,
  "installation_id" UUID NOT NULL,
  "version" INTEGER NOT NULL,
  "actor_kind" TEXT NOT NULL,
  "actor_user_id" UUID,
  "actor_role" "Role",
  "change" TEXT NOT NULL,
  "details" JSONB NOT NULL DEFAULT '{}',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "installation_changes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "installation_changes_installation_id_version_key" ON "installation_changes"("installation_id", "version");
CREATE INDEX "installation_changes_tenant_id_installation_id_created_at_idx" ON "installation_changes"("tenant_id", "installation_id", "created_at");

GRANT SELECT, INSERT ON "installation_changes" TO fleetprompt_app;
ALTER TABLE "installation_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "installation_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "installation_changes"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- The reconciler's cross-tenant question: which installations' desired state is not applied yet?
CREATE OR REPLACE FUNCTION app_unapplied_installations(p_limit integer)
  RETURNS TABLE (id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id FROM installations
        WHERE observed_version < desired_version
        ORDER BY updated_at LIMIT p_limit $$;
REVOKE ALL ON FUNCTION app_unapplied_installations(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_unapplied_installations(integer) TO fleetprompt_app;
