-- API tokens may expire (expires_at, optional), and the look-up tells the expiry so an expired
-- token is refused. last_used_at (already a column) is now written on use, at most once a minute.
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" TIMESTAMPTZ(3);

-- The return type changes, so the function is dropped and created again (same grants).
DROP FUNCTION app_find_api_token(text);
CREATE FUNCTION app_find_api_token(p_token_hash text)
  RETURNS TABLE (id uuid, tenant_id uuid, role "Role", revoked_at timestamptz, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, role, revoked_at, expires_at FROM api_tokens WHERE token_hash = p_token_hash $$;
REVOKE ALL ON FUNCTION app_find_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_find_api_token(text) TO fleetprompt_app;
