-- Major 1: hosts became machines with an owner, checks keep their latency. Incompatible with major 0, so a
-- database at major 0 is refused: moving its data to major 1 is a manual data migration.
CREATE TABLE visor_version (major int NOT NULL);
INSERT INTO visor_version VALUES (1);

CREATE TABLE machines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    owner text NOT NULL,
    port int NOT NULL DEFAULT 22
);

CREATE TABLE checks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    machine_id bigint NOT NULL REFERENCES machines ON DELETE CASCADE,
    checked_at timestamptz NOT NULL DEFAULT now(),
    latency_ms int,
    ok boolean NOT NULL
);
