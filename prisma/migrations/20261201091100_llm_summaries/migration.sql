-- The digest's LLM summary and its usage, one row per posting (dedupe key), tenant-scoped.
-- A tenant's own LLM key is an integration_credentials row of kind api_key.

-- AlterEnum
ALTER TYPE "CredentialKind" ADD VALUE IF NOT EXISTS 'api_key';

-- CreateTable
CREATE TABLE "llm_summaries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "installation_id" UUID NOT NULL,
    "execution_id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "text" TEXT,
    "provider_source" TEXT,
    "model" TEXT,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "usage_estimated" BOOLEAN NOT NULL DEFAULT false,
    "cost_usd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "llm_summaries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "llm_summaries_tenant_id_dedupe_key_key" ON "llm_summaries"("tenant_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "llm_summaries_tenant_id_created_at_idx" ON "llm_summaries"("tenant_id", "created_at");

-- Row-level security, as for every tenant-scoped table.
GRANT SELECT, INSERT, UPDATE ON "llm_summaries" TO fleetprompt_app;
ALTER TABLE "llm_summaries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "llm_summaries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "llm_summaries" USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
