package dev.gearshift.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.GearshiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule fires on one script and stays quiet on its safe counterpart, every rule switched on. */
class LintRulesTest {

    private static final LintConfig ALL = allRules(17);

    static LintConfig allRules(int major) {
        Map<Rule, Severity> map = new EnumMap<>(Rule.class);
        Arrays.stream(Rule.values()).forEach(r -> map.put(r, r.defaultSeverity()));
        return new LintConfig(major, map);
    }

    static List<String> fired(LintConfig config, String sql) {
        return new Linter(config).lint(List.of(new LintScript("V1__x.sql", sql)), Set.of(), true).findings().stream()
                .filter(f -> !f.ignored()).map(f -> f.rule().id()).toList();
    }

    /** rule, a script on which it fires, a script on which it must not. */
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(Rule.REQUIRE_CONCURRENT_INDEX_CREATION, "CREATE INDEX orders_customer ON orders (customer_id)",
                        "CREATE TABLE orders (id bigint); CREATE INDEX orders_id ON orders (id)"),
                Arguments.of(Rule.REQUIRE_CONCURRENT_INDEX_DELETION, "DROP INDEX orders_customer",
                        "DROP INDEX CONCURRENTLY orders_customer"),
                Arguments.of(Rule.ADDING_REQUIRED_FIELD, "ALTER TABLE orders ADD COLUMN note text NOT NULL",
                        "ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT ''"),
                Arguments.of(Rule.ADDING_FIELD_WITH_DEFAULT,
                        "ALTER TABLE orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()",
                        "ALTER TABLE orders ADD COLUMN created timestamptz NOT NULL DEFAULT now()"),
                Arguments.of(Rule.CHANGING_COLUMN_TYPE, "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)",
                        "ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0"),
                Arguments.of(Rule.ADDING_NOT_NULLABLE_FIELD, "ALTER TABLE orders ALTER COLUMN note SET NOT NULL",
                        "ALTER TABLE orders ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;\n"
                                + "ALTER TABLE orders VALIDATE CONSTRAINT note_nn;\n"
                                + "ALTER TABLE orders ALTER COLUMN note SET NOT NULL"),
                Arguments.of(Rule.ADDING_FOREIGN_KEY_CONSTRAINT,
                        "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id)",
                        "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id)"
                                + " NOT VALID"),
                Arguments.of(Rule.CONSTRAINT_MISSING_NOT_VALID, "ALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0)",
                        "ALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0) NOT VALID"),
                Arguments.of(Rule.ADDING_PRIMARY_KEY_CONSTRAINT, "ALTER TABLE orders ADD PRIMARY KEY (id)",
                        "ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id"),
                Arguments.of(Rule.DISALLOWED_UNIQUE_CONSTRAINT, "ALTER TABLE orders ADD CONSTRAINT u UNIQUE (ref)",
                        "ALTER TABLE orders ADD CONSTRAINT u UNIQUE USING INDEX orders_ref"),
                Arguments.of(Rule.RENAMING_TABLE, "ALTER TABLE orders RENAME TO purchases",
                        "CREATE TABLE t (id bigint); ALTER TABLE t RENAME TO t2"),
                Arguments.of(Rule.RENAMING_COLUMN, "ALTER TABLE orders RENAME COLUMN note TO remark",
                        "ALTER TABLE orders RENAME CONSTRAINT a TO b"),
                Arguments.of(Rule.BAN_DROP_TABLE, "DROP TABLE orders",
                        "CREATE TABLE scratch (id bigint); DROP TABLE scratch"),
                Arguments.of(Rule.BAN_DROP_COLUMN, "ALTER TABLE orders DROP COLUMN note",
                        "ALTER TABLE orders DROP CONSTRAINT note_check"),
                Arguments.of(Rule.ENUM_ADD_VALUE_IN_TRANSACTION,
                        "ALTER TYPE status ADD VALUE 'shipped';\nUPDATE orders SET status = 'shipped' WHERE id = 1",
                        "ALTER TYPE status ADD VALUE 'shipped'"),
                Arguments.of(Rule.BAN_VACUUM_FULL, "VACUUM FULL orders", "VACUUM ANALYZE orders"),
                Arguments.of(Rule.BAN_CLUSTER, "CLUSTER orders USING orders_pkey", "ANALYZE orders"),
                Arguments.of(Rule.REQUIRE_CONCURRENT_REINDEX, "REINDEX TABLE orders",
                        "-- gearshift:no-transaction\nREINDEX TABLE CONCURRENTLY orders"),
                Arguments.of(Rule.LOCK_TIMEOUT_DISABLED, "SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN x text",
                        "-- the backfill below holds no lock worth waiting for\nSET lock_timeout = 0"),
                Arguments.of(Rule.TRANSACTION_NESTING, "BEGIN;\nCREATE TABLE t (id bigint);\nCOMMIT",
                        "CREATE TABLE t (id bigint)"),
                Arguments.of(Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION,
                        "CREATE TABLE t (id bigint);\nCREATE INDEX CONCURRENTLY o_c ON orders (c)",
                        "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS o_c ON orders (c)"),
                Arguments.of(Rule.BAN_DROP_DATABASE, "DROP DATABASE legacy", "DROP SCHEMA IF EXISTS legacy"),
                Arguments.of(Rule.BAN_TRUNCATE_CASCADE, "TRUNCATE orders CASCADE", "TRUNCATE orders"),
                Arguments.of(Rule.BAN_DROP_NOT_NULL, "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL",
                        "ALTER TABLE orders ALTER COLUMN note DROP DEFAULT"),
                Arguments.of(Rule.BAN_CREATE_DOMAIN_WITH_CONSTRAINT,
                        "CREATE DOMAIN positive AS int CHECK (VALUE > 0)", "CREATE DOMAIN code AS text"),
                Arguments.of(Rule.BAN_ALTER_DOMAIN_WITH_ADD_CONSTRAINT,
                        "ALTER DOMAIN code ADD CONSTRAINT c CHECK (length(VALUE) < 9)",
                        "ALTER DOMAIN code ADD CONSTRAINT c CHECK (length(VALUE) < 9) NOT VALID"),
                Arguments.of(Rule.REQUIRE_CONCURRENT_PARTITION_DETACH,
                        "ALTER TABLE events DETACH PARTITION events_2020",
                        "-- gearshift:no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY"),
                Arguments.of(Rule.IDENTIFIER_TOO_LONG,
                        "CREATE INDEX CONCURRENTLY an_index_name_that_is_far_too_long_for_postgresql_to_keep_whole_x"
                                + " ON t (c)", "CREATE TABLE short_enough (id bigint)"),
                                Arguments.of(Rule.PREFER_BIGINT, "CREATE TABLE t (id int PRIMARY KEY)",
                        "CREATE TABLE t (id bigint PRIMARY KEY)"),
                Arguments.of(Rule.PREFER_IDENTITY, "CREATE TABLE t (id bigserial PRIMARY KEY)",
                        "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)"),
                Arguments.of(Rule.PREFER_TIMESTAMPTZ, "CREATE TABLE t (at timestamp NOT NULL)",
                        "CREATE TABLE t (at timestamp with time zone NOT NULL, b timestamptz)"),
                Arguments.of(Rule.PREFER_TEXT_FIELD, "ALTER TABLE orders ADD COLUMN code varchar(20)",
                        "ALTER TABLE orders ADD COLUMN code text"),
                Arguments.of(Rule.BAN_CHAR_FIELD, "CREATE TABLE t (code char(3))", "CREATE TABLE t (code text)"),
                Arguments.of(Rule.PREFER_ROBUST_STMTS,
                        "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY o_c ON orders (c)",
                        "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS o_c ON orders (c)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void fires_on_the_unsafe_script_and_not_on_the_safe_one(Rule rule, String unsafe, String safe) {
        assertThat(fired(ALL, unsafe)).contains(rule.id());
        assertThat(fired(ALL, safe)).doesNotContain(rule.id());
    }

    @Test
    void every_rule_has_a_case() {
        assertThat(rules().map(a -> a.get()[0])).containsExactlyInAnyOrder((Object[]) Rule.values());
    }

    @Test
    void a_script_that_does_not_split_is_an_error_naming_where() {
        assertThatThrownBy(() -> fired(ALL, "SELECT 1;\nSELECT 'never closed"))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("V1__x.sql:2");
    }

    @Test
    void keywords_in_strings_comments_and_quoted_names_fire_nothing() {
        assertThat(fired(ALL, "INSERT INTO audit (note) VALUES ('DROP TABLE orders; VACUUM FULL')")).isEmpty();
        assertThat(fired(ALL, "/* DROP TABLE orders */ SELECT 1 -- CLUSTER orders")).isEmpty();
        assertThat(fired(ALL, "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DROP TABLE orders $$"))
                .isEmpty();
    }

    @Test
    void validating_in_the_transaction_that_added_not_valid_and_a_column_with_references_are_caught() {
        String sameTransaction = "ALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0) NOT VALID;\n"
                + "ALTER TABLE orders VALIDATE CONSTRAINT pos";
        assertThat(fired(ALL, sameTransaction)).containsExactly("constraint-missing-not-valid");
        assertThat(fired(ALL, "ALTER TABLE orders VALIDATE CONSTRAINT pos")).isEmpty();
        assertThat(fired(ALL, "ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers (id)"))
                .containsExactly("adding-foreign-key-constraint");
        assertThat(fired(ALL, "ALTER TABLE orders ADD COLUMN customer_id bigint")).isEmpty();
    }

    /** The shape of what `diff` writes for tables in use (its online part): nothing in it may fire. */
    @Test
    void the_online_shape_the_diff_engine_writes_fires_nothing() {
        String online = "-- gearshift:no-transaction\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_ref_key ON orders (ref);\n"
                + "ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE USING INDEX orders_ref_key;\n"
                + "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)"
                + " REFERENCES customers (id) NOT VALID;\n"
                + "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;\n"
                + "ALTER TABLE orders ADD CONSTRAINT orders_note_nn CHECK (note IS NOT NULL) NOT VALID;\n"
                + "ALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn;\n"
                + "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
                + "ALTER TABLE orders DROP CONSTRAINT orders_note_nn;\n"
                + "DROP INDEX CONCURRENTLY IF EXISTS orders_old;\n";
        assertThat(fired(LintConfig.defaults(), online)).isEmpty();
    }

    @Test
    void a_default_calling_an_unknown_function_may_be_volatile_but_known_stable_ones_and_casts_are_not() {
        assertThat(fired(ALL, "ALTER TABLE orders ADD COLUMN ok boolean DEFAULT my_func()"))
                .containsExactly("adding-field-with-default");
        assertThat(fired(ALL, "ALTER TABLE orders ADD COLUMN a timestamptz DEFAULT now(),"
                + " ADD COLUMN b numeric DEFAULT 0::numeric(10,2), ADD COLUMN c jsonb DEFAULT jsonb_build_object()"))
                .isEmpty();
    }

    @Test
    void a_column_added_unique_or_as_primary_key_builds_its_index_under_lock() {
        assertThat(fired(ALL, "ALTER TABLE orders ADD COLUMN ref text UNIQUE"))
                .containsExactly("disallowed-unique-constraint");
        assertThat(fired(ALL, "ALTER TABLE orders ADD COLUMN id bigserial PRIMARY KEY"))
                .contains("adding-primary-key-constraint", "adding-field-with-default");
        assertThat(fired(ALL, "CREATE TABLE t (ref text UNIQUE, id bigint PRIMARY KEY)")).isEmpty();
    }

    @Test
    void a_constant_default_rewrites_only_before_postgresql_11() {
        String sql = "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'";
        assertThat(fired(allRules(17), sql)).isEmpty();
        assertThat(fired(allRules(10), sql)).containsExactly("adding-field-with-default");
    }

    @Test
    void set_not_null_is_not_proven_by_a_check_before_postgresql_12() {
        String sql = "ALTER TABLE orders ADD CONSTRAINT nn CHECK (note IS NOT NULL) NOT VALID;\n"
                + "ALTER TABLE orders VALIDATE CONSTRAINT nn;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL";
        assertThat(fired(allRules(11), sql)).contains("adding-not-nullable-field");
        assertThat(fired(allRules(12), sql)).doesNotContain("adding-not-nullable-field");
    }

    @Test
    void enum_add_value_fails_in_a_transaction_before_postgresql_12() {
        assertThat(fired(allRules(11), "ALTER TYPE status ADD VALUE 'x'")).contains("enum-add-value-in-transaction");
        assertThat(fired(allRules(11), "-- gearshift:no-transaction\nALTER TYPE status ADD VALUE 'x'")).isEmpty();
    }

    @Test
    void findings_carry_file_line_and_column_and_an_ignore_comment_silences_with_its_reason() {
        String sql = "CREATE TABLE t (id bigint);\n\n"
                + "-- gearshift:lint-ignore require-concurrent-index-creation orders has 12 rows\n"
                + "CREATE INDEX a ON orders (x);\n"
                + "  DROP INDEX b;\n";
        LintReport report = new Linter(LintConfig.defaults()).lint(List.of(new LintScript("db/V2__i.sql", sql)),
                Set.of(), true);
        assertThat(report.findings()).hasSize(2);
        Finding ignored = report.findings().get(0);
        assertThat(ignored.rule()).isEqualTo(Rule.REQUIRE_CONCURRENT_INDEX_CREATION);
        assertThat(ignored.ignoredBecause()).isEqualTo("orders has 12 rows");
        assertThat(ignored.position()).isEqualTo("db/V2__i.sql:4:1");
        Finding drop = report.findings().get(1);
        assertThat(drop.ignored()).isFalse();
        assertThat(drop.position()).isEqualTo("db/V2__i.sql:5:3");
        assertThat(report.errors()).isEqualTo(1);
    }

    @Test
    void one_comment_silences_several_rules_and_squawk_ignore_comments_are_read_too() {
        String sql = "-- gearshift:lint-ignore ban-drop-column, renaming-column old clients are gone\n"
                + "ALTER TABLE orders DROP COLUMN a, RENAME COLUMN b TO c;\n"
                + "-- squawk-ignore ban-drop-table\nDROP TABLE legacy;\n"
                + "DROP TABLE other";
        LintReport report = new Linter(LintConfig.defaults()).lint(List.of(new LintScript("V9.sql", sql)),
                Set.of(), true);
        assertThat(report.findings()).extracting(f -> f.rule().id() + "/" + f.ignoredBecause()).containsExactly(
                "ban-drop-column/old clients are gone", "renaming-column/old clients are gone",
                "ban-drop-table/(no reason given)", "ban-drop-table/null");
    }

    @Test
    void a_table_created_by_an_earlier_pending_migration_is_new_but_not_when_linting_the_history() {
        List<LintScript> scripts = List.of(new LintScript("V1.sql", "CREATE TABLE t (id bigint)"),
                new LintScript("V2.sql", "CREATE INDEX t_id ON t (id)"));
        assertThat(new Linter(LintConfig.defaults()).lint(scripts, Set.of(), true).findings()).isEmpty();
        assertThat(new Linter(LintConfig.defaults()).lint(scripts, Set.of(), false).findings())
                .extracting(f -> f.rule().id()).containsExactly("require-concurrent-index-creation");
        // known to the target: existing even though the script creates it IF NOT EXISTS
        assertThat(new Linter(LintConfig.defaults()).lint(List.of(new LintScript("V3.sql",
                "CREATE TABLE IF NOT EXISTS t (id bigint); CREATE INDEX t_id ON t (id)")), Set.of("t"), true)
                .errors()).isEqualTo(1);
    }

    @Test
    void style_rules_are_off_by_default_and_gearshift_yaml_turns_rules_on_off_and_sets_severity(@TempDir Path dir)
            throws Exception {
        assertThat(fired(LintConfig.defaults(), "CREATE TABLE t (id int)")).isEmpty();
        Path yaml = dir.resolve("gearshift.yaml");
        Files.writeString(yaml, "migrations: db\nlint:\n  postgres_version: 10\n  rules:\n"
                + "    prefer-bigint: error\n    ban-drop-column: off\n");
        LintConfig config = LintConfig.fromProjectFile(yaml);
        assertThat(config.postgresMajor()).isEqualTo(10);
        assertThat(config.severity(Rule.PREFER_BIGINT)).contains(Severity.ERROR);
        assertThat(fired(config, "ALTER TABLE orders DROP COLUMN x")).isEmpty();
        assertThat(fired(config, "CREATE TABLE t (id int)")).containsExactly("prefer-bigint");

        Files.writeString(yaml, "lint:\n  rules:\n    no-such-rule: off\n");
        assertThatThrownBy(() -> LintConfig.fromProjectFile(yaml)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("unknown lint rule 'no-such-rule'");
    }
}
