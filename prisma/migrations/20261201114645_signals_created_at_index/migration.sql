-- The failure alerts cut their windows on created_at (the database's commit-side clock), not on
-- occurred_at (the producer's claim, which an ingester may set in the past): a late signal with an
-- old occurred_at must still fall into the next window. The window queries filter by tenant (RLS),
-- type (the four failure types) and a created_at range; without this index they read every failure
-- of the tenant's retention period (EXPLAIN on 1M signals, a tenant with 20,000 failures: a bitmap
-- heap scan of 17,242 blocks, ~250 ms, for the 27 of the last hour; bench/alert-window-explain.ts).
-- Not a tenant table of its own: signals keep their existing RLS policy.
-- (On a large existing table, build it beforehand with CREATE INDEX CONCURRENTLY under this name;
-- IF NOT EXISTS then makes this a no-op.)
CREATE INDEX IF NOT EXISTS "signals_tenant_id_type_created_at_idx" ON "signals"("tenant_id", "type", "created_at");
