-- Signal retention: signals are append-only for the application (fleetprompt_app may SELECT and
-- INSERT, never UPDATE or DELETE). Purging old ones is the one exception, and it goes through this
-- narrow SECURITY DEFINER function, called by the daily retention workflow.

-- The purge walks signals oldest first across all tenants. (On a large existing table, build it
-- beforehand with CREATE INDEX CONCURRENTLY under this name; IF NOT EXISTS then makes this a no-op.)
CREATE INDEX IF NOT EXISTS "signals_occurred_at_idx" ON "signals"("occurred_at");

-- Deletes at most p_batch signals that occurred before p_before, oldest first, and returns how
-- many it deleted. One call is one short statement: it locks only the rows it deletes, skips rows
-- another transaction holds (SKIP LOCKED), and gives up rather than queue behind a lock for long.
-- The caller loops until a call returns fewer than p_batch. Refuses to touch the last 24 hours, so
-- the application role cannot use it to erase recent history.
-- Runs as its owner (the migration role, as the other app_* functions).
CREATE OR REPLACE FUNCTION app_purge_signals(p_before timestamptz, p_batch integer)
  RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public
  SET lock_timeout = '2s'
  AS $$
DECLARE
  deleted integer;
BEGIN
  IF p_before IS NULL OR p_before > now() - interval '1 day' THEN
    RAISE EXCEPTION 'app_purge_signals: p_before must be at least one day in the past' USING ERRCODE = '22023';
  END IF;
  IF p_batch IS NULL OR p_batch < 1 OR p_batch > 50000 THEN
    RAISE EXCEPTION 'app_purge_signals: p_batch must be between 1 and 50000' USING ERRCODE = '22023';
  END IF;
  DELETE FROM signals
   WHERE ctid = ANY (ARRAY(
     SELECT ctid FROM signals
      WHERE occurred_at < p_before
      ORDER BY occurred_at
      LIMIT p_batch
      FOR UPDATE SKIP LOCKED));
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;

REVOKE ALL ON FUNCTION app_purge_signals(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_purge_signals(timestamptz, integer) TO fleetprompt_app;
