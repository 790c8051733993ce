-- Integrations belong to the tenant: one Mattermost connection per tenant (the spec's one
-- workspace per tenant), to which each installation binds with its own channel (its config).
-- The connection is an integration_credentials row (encrypted as before); this table names it
-- the tenant's. Nothing is moved or rewritten: every credential row, ciphertext and every
-- installation's credential_id and config stay exactly as they were.
CREATE TABLE "tenant_integrations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "credential_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_integrations_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "tenant_integrations_tenant_id_provider_key" ON "tenant_integrations"("tenant_id", "provider");

GRANT SELECT, INSERT, UPDATE, DELETE ON "tenant_integrations" TO fleetprompt_app;
ALTER TABLE "tenant_integrations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_integrations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tenant_integrations" USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- Existing connections: each tenant's most recently verified connected Mattermost credential that
-- a live installation uses becomes the tenant's connection. Installations bound to other rows keep
-- them (a webhook may be tied to its own channel): nothing is lost, and reconnecting at tenant
-- level later rebinds only the installations without a working connection.
INSERT INTO "tenant_integrations" ("id", "tenant_id", "provider", "credential_id", "updated_at")
SELECT DISTINCT ON (c."tenant_id") gen_random_uuid(), c."tenant_id", c."provider", c."id", now()
  FROM "integration_credentials" c
 WHERE c."provider" = 'mattermost'
   AND c."status" = 'connected'
   AND EXISTS (SELECT 1 FROM "installations" i WHERE i."credential_id" = c."id" AND i."status" <> 'uninstalled')
 ORDER BY c."tenant_id", c."last_verified_at" DESC NULLS LAST, c."updated_at" DESC, c."id";
