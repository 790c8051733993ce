-- Who connected a connection and when, and the API token that disconnected one (a bearer token
-- has no user). integration_credentials keeps its row-level security policy; rows from before
-- keep null (not known), never a guess.
ALTER TABLE "integration_credentials" ADD COLUMN "disconnected_by_token_id" UUID;
ALTER TABLE "integration_credentials" ADD COLUMN "connected_at" TIMESTAMPTZ(3);
ALTER TABLE "integration_credentials" ADD COLUMN "connected_by_user_id" UUID;
ALTER TABLE "integration_credentials" ADD COLUMN "connected_by_token_id" UUID;
