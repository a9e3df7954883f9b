package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command carries gearshift-liquibase: a Liquibase XML changelog is read as it is from the command line. */
@ExtendWith(PostgresExtension.class)
class LiquibaseChangelogCliTest {

    @Test
    void readsAnXmlChangelogAndRunsIt(TestDatabase db, @TempDir Path temp) throws Exception {
        Cli.write(temp.resolve("gearshift.yaml"), "module: app\n");
        Cli.write(temp.resolve("migrations").resolve("db.changelog-master.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                    <changeSet author="alice" id="plans">
                        <createTable tableName="plans">
                            <column name="id" type="int"><constraints primaryKey="true"/></column>
                        </createTable>
                    </changeSet>
                    <changeSet author="alice" id="plan-name">
                        <addColumn tableName="plans"><column name="name" type="varchar(50)"/></addColumn>
                    </changeSet>
                </databaseChangeLog>
                """);
        String schema = db.newSchema();
        db.execute("CREATE SCHEMA \"" + schema + "\"");
        List<String> target = List.of("-C", temp.toString(), "--url", db.url(), "--schema", schema);

        Run plan = run(Cli.args(target, "plan"));
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("CREATE TABLE plans", "ALTER TABLE plans ADD name VARCHAR(50)");
        Run up = run(Cli.args(target, "up"));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).contains("app/1_plans", "app/2_plan-name");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
                + "' AND table_name = 'plans' ORDER BY ordinal_position")).containsExactly("id", "name");
        db.dropSchemaQuietly(schema);
    }

    @Test
    void keepsDatabasechangelogForAFormattedSqlChangelogNamedInTheProject(TestDatabase db, @TempDir Path temp)
            throws Exception {
        Cli.write(temp.resolve("gearshift.yaml"), "module: app\nkeep_tool_history: true\n"
                + "changelog: db/changes.sql\n");
        Cli.write(temp.resolve("migrations").resolve("db").resolve("changes.sql"), """
                --liquibase formatted sql

                --changeset alice:plans
                CREATE TABLE plans (id int PRIMARY KEY);
                --rollback DROP TABLE plans;
                """);
        String schema = db.newSchema();
        db.execute("CREATE SCHEMA \"" + schema + "\"");
        List<String> target = List.of("-C", temp.toString(), "--url", db.url(), "--schema", schema);
        Run up = run(Cli.args(target, "up"));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(db.column("SELECT author || ':' || id || ' ' || filename || ' ' || exectype || ' '"
                + " || left(md5sum, 2) FROM \"" + schema + "\".databasechangelog"))
                .containsExactly("alice:plans db/changes.sql EXECUTED 9:");
        db.dropSchemaQuietly(schema);
    }
}
