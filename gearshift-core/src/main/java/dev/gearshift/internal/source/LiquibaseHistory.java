package dev.gearshift.internal.source;

import dev.gearshift.internal.model.Migration;
import dev.gearshift.spi.ChangelogReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps Liquibase's DATABASECHANGELOG as Liquibase's own {@code update} and {@code rollback} would, with
 * {@code keep_tool_history: true}: a changeset applied inserts its row (a runOnChange one run again updates it to
 * RERAN), a down deletes it; the statements go in the migration's own transaction ({@link ToolHistory}).
 * The values are those Liquibase writes: its checksum, description and comments, computed by its library
 * ({@link ChangelogReader}).
 */
final class LiquibaseHistory {

    /** Liquibase's DDL for PostgreSQL (CreateDatabaseChangeLogTableGenerator), made idempotent. */
    private static final List<String> TABLES = List.of("CREATE TABLE IF NOT EXISTS databasechangelog ("
                    + "ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL,"
                    + " DATEEXECUTED TIMESTAMP WITHOUT TIME ZONE NOT NULL, ORDEREXECUTED INTEGER NOT NULL,"
                    + " EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255),"
                    + " COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255),"
                    + " LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))",
            "CREATE TABLE IF NOT EXISTS databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL,"
                    + " LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY VARCHAR(255),"
                    + " CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID))",
            "INSERT INTO databasechangeloglock (ID, LOCKED) VALUES (1, FALSE) ON CONFLICT (ID) DO NOTHING");

    /**
     * Liquibase numbers a run's rows after the highest number so far, and gives a run's rows one deployment id, the
     * last ten digits of the time in milliseconds: here each migration is its own run.
     */
    private static final String ORDER = "(SELECT COALESCE(MAX(ORDEREXECUTED), 0) + 1 FROM databasechangelog)";
    private static final String DEPLOYMENT = "right((extract(epoch FROM now()) * 1000)::bigint::text, 10)";

    private LiquibaseHistory() {
    }

    /**
     * The migration with DATABASECHANGELOG's statements appended to its scripts.
     *
     * @param changeset   the changeset as Liquibase's library reads it (its file as Liquibase records it)
     * @param toolVersion Liquibase's version, as its LIQUIBASE column stores it
     */
    static Migration keep(Migration migration, ChangelogReader.Changeset changeset, String toolVersion) {
        String where = " WHERE ID = " + literal(changeset.id()) + " AND AUTHOR = " + literal(changeset.author())
                + " AND FILENAME = " + literal(changeset.file());
        List<String> up = new ArrayList<>(TABLES);
        if (changeset.runOnChange()) {
            // Liquibase's RERAN: the row of the changeset's earlier run is updated, not added again.
            up.add("UPDATE databasechangelog SET DATEEXECUTED = NOW(), ORDEREXECUTED = " + ORDER + ", MD5SUM = "
                    + literal(changeset.checksum()) + ", EXECTYPE = 'RERAN', DEPLOYMENT_ID = " + DEPLOYMENT
                    + ", COMMENTS = " + literal(changeset.comments()) + ", CONTEXTS = NULL, LABELS = NULL" + where);
        }
        up.add("INSERT INTO databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM,"
                + " DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) SELECT "
                + literal(changeset.id()) + ", " + literal(changeset.author()) + ", " + literal(changeset.file())
                + ", NOW(), " + ORDER + ", " + literal(changeset.checksum()) + ", "
                + literal(changeset.description()) + ", " + literal(changeset.comments()) + ", 'EXECUTED', NULL,"
                + " NULL, " + literal(toolVersion) + ", " + DEPLOYMENT
                + (changeset.runOnChange() ? " WHERE NOT EXISTS (SELECT 1 FROM databasechangelog" + where + ")" : ""));
        List<String> down = new ArrayList<>(TABLES);
        // Liquibase's rollback removes the changeset's row (RemoveChangeSetRanStatusGenerator).
        down.add("DELETE FROM databasechangelog" + where);
        return ToolHistory.append(migration, up, down);
    }

    private static String literal(String text) {
        return text == null ? "NULL" : "'" + text.replace("'", "''") + "'";
    }
}
