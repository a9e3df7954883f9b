package dev.gearshift.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryImport;
import dev.gearshift.Result;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.Test;

/**
 * Liquibase itself updates the first changesets; Gearshift imports its history, and with
 * {@code keep_tool_history: true} keeps DATABASECHANGELOG as Liquibase would while it applies the rest, so that
 * Liquibase's own validate passes and its update finds nothing to do; after a Gearshift down, Liquibase's update
 * applies the changeset again. For formatted SQL, Liquibase's MD5SUM (computed by its library) is compared on import.
 */
class LiquibaseHistoryKeptTest extends LiquibaseProjectTest {

    private static final String SQL = """
            --liquibase formatted sql

            --changeset alice:1
            --comment: the plans
            CREATE TABLE plans (id int PRIMARY KEY, name text);
            --rollback DROP TABLE plans;

            --changeset alice:2 splitStatements:false
            CREATE FUNCTION plan_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM plans';
            --rollback DROP FUNCTION plan_count();

            --changeset bob:views runOnChange:true
            CREATE OR REPLACE VIEW plan_names AS SELECT name FROM plans;
            """;

    private static final String SQL_NEXT = """

            --changeset bob:3
            CREATE TABLE orders (id int, plan_id int);
            --rollback DROP TABLE orders;
            """;

    private static final String XML = XML_HEAD + """
                <include file="db/changelog/001-plans.xml"/>
                <changeSet author="bob" id="prices">
                    <comment>prices, by plan</comment>
                    <sql>CREATE TABLE prices (plan_id int NOT NULL, amount numeric(10,2))</sql>
                    <rollback>DROP TABLE prices;</rollback>
                </changeSet>
            <!--NEXT-->
            </databaseChangeLog>
            """;

    private static final String PLANS = XML_HEAD + """
                <changeSet author="alice" id="1">
                    <createTable tableName="plans">
                        <column name="id" type="int"><constraints primaryKey="true"/></column>
                        <column name="name" type="varchar(100)"/>
                    </createTable>
                </changeSet>
            </databaseChangeLog>
            """;

    private static final String XML_NEXT = """
                <changeSet author="carol" id="orders">
                    <createTable tableName="orders">
                        <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                        <column name="plan_id" type="int"/>
                    </createTable>
                </changeSet>
                <changeSet author="carol" id="orders-index">
                    <createIndex tableName="orders" indexName="orders_plan_idx">
                        <column name="plan_id"/>
                    </createIndex>
                </changeSet>
            """;

    private Gearshift gearshift(String schema, boolean keep) throws IOException {
        return gearshift(schema, "module: app\nkeep_tool_history: " + keep + "\n");
    }

    private List<String> changelogRows(String schema) throws Exception {
        return db.column("SELECT author || ':' || id || ' ' || filename || ' ' || orderexecuted || ' ' || exectype"
                + " || ' ' || md5sum || ' ' || coalesce(description, '-') || ' [' || coalesce(comments, '-') || '] '"
                + " || liquibase || ' ' || deployment_id FROM \"" + schema + "\".databasechangelog"
                + " ORDER BY orderexecuted");
    }

    /** Liquibase's validate passes, nothing is unrun, and its update changes nothing in DATABASECHANGELOG. */
    private void liquibaseFindsNothingToDo(String schema, String changelog) throws Exception {
        liquibase(schema, changelog, l -> {
            l.validate();
            return null;
        });
        List<ChangeSet> unrun = liquibase(schema, changelog,
                l -> l.listUnrunChangeSets(new Contexts(), new LabelExpression()));
        assertThat(unrun).extracting(c -> c.getAuthor() + ":" + c.getId()).isEmpty();
        List<String> before = changelogRows(schema);
        update(schema, changelog);
        assertThat(changelogRows(schema)).isEqualTo(before);
    }

    @Test
    void formattedSqlGearshiftKeepsDatabasechangelogSoLiquibaseFindsNothingToDo(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("changelog.sql", SQL);
        update(schema, "changelog.sql");
        // A new changeset, and the runOnChange view edited: Liquibase would run both.
        write("changelog.sql", SQL.replace("SELECT name FROM plans", "SELECT name, id FROM plans") + SQL_NEXT);
        Gearshift gs = gearshift(schema, true);
        assertThat(gs.importHistory("liquibase", false).recorded()).hasSize(3);
        assertThat(gs.status().module("app").orElseThrow().pendingRepeatables()).hasSize(1);

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/3_3", "app/R_views");
        List<String> rows = changelogRows(schema);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(2)).startsWith("bob:3 changelog.sql 4 EXECUTED 9:").contains(" sql [] 4.33");
        assertThat(rows.get(3)).startsWith("bob:views changelog.sql 5 RERAN 9:");
        assertThat(rows.get(0)).contains(" [the plans] ");
        // The statements are added to the scripts, not written into them: Gearshift's checksums are the files'.
        assertThat(gs.status().problems()).isEmpty();
        liquibaseFindsNothingToDo(schema, "changelog.sql");

        // Gearshift's down removes the row as Liquibase's rollback does: Liquibase's update applies it again.
        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::id).containsExactly("app/3_3");
        assertThat(tableExists(schema, "orders")).isFalse();
        assertThat(changelogRows(schema)).noneMatch(r -> r.startsWith("bob:3 "));
        update(schema, "changelog.sql");
        assertThat(tableExists(schema, "orders")).isTrue();
        assertThat(changelogRows(schema)).anyMatch(r -> r.startsWith("bob:3 changelog.sql 6 EXECUTED 9:"));
    }

    @Test
    void xmlGearshiftKeepsDatabasechangelogSoLiquibaseFindsNothingToDo(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("db.changelog-master.xml", XML);
        write("db/changelog/001-plans.xml", PLANS);
        update(schema, "db.changelog-master.xml");
        write("db.changelog-master.xml", XML.replace("<!--NEXT-->", XML_NEXT));
        Gearshift gs = gearshift(schema, true);
        gs.importHistory("liquibase", false);

        assertThat(gs.up().applied()).extracting(Result.Applied::id)
                .containsExactly("app/3_orders", "app/4_orders-index");
        assertThat(changelogRows(schema)).hasSize(4).element(2).asString()
                .startsWith("carol:orders db.changelog-master.xml 3 EXECUTED 9:")
                .contains(" createTable tableName=orders [] ");
        liquibaseFindsNothingToDo(schema, "db.changelog-master.xml");

        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::id)
                .containsExactly("app/4_orders-index");
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND indexname = 'orders_plan_idx'")).isEmpty();
        update(schema, "db.changelog-master.xml");
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND indexname = 'orders_plan_idx'")).containsExactly("orders_plan_idx");
        assertThat(changelogRows(schema)).last().asString()
                .startsWith("carol:orders-index db.changelog-master.xml 4 EXECUTED");
    }

    @Test
    void onAFreshSchemaGearshiftCreatesTheTablesLiquibaseCreates(TestDatabase db) throws Exception {
        write("changelog.sql", SQL);
        String byLiquibase = schema(db);
        update(byLiquibase, "changelog.sql");
        String byGearshift = schema(db);
        assertThat(gearshift(byGearshift, true).up().applied()).hasSize(3);
        assertThat(liquibaseTables(byGearshift)).isNotEmpty().isEqualTo(liquibaseTables(byLiquibase));
        liquibaseFindsNothingToDo(byGearshift, "changelog.sql");
    }

    private List<String> liquibaseTables(String schema) throws Exception {
        return db.column("SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                + " || coalesce(character_maximum_length::text, '') FROM information_schema.columns"
                + " WHERE table_schema = '" + schema + "' AND table_name LIKE 'databasechangelog%'"
                + " ORDER BY table_name, ordinal_position");
    }

    @Test
    void rowsLiquibaseWouldNotRecogniseAreNotWrittenTheMigrationFailsSayingWhy(TestDatabase db) throws Exception {
        String schema = schema(db);
        // Liquibase was given db/changelog.sql (its search path: the class path root); Gearshift reads db/.
        write("db/changelog.sql", SQL);
        update(schema, "db/changelog.sql");
        write("db/changelog.sql", SQL + SQL_NEXT);
        Files.writeString(dir.resolve("gearshift.yaml"), "module: app\nkeep_tool_history: true\n");
        Gearshift gs = Gearshift.configure().url(db.url()).schema(schema).project(dir)
                .migrations(dir.resolve("migrations/db")).build();
        gs.importHistory("liquibase", false);
        List<String> before = changelogRows(schema);
        assertThatThrownBy(gs::up).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("DATABASECHANGELOG names its changelog files as Liquibase was given them (such"
                        + " as db/changelog.sql), and none as Gearshift finds them under migrations: (changelog.sql)");
        assertThat(tableExists(schema, "orders")).isFalse();
        assertThat(changelogRows(schema)).isEqualTo(before);

        // As the message says: migrations: is Liquibase's search path, changelog: the file as Liquibase was given it.
        Files.writeString(dir.resolve("gearshift.yaml"), "module: app\nkeep_tool_history: true\n"
                + "changelog: db/changelog.sql\n");
        Gearshift fixed = Gearshift.configure().url(db.url()).schema(schema).project(dir)
                .migrations(dir.resolve("migrations")).build();
        assertThat(fixed.up().applied()).extracting(Result.Applied::id).containsExactly("app/3_3");
        assertThat(changelogRows(schema)).last().asString().startsWith("bob:3 db/changelog.sql 4 EXECUTED 9:");
        liquibaseFindsNothingToDo(schema, "db/changelog.sql");
    }

    @Test
    void changelogNamesAMasterChangelogOfAnotherName(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("db/main.xml", XML.replace("db/changelog/001-plans.xml", "changelog/001-plans.xml")
                .replace("<include file", "<include relativeToChangelogFile=\"true\" file"));
        write("db/changelog/001-plans.xml", PLANS);
        write("db/other.xml", XML_HEAD + "</databaseChangeLog>\n");
        update(schema, "db/main.xml");
        write("db/main.xml", XML.replace("db/changelog/001-plans.xml", "changelog/001-plans.xml")
                .replace("<include file", "<include relativeToChangelogFile=\"true\" file")
                .replace("<!--NEXT-->", XML_NEXT));
        Files.writeString(dir.resolve("gearshift.yaml"), "module: app\nkeep_tool_history: true\n"
                + "changelog: db/main.xml\n");
        Gearshift gs = Gearshift.configure().url(db.url()).schema(schema).project(dir)
                .migrations(dir.resolve("migrations")).build();
        assertThat(gs.importHistory("liquibase", false).recorded()).hasSize(2);
        assertThat(gs.up().applied()).extracting(Result.Applied::id)
                .containsExactly("app/3_orders", "app/4_orders-index");
        liquibaseFindsNothingToDo(schema, "db/main.xml");

        Files.writeString(dir.resolve("gearshift.yaml"), "module: app\nchangelog: db/missing.xml\n");
        assertThatThrownBy(() -> Gearshift.configure().url(db.url()).schema(schema).project(dir)
                .migrations(dir.resolve("migrations")).build().status()).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("changelog: db/missing.xml is not a file in ");
    }

    @Test
    void aFormattedSqlChangesetEditedSinceLiquibaseRanItIsRefusedByItsMd5sum(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("changelog.sql", SQL);
        update(schema, "changelog.sql");
        write("changelog.sql", SQL.replace("name text", "name varchar(80)"));
        Gearshift gs = gearshift(schema, false);
        assertThatThrownBy(() -> gs.importHistory("liquibase", false)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("DATABASECHANGELOG changeset alice:1 (changelog.sql): Liquibase recorded"
                        + " MD5SUM 9:")
                .hasMessageContaining("the changeset was edited after Liquibase ran it");
        if (tableExists(schema, Gearshift.HISTORY_TABLE)) {
            assertThat(db.column("SELECT count(*) FROM \"" + schema + "\"." + Gearshift.HISTORY_TABLE))
                    .containsExactly("0");
        }
        // Unedited, the same history is taken over.
        write("changelog.sql", SQL);
        HistoryImport imported = gearshift(schema, false).importHistory("liquibase", false);
        assertThat(imported.recorded()).hasSize(3);
    }
}
