-- Hourly rollups of the signal counts the digest reads, so a 24 h aggregation reads tens of rows
-- instead of every signal of the window (bench/digest-aggregation.ts: 48 ms at 1M signals, and
-- growing with the tenant). One row per (tenant, UTC hour, type, error kind) with the number of
-- signals and the sum/count of numeric payload.cost_usd.
--
-- Maintained by statement-level triggers in the same transaction as the insert or delete, so a
-- rollup is never ahead of or behind its signals: ON CONFLICT DO NOTHING skips of duplicate
-- dedupe keys are not in the transition table (nothing counted twice), a rolled-back insert rolls
-- its counts back, and the retention purge (app_purge_signals) takes its counts out.
--
-- error_kind is the digest's key (coalesce(error_kind, error_type, 'unknown') for *.failed types,
-- '' for the rest). It is a free-form tenant string, so the primary key holds its md5 rather than
-- the text (a btree key must stay under ~2.7 kB).

CREATE TABLE "signal_hourly_rollups" (
    "tenant_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "error_kind_hash" TEXT NOT NULL,
    "error_kind" TEXT NOT NULL,
    "n" BIGINT NOT NULL,
    "cost_n" BIGINT NOT NULL,
    "cost_sum" NUMERIC NOT NULL,

    CONSTRAINT "signal_hourly_rollups_pkey" PRIMARY KEY ("tenant_id", "hour", "type", "error_kind_hash")
);

ALTER TABLE "signal_hourly_rollups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "signal_hourly_rollups" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "signal_hourly_rollups"
  USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
-- Read-only for the application: only the triggers below (running as the owner) write it.
GRANT SELECT ON "signal_hourly_rollups" TO fleetprompt_app;

-- The rollup key and measures of a set of signal rows (the insert's or the delete's transition
-- table), grouped and in key order.
CREATE OR REPLACE FUNCTION app_signal_error_kind(p_type text, p_payload jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN p_type LIKE '%.failed' THEN coalesce(p_payload->>'error_kind', p_payload->>'error_type', 'unknown') ELSE '' END $$;

CREATE OR REPLACE FUNCTION app_signal_cost(p_payload jsonb) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN jsonb_typeof(p_payload->'cost_usd') = 'number' THEN (p_payload->>'cost_usd')::numeric END $$;

-- Rows are upserted in key order, so two transactions touching the same rollups take their row
-- locks in the same order and cannot deadlock on them.
CREATE OR REPLACE FUNCTION app_signals_rollup_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
  AS $$
BEGIN
  INSERT INTO signal_hourly_rollups AS r (tenant_id, hour, type, error_kind_hash, error_kind, n, cost_n, cost_sum)
  SELECT tenant_id, hour, type, md5(error_kind), error_kind, count(*), count(cost), coalesce(sum(cost), 0)
    FROM (SELECT tenant_id, date_trunc('hour', occurred_at, 'UTC') AS hour, type,
                 app_signal_error_kind(type, payload) AS error_kind, app_signal_cost(payload) AS cost
            FROM new_signals) s
   GROUP BY tenant_id, hour, type, error_kind
   ORDER BY tenant_id, hour, type, md5(error_kind)
  ON CONFLICT (tenant_id, hour, type, error_kind_hash) DO UPDATE
    SET n = r.n + excluded.n, cost_n = r.cost_n + excluded.cost_n, cost_sum = r.cost_sum + excluded.cost_sum;
  RETURN NULL;
END
$$;

-- One key at a time in key order (the insert trigger's order), so the purge and a concurrent
-- ingest of old signals cannot deadlock; a rollup whose count reaches 0 is removed.
CREATE OR REPLACE FUNCTION app_signals_rollup_delete() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public
  AS $$
DECLARE
  d record;
  remaining bigint;
BEGIN
  FOR d IN
    SELECT tenant_id, hour, type, md5(error_kind) AS error_kind_hash, count(*) AS n, count(cost) AS cost_n, coalesce(sum(cost), 0) AS cost_sum
      FROM (SELECT tenant_id, date_trunc('hour', occurred_at, 'UTC') AS hour, type,
                   app_signal_error_kind(type, payload) AS error_kind, app_signal_cost(payload) AS cost
              FROM old_signals) s
     GROUP BY tenant_id, hour, type, error_kind
     ORDER BY tenant_id, hour, type, md5(error_kind)
  LOOP
    UPDATE signal_hourly_rollups r
       SET n = r.n - d.n, cost_n = r.cost_n - d.cost_n, cost_sum = r.cost_sum - d.cost_sum
     WHERE r.tenant_id = d.tenant_id AND r.hour = d.hour AND r.type = d.type AND r.error_kind_hash = d.error_kind_hash
     RETURNING r.n INTO remaining;
    IF remaining IS NOT NULL AND remaining <= 0 THEN
      DELETE FROM signal_hourly_rollups r
       WHERE r.tenant_id = d.tenant_id AND r.hour = d.hour AND r.type = d.type AND r.error_kind_hash = d.error_kind_hash;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION app_signals_rollup_insert(), app_signals_rollup_delete() FROM PUBLIC;

-- CREATE TRIGGER locks out concurrent inserts until this migration commits, so the backfill
-- below and the trigger together count every signal exactly once.
CREATE TRIGGER signals_rollup_insert AFTER INSERT ON "signals"
  REFERENCING NEW TABLE AS new_signals FOR EACH STATEMENT EXECUTE FUNCTION app_signals_rollup_insert();
CREATE TRIGGER signals_rollup_delete AFTER DELETE ON "signals"
  REFERENCING OLD TABLE AS old_signals FOR EACH STATEMENT EXECUTE FUNCTION app_signals_rollup_delete();

INSERT INTO signal_hourly_rollups (tenant_id, hour, type, error_kind_hash, error_kind, n, cost_n, cost_sum)
SELECT tenant_id, hour, type, md5(error_kind), error_kind, count(*), count(cost), coalesce(sum(cost), 0)
  FROM (SELECT tenant_id, date_trunc('hour', occurred_at, 'UTC') AS hour, type,
               app_signal_error_kind(type, payload) AS error_kind, app_signal_cost(payload) AS cost
          FROM signals) s
 GROUP BY tenant_id, hour, type, error_kind;
