package dev.gearshift.jdbc;


/** A SQL database's own dump tool, run before a migration when asked. */
public interface Backup {

    /**
     * Writes a backup of {@code schema} to {@code file} before a run changes it (the InfluxDB seed's backup
     * path), with the database's own dump tool. Throws when the backup cannot be made: nothing is run then.
     */
    void backup(JdbcTarget target, String schema, java.nio.file.Path file);
}
