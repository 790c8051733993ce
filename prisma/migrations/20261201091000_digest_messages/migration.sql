-- The digest message of each run (what was posted, and the full digest behind the truncation
-- pointer), so the product can show its own output. Purged with the signals' retention.
CREATE TABLE "digest_messages" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "execution_id" UUID NOT NULL,
    "installation_id" UUID NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "full_text" TEXT NOT NULL,
    "truncated" BOOLEAN NOT NULL,
    "line_count" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,
    "username" TEXT,
    "icon_url" TEXT,
    "channel" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "digest_messages_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "digest_messages_execution_id_key" ON "digest_messages"("execution_id");
CREATE INDEX "digest_messages_tenant_id_correlation_id_idx" ON "digest_messages"("tenant_id", "correlation_id");
CREATE INDEX "digest_messages_tenant_id_installation_id_created_at_idx" ON "digest_messages"("tenant_id", "installation_id", "created_at");
CREATE INDEX "digest_messages_created_at_idx" ON "digest_messages"("created_at");

GRANT SELECT, INSERT, UPDATE ON "digest_messages" TO fleetprompt_app;
ALTER TABLE "digest_messages" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "digest_messages" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "digest_messages" USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());

-- Deletes at most p_batch digest messages created before p_before, oldest first, across tenants
-- (the retention purge, after the signals of the same cutoff). Same guards as app_purge_signals.
CREATE OR REPLACE FUNCTION app_purge_digest_messages(p_before timestamptz, p_batch integer)
  RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public
  SET lock_timeout = '2s'
  AS $$
DECLARE
  deleted integer;
BEGIN
  IF p_before IS NULL OR p_before > now() - interval '1 day' THEN
    RAISE EXCEPTION 'app_purge_digest_messages: p_before must be at least one day in the past' USING ERRCODE = '22023';
  END IF;
  IF p_batch IS NULL OR p_batch < 1 OR p_batch > 50000 THEN
    RAISE EXCEPTION 'app_purge_digest_messages: p_batch must be between 1 and 50000' USING ERRCODE = '22023';
  END IF;
  DELETE FROM digest_messages
   WHERE ctid = ANY (ARRAY(
     SELECT ctid FROM digest_messages
      WHERE created_at < p_before
      ORDER BY created_at
      LIMIT p_batch
      FOR UPDATE SKIP LOCKED));
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;

REVOKE ALL ON FUNCTION app_purge_digest_messages(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_purge_digest_messages(timestamptz, integer) TO fleetprompt_app;
