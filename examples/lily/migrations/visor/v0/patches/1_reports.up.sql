-- A new table of its own, with its own index and a foreign key to an existing table: allowed.
CREATE TABLE reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id bigint NOT NULL REFERENCES hosts ON DELETE CASCADE,
    body text NOT NULL
);
CREATE INDEX reports_host ON reports (host_id);
