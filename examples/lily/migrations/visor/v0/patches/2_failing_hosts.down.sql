DROP FUNCTION failures_since(timestamptz);
DROP VIEW failing_hosts;
