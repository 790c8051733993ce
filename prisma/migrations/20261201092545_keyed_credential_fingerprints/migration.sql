-- Credential fingerprints become keyed per tenant with a server key (lib/crypto/fingerprint.ts).
-- The old ones were an unkeyed hash of the secret: with one, a guessed webhook URL or token could
-- be confirmed offline, and the same webhook showed the same fingerprint in every tenant. SQL
-- cannot compute the keyed ones (the key is not in the database), so the old values are removed
-- and the column may be null until `npm run keys:rotate` (which decrypts each credential anyway)
-- or a Reconnect computes the new one. The copies in credential signals' payloads go as well.
--
-- Both tables force row-level security even for their owner; the migration lifts that for the
-- span of its own transaction, to reach every tenant's rows, and restores it.
ALTER TABLE "integration_credentials" ALTER COLUMN "fingerprint" DROP NOT NULL;
ALTER TABLE "integration_credentials" NO FORCE ROW LEVEL SECURITY;
UPDATE "integration_credentials" SET "fingerprint" = NULL WHERE "fingerprint" IS NOT NULL;
ALTER TABLE "integration_credentials" FORCE ROW LEVEL SECURITY;

ALTER TABLE "signals" NO FORCE ROW LEVEL SECURITY;
UPDATE "signals" SET "payload" = "payload" - 'fingerprint'
 WHERE "type" IN ('integration.credential.connected', 'integration.credential.revoked') AND "payload" ? 'fingerprint';
ALTER TABLE "signals" FORCE ROW LEVEL SECURITY;
