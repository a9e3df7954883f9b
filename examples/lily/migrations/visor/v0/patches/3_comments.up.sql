-- Comments document; they change nothing an instance reads: allowed on existing objects too.
COMMENT ON TABLE hosts IS 'machines the visor checks';
COMMENT ON COLUMN checks.ok IS 'true when the check passed';
