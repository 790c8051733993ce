-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'member');

-- CreateEnum
CREATE TYPE "InstallationStatus" AS ENUM ('requested', 'installing', 'installed', 'failed', 'uninstalling', 'uninstalled');

-- CreateEnum
CREATE TYPE "DirectiveStatus" AS ENUM ('requested', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "CredentialKind" AS ENUM ('webhook', 'pat');

-- CreateEnum
CREATE TYPE "CredentialStatus" AS ENUM ('connected', 'invalid', 'revoked');

-- CreateEnum
CREATE TYPE "ExecutionTrigger" AS ENUM ('scheduled', 'manual', 'retry');

-- CreateEnum
CREATE TYPE "ExecutionStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('pending', 'posting', 'posted', 'failed', 'unknown');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "packages" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "packages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_by_user_id" UUID,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "package_slug" TEXT NOT NULL,
    "package_version" TEXT NOT NULL,
    "status" "InstallationStatus" NOT NULL DEFAULT 'requested',
    "config" JSONB NOT NULL DEFAULT '{}',
    "credential_id" UUID,
    "last_error" TEXT,
    "last_error_kind" TEXT,
    "last_successful_post_at" TIMESTAMPTZ(3),
    "schedule_id" TEXT,
    "installed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "installations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directives" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "status" "DirectiveStatus" NOT NULL DEFAULT 'requested',
    "idempotency_key" TEXT NOT NULL,
    "actor_user_id" UUID,
    "actor_role" "Role",
    "correlation_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT,
    "error" TEXT,
    "error_kind" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "directives_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signals" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "correlation_id" TEXT,
    "causation_id" TEXT,
    "dedupe_key" TEXT,
    "source" TEXT NOT NULL,
    "subject" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "integration_credentials" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "kind" "CredentialKind" NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "status" "CredentialStatus" NOT NULL,
    "last_verified_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "integration_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_templates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "installation_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_templates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "installation_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "executions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "installation_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "trigger" "ExecutionTrigger" NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "workflow_id" TEXT,
    "run_id" TEXT,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "status" "ExecutionStatus" NOT NULL DEFAULT 'pending',
    "error_kind" TEXT,
    "summary" JSONB,
    "retry_of_execution_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_logs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "execution_id" UUID NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "execution_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_messages" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "execution_id" UUID,
    "provider" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "status" "OutboundStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "content_hash" TEXT NOT NULL,
    "last_error_kind" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "posted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "packages_slug_version_key" ON "packages"("slug", "version");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_tenant_id_user_id_key" ON "memberships"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_tenant_id_idx" ON "api_tokens"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "installations_tenant_id_package_slug_key" ON "installations"("tenant_id", "package_slug");

-- CreateIndex
CREATE INDEX "directives_tenant_id_created_at_idx" ON "directives"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "directives_tenant_id_correlation_id_idx" ON "directives"("tenant_id", "correlation_id");

-- CreateIndex
CREATE INDEX "directives_status_created_at_idx" ON "directives"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "directives_tenant_id_idempotency_key_key" ON "directives"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "signals_tenant_id_occurred_at_idx" ON "signals"("tenant_id", "occurred_at");

-- CreateIndex
CREATE INDEX "signals_tenant_id_correlation_id_occurred_at_idx" ON "signals"("tenant_id", "correlation_id", "occurred_at");

-- CreateIndex
CREATE INDEX "signals_tenant_id_type_occurred_at_idx" ON "signals"("tenant_id", "type", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "signals_tenant_id_dedupe_key_key" ON "signals"("tenant_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "integration_credentials_tenant_id_idx" ON "integration_credentials"("tenant_id");

-- CreateIndex
CREATE INDEX "workflow_templates_tenant_id_idx" ON "workflow_templates"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_templates_installation_id_key_key" ON "workflow_templates"("installation_id", "key");

-- CreateIndex
CREATE INDEX "agent_templates_tenant_id_idx" ON "agent_templates"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "agent_templates_installation_id_key_key" ON "agent_templates"("installation_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "executions_workflow_id_key" ON "executions"("workflow_id");

-- CreateIndex
CREATE INDEX "executions_tenant_id_created_at_idx" ON "executions"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "executions_tenant_id_correlation_id_idx" ON "executions"("tenant_id", "correlation_id");

-- CreateIndex
CREATE INDEX "executions_tenant_id_installation_id_created_at_idx" ON "executions"("tenant_id", "installation_id", "created_at");

-- CreateIndex
CREATE INDEX "execution_logs_tenant_id_execution_id_at_idx" ON "execution_logs"("tenant_id", "execution_id", "at");

-- CreateIndex
CREATE INDEX "outbound_messages_tenant_id_execution_id_idx" ON "outbound_messages"("tenant_id", "execution_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_messages_tenant_id_dedupe_key_key" ON "outbound_messages"("tenant_id", "dedupe_key");

