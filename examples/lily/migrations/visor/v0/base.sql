-- Major 0 of the visor schema: what every instance of major 0 reads and writes.
-- The one-row table Lily keeps for the major; the history records it too (versions 0, 0.1, 0.2, ...).
CREATE TABLE visor_version (major int NOT NULL);
INSERT INTO visor_version VALUES (0);

CREATE TABLE hosts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    port int NOT NULL DEFAULT 22
);

CREATE TABLE checks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id bigint NOT NULL REFERENCES hosts ON DELETE CASCADE,
    checked_at timestamptz NOT NULL DEFAULT now(),
    ok boolean NOT NULL
);
