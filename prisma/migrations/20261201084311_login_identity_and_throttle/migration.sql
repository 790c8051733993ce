-- Sign-in by exact identity, and failed-sign-in limits shared by every API replica.
--
-- 1. users.email holds the normalised address (trimmed, lower-cased): sign-in looks it up with
--    "=", never a case-insensitive pattern (ILIKE made "_" and "%" in a typed email wildcards).
--    Two accounts whose addresses differ only by case cannot both keep theirs: the migration
--    stops with a message naming the count, and an operator merges or renames them first.
DO $$
DECLARE
  clashes integer;
BEGIN
  SELECT count(*) INTO clashes FROM (
    SELECT lower(btrim(email)) FROM users GROUP BY 1 HAVING count(*) > 1
  ) c;
  IF clashes > 0 THEN
    RAISE EXCEPTION 'users: % email address(es) exist in several spellings that differ only by case or surrounding spaces; merge or rename those accounts, then migrate again', clashes;
  END IF;
END
$$;
UPDATE "users" SET "email" = lower(btrim("email")) WHERE "email" <> lower(btrim("email"));
ALTER TABLE "users" ADD CONSTRAINT "users_email_normalized" CHECK ("email" = lower(btrim("email")));

-- 2. Sign-in attempts counted per bucket in fixed windows: the account, the client address, and
--    the two together. Keys are SHA-256 hashes (no typed address is stored). A row lives until
--    its window ends; only ended windows are ever deleted, so a live limit cannot be evicted.
--    Global (sign-in precedes any tenant), like users and sessions: no row-level security.
CREATE TABLE "login_throttles" (
  "key" TEXT NOT NULL,
  "attempts" INTEGER NOT NULL,
  "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "login_throttles_window_ends_at_idx" ON "login_throttles"("window_ends_at");
GRANT SELECT, INSERT, UPDATE, DELETE ON "login_throttles" TO fleetprompt_app;
