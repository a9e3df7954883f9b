package dev.gearshift.postgres;

import dev.gearshift.jdbc.HistoryDdl;

/** The history table in PostgreSQL: an identity key, timestamps from the server, and the fence's unique column. */
final class PostgresHistoryDdl implements HistoryDdl {

    @Override
    public String createTable(String qualifiedTable) {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedTable + " ("
                + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " module text NOT NULL,"
                + " version bigint,"
                + " version_key text,"
                + " name text NOT NULL,"
                + " kind text NOT NULL,"
                + " action text NOT NULL CHECK (action IN ('up', 'down', 'baseline', 'repair')),"
                + " checksum text,"
                + " outcome text NOT NULL CHECK (outcome IN ('success', 'failed', 'rolled-back', 'started')),"
                + " error text,"
                + " installed_by text NOT NULL DEFAULT current_user,"
                + " installed_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                + " duration_ms bigint NOT NULL,"
                + " tool_version text NOT NULL,"
                + " follows bigint UNIQUE)";
    }

    @Override
    public String addFence(String qualifiedTable) {
        return "ALTER TABLE " + qualifiedTable + " ADD COLUMN IF NOT EXISTS follows bigint UNIQUE";
    }

    @Override
    public String addVersionKey(String qualifiedTable) {
        return "ALTER TABLE " + qualifiedTable + " ADD COLUMN IF NOT EXISTS version_key text,"
                + " ALTER COLUMN version DROP NOT NULL";
    }
}
