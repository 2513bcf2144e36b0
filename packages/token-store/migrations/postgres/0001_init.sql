-- @x-oauth/token-store, PostgreSQL schema version 1.
--
-- Applied once by migratePostgres(), in one transaction, as the admin role (the role that owns
-- the schema). {{schema}}, {{reader_role}}, {{writer_role}} and {{maintenance_role}} are
-- replaced by quoted identifiers, {{reader_role_literal}} and {{writer_role_literal}} by quoted
-- string literals; the names are checked against ^[a-z_][a-z0-9_]{0,62}$ first.
--
-- Who may do what:
--   reader role       SELECT on its owner's token row only (row-level security).
--   writer role       SELECT, INSERT, UPDATE on its owner's token row only; no DELETE at all.
--   maintenance role  (the admin by default) every row, but only in a transaction that sets
--                     x_oauth.maintenance = 'on' (key rotation's scan, deletions); otherwise
--                     its owner's row, like the writer.
-- The owner is set per transaction by the backend with set_config(..., true), so it never
-- leaks to the next user of a pooled connection.

CREATE TABLE {{schema}}.tokens (
  app_id text NOT NULL CHECK (app_id <> ''),
  user_id text NOT NULL CHECK (user_id <> ''),
  kind text NOT NULL CHECK (kind IN ('oauth1', 'oauth2')),
  -- Grows by one on every write; every write is `UPDATE ... WHERE version = expected`.
  version bigint NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('active', 'needs_reauth')),
  key_id text NOT NULL,
  -- The AES-256-GCM envelope `xts1.<keyId>.<iv>.<ciphertext+tag>`: never a plaintext token.
  ciphertext text NOT NULL,
  -- OAuth 2.0 access-token expiry, ms since the epoch (null for OAuth 1.0a).
  expires_at bigint,
  -- When the row was written, ms since the epoch (the store's clock).
  updated_at bigint NOT NULL,
  PRIMARY KEY (app_id, user_id)
);

COMMENT ON TABLE {{schema}}.tokens IS
  'x-oauth token store: one encrypted record per (app, user); row-level security by owner';

-- Encryptions per key, for AES-GCM's random-IV limit (rotate well before 2^32 per key).
CREATE TABLE {{schema}}.key_usage (
  key_id text PRIMARY KEY,
  encryptions bigint NOT NULL CHECK (encryptions >= 0)
);

-- Roles are cluster-wide: create them only when missing, so two schemas may share them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {{reader_role_literal}}) THEN
    CREATE ROLE {{reader_role}} LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {{writer_role_literal}}) THEN
    CREATE ROLE {{writer_role}} LOGIN;
  END IF;
END
$$;

REVOKE ALL ON SCHEMA {{schema}} FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA {{schema}} FROM PUBLIC;
GRANT USAGE ON SCHEMA {{schema}} TO {{reader_role}}, {{writer_role}};

GRANT SELECT ON {{schema}}.tokens, {{schema}}.key_usage TO {{reader_role}};
-- No DELETE: a compromised app process can overwrite its current owner's row (with a newer
-- version) but never erase rows; deletion goes through the maintenance connection.
GRANT SELECT, INSERT, UPDATE ON {{schema}}.tokens, {{schema}}.key_usage TO {{writer_role}};

ALTER TABLE {{schema}}.tokens ENABLE ROW LEVEL SECURITY;
-- FORCE: the table owner (the admin) is bound by the policies too, so an admin session sees
-- nothing unless it opts in with x_oauth.maintenance (or is a superuser / BYPASSRLS role).
ALTER TABLE {{schema}}.tokens FORCE ROW LEVEL SECURITY;

-- current_setting(..., true) is NULL when never set and '' after a transaction-local setting
-- ended; neither matches a row (ids are never empty: see the CHECKs above).
CREATE POLICY tokens_owner_select ON {{schema}}.tokens
  FOR SELECT TO {{reader_role}}, {{writer_role}}
  USING (app_id = current_setting('x_oauth.app_id', true)
     AND user_id = current_setting('x_oauth.user_id', true));

CREATE POLICY tokens_owner_insert ON {{schema}}.tokens
  FOR INSERT TO {{writer_role}}
  WITH CHECK (app_id = current_setting('x_oauth.app_id', true)
          AND user_id = current_setting('x_oauth.user_id', true));

CREATE POLICY tokens_owner_update ON {{schema}}.tokens
  FOR UPDATE TO {{writer_role}}
  USING (app_id = current_setting('x_oauth.app_id', true)
     AND user_id = current_setting('x_oauth.user_id', true))
  WITH CHECK (app_id = current_setting('x_oauth.app_id', true)
          AND user_id = current_setting('x_oauth.user_id', true));

-- The maintenance role sees every row only when it opts in; otherwise it is scoped by owner
-- like the application roles (so the admin can also serve as the application connection).
CREATE POLICY tokens_maintenance ON {{schema}}.tokens
  FOR ALL TO {{maintenance_role}}
  USING (current_setting('x_oauth.maintenance', true) = 'on'
     OR (app_id = current_setting('x_oauth.app_id', true)
         AND user_id = current_setting('x_oauth.user_id', true)))
  WITH CHECK (current_setting('x_oauth.maintenance', true) = 'on'
     OR (app_id = current_setting('x_oauth.app_id', true)
         AND user_id = current_setting('x_oauth.user_id', true)));

-- The backend's owner-scoped calls, one round trip each: every function sets the owner
-- (transaction-local, so only for the single statement's own transaction) before its one
-- statement runs. SECURITY INVOKER (the default): the caller's privileges and the policies
-- above apply unchanged inside. Parameters are prefixed p_ so they never shadow columns.
CREATE FUNCTION {{schema}}.read_token(p_app_id text, p_user_id text)
RETURNS SETOF {{schema}}.tokens
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM set_config('x_oauth.app_id', p_app_id, true), set_config('x_oauth.user_id', p_user_id, true);
  RETURN QUERY
    SELECT t.* FROM {{schema}}.tokens t WHERE t.app_id = p_app_id AND t.user_id = p_user_id;
END
$$;

-- Compare-and-swap from version 0: one INSERT that does nothing when a row exists.
CREATE FUNCTION {{schema}}.insert_token(
  p_app_id text, p_user_id text, p_kind text, p_version bigint, p_status text, p_key_id text,
  p_ciphertext text, p_expires_at bigint, p_updated_at bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  written bigint;
BEGIN
  PERFORM set_config('x_oauth.app_id', p_app_id, true), set_config('x_oauth.user_id', p_user_id, true);
  INSERT INTO {{schema}}.tokens
    (app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at)
  VALUES
    (p_app_id, p_user_id, p_kind, p_version, p_status, p_key_id, p_ciphertext, p_expires_at, p_updated_at)
  ON CONFLICT (app_id, user_id) DO NOTHING;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written = 1;
END
$$;

-- Compare-and-swap from version p_expected: one UPDATE guarded by the version. Under READ
-- COMMITTED a concurrent writer's commit makes this re-check the version, so exactly one wins.
CREATE FUNCTION {{schema}}.update_token(
  p_app_id text, p_user_id text, p_kind text, p_version bigint, p_status text, p_key_id text,
  p_ciphertext text, p_expires_at bigint, p_updated_at bigint, p_expected bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  written bigint;
BEGIN
  PERFORM set_config('x_oauth.app_id', p_app_id, true), set_config('x_oauth.user_id', p_user_id, true);
  UPDATE {{schema}}.tokens
  SET kind = p_kind, version = p_version, status = p_status, key_id = p_key_id,
      ciphertext = p_ciphertext, expires_at = p_expires_at, updated_at = p_updated_at
  WHERE app_id = p_app_id AND user_id = p_user_id AND version = p_expected;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written = 1;
END
$$;

REVOKE ALL ON FUNCTION {{schema}}.read_token(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION {{schema}}.insert_token(text, text, text, bigint, text, text, text, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION {{schema}}.update_token(text, text, text, bigint, text, text, text, bigint, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {{schema}}.read_token(text, text) TO {{reader_role}}, {{writer_role}};
GRANT EXECUTE ON FUNCTION {{schema}}.insert_token(text, text, text, bigint, text, text, text, bigint, bigint) TO {{writer_role}};
GRANT EXECUTE ON FUNCTION {{schema}}.update_token(text, text, text, bigint, text, text, text, bigint, bigint, bigint) TO {{writer_role}};
