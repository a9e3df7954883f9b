-- A new view and a new function over existing tables: allowed; older instances never see them.
CREATE VIEW failing_hosts AS
    SELECT h.name, max(c.checked_at) AS last_failure
    FROM hosts h JOIN checks c ON c.host_id = h.id
    WHERE NOT c.ok
    GROUP BY h.name;

CREATE FUNCTION failures_since(since timestamptz) RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM checks WHERE NOT ok AND checked_at >= since $$;
