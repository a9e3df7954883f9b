package dev.gearshift.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryImport;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import liquibase.Liquibase;
import org.junit.jupiter.api.Test;

/**
 * Liquibase itself (from Maven Central) updates a schema from an XML or YAML changelog and writes
 * DATABASECHANGELOG; Gearshift reads the same changelog as it is (the change types turned into SQL by Liquibase's own
 * generators), imports that history and continues.
 */
class LiquibaseChangelogAdoptionTest extends LiquibaseProjectTest {

    private static final String MASTER = XML_HEAD + """
                <include file="db/changelog/001-plans.xml"/>
                <changeSet author="bob" id="prices">
                    <sql>CREATE TABLE prices (plan_id int NOT NULL, amount numeric(10,2));
                    INSERT INTO prices VALUES (1, 9.99);</sql>
                    <rollback>DROP TABLE prices;</rollback>
                </changeSet>
                <changeSet author="bob" id="price-index">
                    <createIndex tableName="prices" indexName="prices_plan_idx">
                        <column name="plan_id"/>
                    </createIndex>
                </changeSet>
            <!--NEXT-->
            </databaseChangeLog>
            """;

    private static final String PLANS = XML_HEAD + """
                <changeSet author="alice" id="1">
                    <createTable tableName="plans">
                        <column name="id" type="int" autoIncrement="true">
                            <constraints primaryKey="true" nullable="false"/>
                        </column>
                        <column name="name" type="varchar(100)">
                            <constraints nullable="false" unique="true"/>
                        </column>
                        <column name="created" type="timestamp" defaultValueComputed="now()"/>
                    </createTable>
                </changeSet>
                <changeSet author="alice" id="2">
                    <addColumn tableName="plans">
                        <column name="active" type="boolean" defaultValueBoolean="true"/>
                    </addColumn>
                </changeSet>
            </databaseChangeLog>
            """;

    private static final String NEXT = """
                <changeSet author="carol" id="orders">
                    <createTable tableName="orders">
                        <column name="id" type="bigint"><constraints primaryKey="true"/></column>
                        <column name="plan_id" type="int"/>
                    </createTable>
                    <addForeignKeyConstraint baseTableName="orders" baseColumnNames="plan_id"
                        constraintName="orders_plan_fk" referencedTableName="plans" referencedColumnNames="id"/>
                </changeSet>
            """;

    private Gearshift gearshift(TestDatabase db, String schema) throws IOException {
        return gearshift(schema, "module: app\n");
    }

    @Test
    void takesOverWhatLiquibaseRanFromAnXmlChangelogAndRunsTheNextChangeset(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("db.changelog-master.xml", MASTER);
        write("db/changelog/001-plans.xml", PLANS);
        update(schema, "db.changelog-master.xml");
        write("db.changelog-master.xml", MASTER.replace("<!--NEXT-->", NEXT));
        Gearshift gs = gearshift(db, schema);

        HistoryImport imported = gs.importHistory("liquibase", false);
        assertThat(imported.recorded()).extracting(HistoryImport.Imported::origin).containsExactly(
                "DATABASECHANGELOG changeset alice:1 (db/changelog/001-plans.xml)",
                "DATABASECHANGELOG changeset alice:2 (db/changelog/001-plans.xml)",
                "DATABASECHANGELOG changeset bob:prices (db.changelog-master.xml)",
                "DATABASECHANGELOG changeset bob:price-index (db.changelog-master.xml)");
        Status status = gs.status();
        assertThat(status.problems()).isEmpty();
        ModuleStatus app = status.module("app").orElseThrow();
        assertThat(app.current()).contains(Version.of(4));
        assertThat(app.pending()).containsExactly(Version.of(5));

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/5_orders");
        assertThat(db.column("SELECT conname FROM pg_constraint WHERE conname = 'orders_plan_fk'"))
                .containsExactly("orders_plan_fk");
        // createTable has Liquibase's automatic rollback: the down drops the table again.
        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::id).containsExactly("app/5_orders");
        assertThat(tableExists(schema, "orders")).isFalse();
        // createIndex's automatic rollback, then the explicit <rollback> of an sql changeset.
        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::id)
                .containsExactly("app/4_price-index");
        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::id).containsExactly("app/3_prices");
        assertThat(tableExists(schema, "prices")).isFalse();
        assertThat(tableExists(schema, "plans")).isTrue();
    }

    @Test
    void aChangesetEditedSinceLiquibaseRanItIsRefusedByItsMd5sum(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("db.changelog-master.xml", MASTER);
        write("db/changelog/001-plans.xml", PLANS);
        update(schema, "db.changelog-master.xml");
        write("db/changelog/001-plans.xml", PLANS.replace("defaultValueBoolean=\"true\"", "defaultValueBoolean=\"false\""));
        Gearshift gs = gearshift(db, schema);
        assertThatThrownBy(() -> gs.importHistory("liquibase", false)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("DATABASECHANGELOG changeset alice:2 (db/changelog/001-plans.xml): Liquibase"
                        + " recorded MD5SUM 9:")
                .hasMessageContaining("the changeset was edited after Liquibase ran it");
        if (tableExists(schema, Gearshift.HISTORY_TABLE)) {
            assertThat(db.column("SELECT count(*) FROM \"" + schema + "\"." + Gearshift.HISTORY_TABLE))
                    .containsExactly("0");
        }
    }

    @Test
    void gearshiftsSqlForAFreshDatabaseMakesTheTablesLiquibaseMakes(TestDatabase db) throws Exception {
        write("db.changelog-master.xml", MASTER.replace("<!--NEXT-->", NEXT));
        write("db/changelog/001-plans.xml", PLANS);
        String byLiquibase = schema(db);
        update(byLiquibase, "db.changelog-master.xml");
        String byGearshift = schema(db);
        Result result = gearshift(db, byGearshift).up();
        assertThat(result.applied()).hasSize(5);
        assertThat(columns(db, byGearshift)).isNotEmpty().isEqualTo(columns(db, byLiquibase).stream()
                .filter(c -> !c.startsWith("databasechangelog")).toList());
        assertThat(indexes(db, byGearshift)).isEqualTo(indexes(db, byLiquibase).stream()
                .filter(c -> !c.startsWith("databasechangelog")).toList());
    }

    private static List<String> columns(TestDatabase db, String schema) throws Exception {
        return db.column("SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                + " || coalesce(character_maximum_length::text, '') || ' ' || coalesce(numeric_precision::text, '')"
                + " || ' ' || coalesce(replace(column_default, '\"" + schema + "\".', ''), '')"
                + " FROM information_schema.columns WHERE table_schema = '" + schema + "'"
                + " AND table_name NOT LIKE 'gearshift%' ORDER BY table_name, column_name");
    }

    private static List<String> indexes(TestDatabase db, String schema) throws Exception {
        return db.column("SELECT tablename || ' ' || indexname FROM pg_indexes WHERE schemaname = '" + schema + "'"
                + " AND tablename NOT LIKE 'gearshift%' ORDER BY 1");
    }

    @Test
    void readsAYamlChangelog(TestDatabase db) throws Exception {
        String schema = schema(db);
        write("db.changelog-master.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 1
                      author: dora
                      changes:
                        - createTable:
                            tableName: notes
                            columns:
                              - column: { name: id, type: int, constraints: { primaryKey: true } }
                              - column: { name: body, type: text }
                  - changeSet:
                      id: 2
                      author: dora
                      changes:
                        - sql:
                            sql: INSERT INTO notes VALUES (1, 'hello')
                      rollback:
                        - sql:
                            sql: DELETE FROM notes WHERE id = 1
                  - includeAll:
                      path: more/
                      relativeToChangelogFile: true
                """);
        write("more/3-more-notes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: 3
                      author: dora
                      changes:
                        - sqlFile:
                            path: sql/more-notes.sql
                      rollback: DELETE FROM notes WHERE id > 1
                """);
        // Not in more/: includeAll would read a .sql file there as a changelog of its own, as Liquibase does.
        write("sql/more-notes.sql", "INSERT INTO notes VALUES (2, 'again');\nINSERT INTO notes VALUES (3, 'and again');\n");
        Gearshift gs = gearshift(db, schema);
        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/1_1", "app/2_2", "app/3_3");
        assertThat(db.column("SELECT body FROM \"" + schema + "\".notes ORDER BY id"))
                .containsExactly("hello", "again", "and again");
        gs.down(Target.version(Version.of(1)));
        assertThat(db.column("SELECT body FROM \"" + schema + "\".notes")).isEmpty();
        // Liquibase's offline connection writes databasechangelog.csv where it runs, unless told otherwise.
        assertThat(Path.of("databasechangelog.csv")).doesNotExist();
    }

    @Test
    void whatCannotBeTranslatedAndAChangesetWithoutAnIdAreRefusedNamingTheChangeset(TestDatabase db)
            throws Exception {
        String schema = schema(db);
        // Not one of the master names: the one changelog at the top is the master.
        write("app-changes.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: seed
                      author: erin
                      changes:
                        - loadData:
                            tableName: plans
                            file: plans.csv
                  - changeSet:
                      author: erin
                      changes:
                        - sql:
                            sql: SELECT 1
                  - changeSet:
                      id: say
                      author: erin
                      changes:
                        - output:
                            message: hello
                  - changeSet:
                      id: guarded
                      author: erin
                      preConditions:
                        - onFail: MARK_RAN
                        - tableExists:
                            tableName: plans
                      changes:
                        - sql:
                            sql: SELECT 1
                  - changeSet:
                      id: only-test
                      author: erin
                      context: test
                      changes:
                        - sql:
                            sql: SELECT 1
                """);
        write("plans.csv", "id,name\n1,basic\n");
        Status status = gearshift(db, schema).status();
        assertThat(status.problems()).extracting(Problem::message)
                .anyMatch(m -> m.startsWith("changeset erin:seed in ") && m.contains("loadData"))
                .anyMatch(m -> m.contains("a changeset without an id (author erin)"))
                .anyMatch(m -> m.startsWith("changeset erin:say in ") && m.contains("<output> is not SQL"))
                .anyMatch(m -> m.startsWith("changeset erin:guarded in ") && m.contains("preconditions"))
                .anyMatch(m -> m.startsWith("changeset erin:only-test in ") && m.contains("context:test"));
    }
}
