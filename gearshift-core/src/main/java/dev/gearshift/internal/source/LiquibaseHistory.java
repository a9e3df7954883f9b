package dev.gearshift.internal.source;

import dev.gearshift.internal.model.Migration;
import dev.gearshift.spi.ChangelogReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
     * @param files       the project's changelog files as Liquibase's library names them
     */
    static Migration keep(Migration migration, ChangelogReader.Changeset changeset, String toolVersion,
                          Set<String> files) {
        String where = " WHERE ID = " + literal(changeset.id()) + " AND AUTHOR = " + literal(changeset.author())
                + " AND FILENAME = " + literal(changeset.file());
        List<String> up = new ArrayList<>(TABLES);
        up.add(sameFiles(files));
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
        return ToolHistory.keep(migration, up, down);
    }

    /**
     * Liquibase knows a changeset by id, author and file as it was given the file: when DATABASECHANGELOG holds rows
     * and none names one of the project's files as Gearshift names them (Liquibase ran from another directory, say
     * the class path root), rows written here would look like other changesets to Liquibase, which would run them
     * again. The migration fails instead, saying so.
     */
    private static String sameFiles(Set<String> files) {
        String known = String.join(", ", files.stream().sorted().map(LiquibaseHistory::literal).toList());
        return "DO $gearshift$ DECLARE other text; BEGIN"
                + " SELECT FILENAME INTO other FROM databasechangelog ORDER BY ORDEREXECUTED DESC LIMIT 1;"
                + " IF other IS NOT NULL AND NOT EXISTS (SELECT 1 FROM databasechangelog"
                + " WHERE regexp_replace(FILENAME, '^classpath:/?', '') IN (" + known + ")) THEN"
                + " RAISE EXCEPTION 'keep_tool_history: DATABASECHANGELOG names its changelog files as Liquibase was"
                + " given them (such as %), and none as Gearshift finds them under migrations: (%): make migrations:"
                + " the directory Liquibase searched (its class path root) and changelog: the master changelog as"
                + " Liquibase was given it', other, " + literal(String.join(", ", files.stream().sorted().toList()))
                + "; END IF; END $gearshift$";
    }

    private static String literal(String text) {
        return text == null ? "NULL" : "'" + text.replace("'", "''") + "'";
    }
}
