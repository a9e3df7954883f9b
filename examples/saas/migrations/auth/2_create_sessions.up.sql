/* Sessions expire; expire_sessions() is called by a scheduled job.
   /* nested comments are fine */ */
CREATE TABLE sessions (
    token      text PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);

COMMENT ON TABLE sessions IS E'Login sessions.\nOne row per device; it''s safe to delete expired rows.';

CREATE FUNCTION expire_sessions() RETURNS integer
    LANGUAGE sql AS $fn$
    WITH gone AS (DELETE FROM sessions WHERE expires_at < now() RETURNING 1)
    SELECT count(*)::integer FROM gone;
$fn$;
