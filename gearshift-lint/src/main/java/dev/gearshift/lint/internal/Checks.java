package dev.gearshift.lint.internal;

import dev.gearshift.lint.Rule;
import dev.gearshift.lint.internal.Tokens.Kind;
import dev.gearshift.lint.internal.Tokens.Token;
import dev.gearshift.spi.SqlStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules, over one statement's tokens and what earlier statements of the lint run created. */
public final class Checks {

    /** A rule that fired, with a message naming the objects. */
    public record Hit(Rule rule, String message) {
    }

    /** What the statements linted so far created or proved; one per lint run. */
    public static final class State {
        final int major;
        final Set<String> existing;
        final Set<String> newTables = new HashSet<>();
        final Set<String> newIndexes = new HashSet<>();
        /** check constraint name -> "table.column" it proves NOT NULL, while NOT VALID */
        final Map<String, String> notNullChecks = new HashMap<>();
        final Set<String> provenNotNull = new HashSet<>();
        /** constraints added NOT VALID by the script being linted, while it runs in one transaction */
        final Set<String> addedNotValidHere = new HashSet<>();
        boolean transactional;

        /** Called at the start of each script. */
        public void startScript(boolean transactional) {
            this.transactional = transactional;
            addedNotValidHere.clear();
        }

        public State(int major, Set<String> existing) {
            this.major = major;
            this.existing = existing;
        }

        public void forgetNewTables() {
            newTables.clear();
            newIndexes.clear();
        }

        boolean isNew(String table) {
            return newTables.contains(table) && !existing.contains(table);
        }
    }

    private static final Set<String> VOLATILE = Set.of("RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V1",
            "UUID_GENERATE_V1MC", "UUID_GENERATE_V4", "UUIDV7", "UUIDV4", "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL",
            "TXID_CURRENT", "SETSEED", "RANDOM_NORMAL");
    /**
     * Functions known not to be volatile, so a default calling them is stored once (PostgreSQL 11+); any other
     * function call in a default may be volatile and is treated as such, as squawk does.
     */
    private static final Set<String> NOT_VOLATILE = Set.of("NOW", "STATEMENT_TIMESTAMP", "TRANSACTION_TIMESTAMP",
            "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "LOWER", "UPPER",
            "COALESCE", "NULLIF", "GREATEST", "LEAST", "CONCAT", "LENGTH", "CAST", "ARRAY", "ROW", "JSONB_BUILD_OBJECT",
            "JSON_BUILD_OBJECT", "JSONB_BUILD_ARRAY", "JSON_BUILD_ARRAY", "TO_JSONB", "TO_JSON", "MAKE_INTERVAL",
            "MAKE_DATE", "DATE_TRUNC", "TIMEZONE", "CURRENT_USER", "SESSION_USER", "CURRENT_SCHEMA", "ABS", "ROUND",
            "TRIM", "SUBSTRING", "REPLACE", "INTERVAL", "VARCHAR", "NUMERIC", "DECIMAL", "CHAR", "CHARACTER",
            "TIMESTAMP", "TIMESTAMPTZ", "TIME", "BIT", "VARBIT");
    private static final Set<String> SERIALS = Set.of("SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2", "SERIAL4",
            "SERIAL8");
    /** Words that end a column's default expression at the column definition's level. */
    private static final Set<String> CONSTRAINT_WORDS = Set.of("NOT", "NULL", "CONSTRAINT", "CHECK", "REFERENCES",
            "UNIQUE", "PRIMARY", "GENERATED", "COLLATE");

    private Checks() {
    }

    public static List<Hit> check(String sql, List<SqlStatement> script, int index, boolean transactional,
                                  boolean commented, State state) {
        Tokens t = Tokens.of(sql);
        List<Hit> hits = new ArrayList<>();
        if (t.size() == 0) {
            return hits;
        }
        for (Token token : t.list()) {
            if ((token.kind() == Kind.WORD || token.kind() == Kind.QUOTED)
                    && token.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63
                    && (t.get(0).is("CREATE") || t.get(0).is("ALTER"))) {
                hits.add(new Hit(Rule.IDENTIFIER_TOO_LONG, "name longer than 63 bytes: " + token.name()
                        .substring(0, 20) + "..."));
                break;
            }
        }
        String first = t.get(0).text();
        switch (first) {
            case "CREATE" -> create(t, script, transactional, state, hits);
            case "DROP" -> drop(t, script, transactional, state, hits);
            case "ALTER" -> alter(t, script, index, transactional, state, hits);
            case "VACUUM" -> {
                if (t.find(1, "FULL") > 0 || (t.get(1).is("(") && t.findAnywhere(1, "FULL") > 0)) {
                    hits.add(new Hit(Rule.BAN_VACUUM_FULL, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE"));
                }
            }
            case "CLUSTER" -> hits.add(new Hit(Rule.BAN_CLUSTER, "CLUSTER rewrites the table under ACCESS EXCLUSIVE"));
            case "REINDEX" -> {
                if (t.findAnywhere(1, "CONCURRENTLY") < 0) {
                    hits.add(new Hit(Rule.REQUIRE_CONCURRENT_REINDEX, "REINDEX without CONCURRENTLY"));
                } else {
                    concurrentlyInTransaction(script, transactional, hits);
                }
            }
            case "BEGIN", "START", "COMMIT", "ROLLBACK", "END", "ABORT", "SAVEPOINT", "RELEASE" -> {
                if (!(first.equals("ROLLBACK") && t.get(1).is("TO")) && !first.equals("SAVEPOINT")
                        && !first.equals("RELEASE")) {
                    hits.add(new Hit(Rule.TRANSACTION_NESTING, first + " inside a migration"));
                }
            }
            case "TRUNCATE" -> {
                if (t.find(1, "CASCADE") > 0) {
                    hits.add(new Hit(Rule.BAN_TRUNCATE_CASCADE, "TRUNCATE ... CASCADE empties the referencing"
                            + " tables too"));
                }
            }
            case "SET", "RESET", "SELECT" -> lockTimeout(t, commented, hits);
            default -> {
            }
        }
        return hits;
    }

    // ------------------------------------------------------------------ CREATE

    private static void create(Tokens t, List<SqlStatement> script, boolean transactional, State state,
                               List<Hit> hits) {
        int i = 1;
        if (t.get(i).is("UNIQUE")) {
            i++;
        }
        if (t.get(i).is("INDEX")) {
            boolean concurrently = t.get(i + 1).is("CONCURRENTLY");
            int on = t.find(i, "ON");
            Name table = on < 0 ? null : Name.at(t, t.get(on + 1).is("ONLY") ? on + 2 : on + 1);
            int nameAt = i + 1 + (concurrently ? 1 : 0);
            if (t.matchesAt(nameAt, "IF", "NOT", "EXISTS")) {
                nameAt += 3;
            } else if (!t.matchesAt(nameAt, "ON") && t.find(i, "IF") < 0) {
                robust(t, false, transactional, hits, "CREATE INDEX");
            }
            Name index = nameAt < on ? Name.at(t, nameAt) : null;
            boolean newTable = table != null && state.isNew(table.name());
            if (index != null && newTable) {
                state.newIndexes.add(index.name());
            }
            if (!concurrently && !newTable) {
                hits.add(new Hit(Rule.REQUIRE_CONCURRENT_INDEX_CREATION, "index " + (index == null ? "" : index.name()
                        + " ") + "on existing table " + (table == null ? "?" : table.name())
                        + " built without CONCURRENTLY: writes wait for the whole build (SHARE lock)"));
            }
            if (concurrently) {
                concurrentlyInTransaction(script, transactional, hits);
            }
            return;
        }
        int tableAt = -1;
        if (t.get(1).is("TABLE")) {
            tableAt = 2;
        } else if (t.matchesAt(1, "UNLOGGED", "TABLE")) {
            tableAt = 3;
        } else if ((t.get(1).is("TEMP") || t.get(1).is("TEMPORARY")) && t.get(2).is("TABLE")) {
            tableAt = 3;
        }
        if (tableAt > 0) {
            boolean ifNotExists = t.matchesAt(tableAt, "IF", "NOT", "EXISTS");
            Name table = Name.at(t, ifNotExists ? tableAt + 3 : tableAt);
            if (table != null) {
                state.newTables.add(table.name());
            }
            if (!ifNotExists) {
                robust(t, false, transactional, hits, "CREATE TABLE");
            }
            columnTypes(t, tableAt, hits);
            return;
        }
        if (t.get(1).is("DOMAIN") && (t.find(2, "CHECK") > 0 || t.find(2, "CONSTRAINT") > 0)) {
            hits.add(new Hit(Rule.BAN_CREATE_DOMAIN_WITH_CONSTRAINT, "domain created with a constraint"));
        }
    }

    // ------------------------------------------------------------------ DROP

    private static void drop(Tokens t, List<SqlStatement> script, boolean transactional, State state,
                             List<Hit> hits) {
        String what = t.get(1).text();
        switch (what) {
            case "INDEX" -> {
                boolean concurrently = t.get(2).is("CONCURRENTLY");
                int at = concurrently ? 3 : 2;
                boolean ifExists = t.matchesAt(at, "IF", "EXISTS");
                List<Name> names = Name.list(t, ifExists ? at + 2 : at);
                boolean allNew = !names.isEmpty() && names.stream().allMatch(n -> state.newIndexes.contains(n.name()));
                if (!concurrently && !allNew) {
                    hits.add(new Hit(Rule.REQUIRE_CONCURRENT_INDEX_DELETION, "index " + join(names)
                            + " dropped without CONCURRENTLY: its table is locked ACCESS EXCLUSIVE"));
                }
                if (concurrently) {
                    concurrentlyInTransaction(script, transactional, hits);
                }
                if (!ifExists) {
                    robust(t, true, transactional, hits, "DROP INDEX");
                }
            }
            case "TABLE" -> {
                boolean ifExists = t.matchesAt(2, "IF", "EXISTS");
                List<Name> names = Name.list(t, ifExists ? 4 : 2);
                List<Name> old = names.stream().filter(n -> !state.isNew(n.name())).toList();
                if (!old.isEmpty()) {
                    hits.add(new Hit(Rule.BAN_DROP_TABLE, "table " + join(old) + " dropped"));
                }
                names.forEach(n -> state.newTables.remove(n.name()));
                if (!ifExists) {
                    robust(t, true, transactional, hits, "DROP TABLE");
                }
            }
            case "DATABASE" -> hits.add(new Hit(Rule.BAN_DROP_DATABASE, "database dropped"));
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ ALTER

    private static void alter(Tokens t, List<SqlStatement> script, int index, boolean transactional, State state,
                              List<Hit> hits) {
        if (t.get(1).is("TYPE") && t.find(2, "ADD", "VALUE") > 0) {
            enumValue(t, script, index, transactional, state, hits);
            return;
        }
        if (t.get(1).is("DOMAIN") && t.find(2, "ADD") > 0 && t.find(2, "NOT", "VALID") < 0) {
            hits.add(new Hit(Rule.BAN_ALTER_DOMAIN_WITH_ADD_CONSTRAINT, "constraint added to a domain"));
            return;
        }
        if (!t.get(1).is("TABLE")) {
            return;
        }
        int at = 2;
        if (t.matchesAt(at, "IF", "EXISTS")) {
            at += 2;
        }
        if (t.get(at).is("ONLY")) {
            at++;
        }
        Name table = Name.at(t, at);
        if (table == null) {
            return;
        }
        at = table.next();
        if (t.get(at).is("*")) {
            at++;
        }
        boolean existing = !state.isNew(table.name());
        String tn = table.name();
        // actions are separated by top-level commas
        int start = at;
        for (int i = at; i <= t.size(); i++) {
            if (i == t.size() || (t.get(i).depth() == 0 && t.get(i).text().equals(","))) {
                action(t, start, i, tn, existing, state, hits);
                start = i + 1;
            }
        }
    }

    private static void action(Tokens t, int from, int to, String table, boolean existing, State state,
                               List<Hit> hits) {
        Token verb = t.get(from);
        int i = from + 1;
        if (verb.is("RENAME")) {
            if (t.get(i).is("TO")) {
                if (existing) {
                    hits.add(new Hit(Rule.RENAMING_TABLE, "table " + table + " renamed to " + t.get(i + 1).name()));
                }
                state.newTables.remove(table);
            } else if (!t.get(i).is("CONSTRAINT") && existing) {
                if (t.get(i).is("COLUMN")) {
                    i++;
                }
                hits.add(new Hit(Rule.RENAMING_COLUMN, "column " + table + "." + t.get(i).name() + " renamed to "
                        + t.get(i + 2).name()));
            }
            return;
        }
        if (verb.is("DETACH") && t.get(i).is("PARTITION")) {
            if (!findBetween(t, from, to, "CONCURRENTLY") && !findBetween(t, from, to, "FINALIZE")) {
                hits.add(new Hit(Rule.REQUIRE_CONCURRENT_PARTITION_DETACH, "partition detached from " + table
                        + " without CONCURRENTLY"));
            }
            return;
        }
        if (verb.is("VALIDATE") && t.get(i).is("CONSTRAINT")) {
            if (state.addedNotValidHere.contains(t.get(i + 1).name())) {
                hits.add(new Hit(Rule.CONSTRAINT_MISSING_NOT_VALID, "constraint " + t.get(i + 1).name()
                        + " validated in the transaction that added it NOT VALID: the locks of both are held"
                        + " together, as if NOT VALID were not there"));
            }
            String proven = state.notNullChecks.remove(t.get(i + 1).name());
            if (proven != null) {
                state.provenNotNull.add(proven);
            }
            return;
        }
        if (verb.is("DROP")) {
            if (t.get(i).is("CONSTRAINT")) {
                return;
            }
            if (t.get(i).is("COLUMN")) {
                i++;
            }
            if (t.matchesAt(i, "IF", "EXISTS")) {
                i += 2;
            }
            if (existing) {
                hits.add(new Hit(Rule.BAN_DROP_COLUMN, "column " + table + "." + t.get(i).name() + " dropped"));
            }
            return;
        }
        if (verb.is("ALTER")) {
            if (t.get(i).is("COLUMN")) {
                i++;
            }
            String column = t.get(i).name();
            int what = i + 1;
            if (t.matchesAt(what, "SET", "DATA", "TYPE") || t.matchesAt(what, "TYPE")) {
                if (existing) {
                    hits.add(new Hit(Rule.CHANGING_COLUMN_TYPE, "type of " + table + "." + column + " changed: ACCESS"
                            + " EXCLUSIVE lock, and a rewrite unless the types are binary-compatible"));
                }
                int typeAt = t.get(what).is("TYPE") ? what + 1 : what + 3;
                typeStyle(t, typeAt, Math.min(to, typeAt + 4), hits);
            } else if (t.matchesAt(what, "SET", "NOT", "NULL")) {
                boolean proven = state.major >= 12 && state.provenNotNull.contains(table + "." + column);
                if (existing && !proven) {
                    hits.add(new Hit(Rule.ADDING_NOT_NULLABLE_FIELD, "SET NOT NULL on " + table + "." + column
                            + " scans the table under ACCESS EXCLUSIVE" + (state.major < 12
                            ? " (PostgreSQL " + state.major + " cannot use a CHECK to skip the scan)"
                            : ": no validated CHECK (" + column + " IS NOT NULL) before it")));
                }
            } else if (t.matchesAt(what, "DROP", "NOT", "NULL")) {
                if (existing) {
                    hits.add(new Hit(Rule.BAN_DROP_NOT_NULL, "NOT NULL dropped from " + table + "." + column));
                }
            }
            return;
        }
        if (!verb.is("ADD")) {
            return;
        }
        String constraintName = null;
        if (t.get(i).is("CONSTRAINT")) {
            constraintName = t.get(i + 1).name();
            i += 2;
        }
        Token kind = t.get(i);
        boolean notValid = findBetween(t, from, to, "NOT", "VALID");
        if (notValid && constraintName != null && state.transactional) {
            state.addedNotValidHere.add(constraintName);
        }
        boolean usingIndex = findBetween(t, from, to, "USING", "INDEX");
        if (kind.is("FOREIGN")) {
            if (existing && !notValid) {
                hits.add(new Hit(Rule.ADDING_FOREIGN_KEY_CONSTRAINT, "foreign key " + nameOr(constraintName)
                        + "on " + table + " added without NOT VALID: validated now, with writes to both tables"
                        + " blocked"));
            }
        } else if (kind.is("CHECK")) {
            if (existing && !notValid) {
                hits.add(new Hit(Rule.CONSTRAINT_MISSING_NOT_VALID, "check " + nameOr(constraintName) + "on " + table
                        + " added without NOT VALID: the table is scanned under ACCESS EXCLUSIVE"));
            }
            // CHECK ( col IS NOT NULL ): remembered so that a later SET NOT NULL can skip its scan
            if (t.get(i + 1).is("(") && t.matchesAt(i + 3, "IS", "NOT", "NULL") && t.get(i + 6).is(")")) {
                String proves = table + "." + t.get(i + 2).name();
                if (!notValid) {
                    state.provenNotNull.add(proves);
                } else if (constraintName != null) {
                    state.notNullChecks.put(constraintName, proves);
                }
            }
        } else if (kind.is("PRIMARY") || kind.is("UNIQUE") || kind.is("EXCLUDE")) {
            if (existing && !usingIndex) {
                Rule rule = kind.is("PRIMARY") ? Rule.ADDING_PRIMARY_KEY_CONSTRAINT : Rule.DISALLOWED_UNIQUE_CONSTRAINT;
                hits.add(new Hit(rule, kind.text() + " key " + nameOr(constraintName) + "on " + table
                        + " added without USING INDEX: its index is built while writes are blocked"));
            }
        } else {
            addColumn(t, i, to, table, existing, state, hits);
        }
    }

    private static void addColumn(Tokens t, int i, int to, String table, boolean existing, State state,
                                  List<Hit> hits) {
        if (t.get(i).is("COLUMN")) {
            i++;
        }
        if (t.matchesAt(i, "IF", "NOT", "EXISTS")) {
            i += 3;
        }
        String column = t.get(i).name();
        int typeAt = i + 1;
        typeStyle(t, typeAt, Math.min(to, typeAt + 4), hits);
        boolean serial = SERIALS.contains(t.get(typeAt).text());
        boolean notNull = findBetween(t, typeAt, to, "NOT", "NULL") || findBetween(t, typeAt, to, "PRIMARY", "KEY");
        int defaultAt = -1;
        for (int k = typeAt; k < to; k++) {
            if (t.get(k).is("DEFAULT") && t.get(k).depth() == t.get(typeAt).depth()) {
                defaultAt = k;
                break;
            }
        }
        boolean identity = findBetween(t, typeAt, to, "AS", "IDENTITY");
        boolean stored = findBetween(t, typeAt, to, "GENERATED", "ALWAYS") && findBetween(t, typeAt, to, "STORED");
        String volatileCall = null;
        boolean nullDefault = false;
        if (defaultAt > 0) {
            int depth = t.get(defaultAt).depth();
            nullDefault = t.get(defaultAt + 1).is("NULL");
            for (int k = defaultAt + 1; k < to; k++) {
                Token token = t.get(k);
                if (token.depth() == depth && token.kind() == Kind.WORD && CONSTRAINT_WORDS.contains(token.text())
                        && k > defaultAt + 1) {
                    break;
                }
                boolean call = token.kind() == Kind.WORD && t.get(k + 1).is("(") && !t.get(k - 1).is("::");
                if (call && (VOLATILE.contains(token.text()) || !NOT_VOLATILE.contains(token.text()))) {
                    volatileCall = token.name() + "()";
                }
            }
        }
        if (!existing) {
            return;
        }
        String col = table + "." + column;
        if (findBetween(t, typeAt, to, "UNIQUE")) {
            hits.add(new Hit(Rule.DISALLOWED_UNIQUE_CONSTRAINT, col + " added UNIQUE: its index is built while"
                    + " writes are blocked"));
        }
        if (findBetween(t, typeAt, to, "PRIMARY", "KEY")) {
            hits.add(new Hit(Rule.ADDING_PRIMARY_KEY_CONSTRAINT, col + " added as PRIMARY KEY: its index is built"
                    + " under an ACCESS EXCLUSIVE lock"));
        }
        if (findBetween(t, typeAt, to, "REFERENCES")) {
            hits.add(new Hit(Rule.ADDING_FOREIGN_KEY_CONSTRAINT, col + " added with REFERENCES: the referenced"
                    + " table is locked against writes (SHARE ROW EXCLUSIVE) while the column is added"));
        }
        if (serial || identity || stored || volatileCall != null) {
            String why = serial ? "a serial column" : identity ? "an identity column" : stored
                    ? "a stored generated column" : "the volatile default " + volatileCall;
            hits.add(new Hit(Rule.ADDING_FIELD_WITH_DEFAULT, col + " added with " + why
                    + ": the table is rewritten under ACCESS EXCLUSIVE"));
        } else if (defaultAt > 0 && !nullDefault && state.major < 11) {
            hits.add(new Hit(Rule.ADDING_FIELD_WITH_DEFAULT, col + " added with a default: PostgreSQL " + state.major
                    + " rewrites the table (only 11 and later store a constant default without a rewrite)"));
        } else if (notNull && (defaultAt < 0 || nullDefault)) {
            hits.add(new Hit(Rule.ADDING_REQUIRED_FIELD, col + " added NOT NULL without a default: fails on a"
                    + " table with rows"));
        }
    }

    private static void enumValue(Tokens t, List<SqlStatement> script, int index, boolean transactional,
                                  State state, List<Hit> hits) {
        if (!transactional) {
            return;
        }
        int at = t.find(2, "ADD", "VALUE");
        int valueAt = at + 2;
        if (t.matchesAt(valueAt, "IF", "NOT", "EXISTS")) {
            valueAt += 3;
        }
        if (state.major < 12) {
            hits.add(new Hit(Rule.ENUM_ADD_VALUE_IN_TRANSACTION, "ALTER TYPE ... ADD VALUE in a transactional"
                    + " migration: PostgreSQL " + state.major + " refuses it inside a transaction block"));
            return;
        }
        String value = t.get(valueAt).text();
        for (int k = index + 1; k < script.size(); k++) {
            for (Token token : Tokens.of(script.get(k).sql()).list()) {
                if (token.kind() == Kind.STRING && token.text().equals(value)) {
                    hits.add(new Hit(Rule.ENUM_ADD_VALUE_IN_TRANSACTION, "enum value '" + value + "' added and"
                            + " used (line " + script.get(k).line() + ") in the same transaction: \"unsafe use of"
                            + " new value\""));
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ the rest

    private static void lockTimeout(Tokens t, boolean commented, List<Hit> hits) {
        if (commented) {
            return;
        }
        int at = t.findAnywhere(0, "LOCK_TIMEOUT");
        boolean off = false;
        if (t.get(0).is("RESET") && at > 0) {
            off = true;
        } else if (t.get(0).is("SET") && at > 0) {
            Token value = t.get(at + 2);
            off = value.is("DEFAULT") || value.text().equals("0") || value.text().matches("0\\s*[a-z]*");
        } else if (t.get(0).is("SELECT")) {
            int call = t.findAnywhere(0, "SET_CONFIG");
            if (call >= 0 && t.get(call + 2).kind() == Kind.STRING
                    && t.get(call + 2).text().equalsIgnoreCase("lock_timeout")) {
                String value = t.get(call + 4).text();
                off = value.equals("0") || value.matches("0\\s*[a-z]*");
            }
        }
        if (off) {
            hits.add(new Hit(Rule.LOCK_TIMEOUT_DISABLED, "lock_timeout turned off without a comment saying why"));
        }
    }

    private static void concurrentlyInTransaction(List<SqlStatement> script, boolean transactional,
                                                  List<Hit> hits) {
        if (transactional && script.size() > 1) {
            hits.add(new Hit(Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION, "CONCURRENTLY in a transactional"
                    + " migration with " + (script.size() - 1) + " other statement(s)"));
        }
    }

    private static void robust(Tokens t, boolean drop, boolean transactional, List<Hit> hits, String what) {
        if (!transactional) {
            hits.add(new Hit(Rule.PREFER_ROBUST_STMTS, what + " without " + (drop ? "IF EXISTS" : "IF NOT EXISTS")
                    + " in a migration that runs outside a transaction"));
        }
    }

    /** Style rules over the column types of a CREATE TABLE. */
    private static void columnTypes(Tokens t, int from, List<Hit> hits) {
        int open = -1;
        for (int i = from; i < t.size(); i++) {
            if (t.get(i).is("(") && t.get(i).depth() == 0) {
                open = i;
                break;
            }
        }
        if (open < 0) {
            return;
        }
        // a column's type follows its name, first in the list or after a comma at depth 1
        for (int i = open + 1; i < t.size(); i++) {
            boolean starts = i == open + 1 || (t.get(i - 1).text().equals(",") && t.get(i - 1).depth() == 1);
            if (starts && t.get(i).depth() == 1 && (t.get(i).kind() == Kind.WORD || t.get(i).kind() == Kind.QUOTED)
                    && !Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE")
                    .contains(t.get(i).text())) {
                typeStyle(t, i + 1, i + 5, hits);
            }
        }
    }

    private static void typeStyle(Tokens t, int at, int limit, List<Hit> hits) {
        Token type = t.get(at);
        if (type.kind() != Kind.WORD) {
            return;
        }
        switch (type.text()) {
            case "INT", "INTEGER", "INT4", "INT2", "SMALLINT" -> hits.add(new Hit(Rule.PREFER_BIGINT,
                    type.name() + " column: prefer bigint"));
            case "SERIAL", "SERIAL4", "SMALLSERIAL", "SERIAL2" -> {
                hits.add(new Hit(Rule.PREFER_BIGINT, type.name() + " column: prefer bigint"));
                hits.add(new Hit(Rule.PREFER_IDENTITY, type.name() + " column: prefer an identity column"));
            }
            case "BIGSERIAL", "SERIAL8" -> hits.add(new Hit(Rule.PREFER_IDENTITY, type.name()
                    + " column: prefer an identity column"));
            case "TIMESTAMP" -> {
                int after = t.get(at + 1).is("(") ? at + 4 : at + 1;
                if (!t.matchesAt(after, "WITH", "TIME", "ZONE")) {
                    hits.add(new Hit(Rule.PREFER_TIMESTAMPTZ, "timestamp without time zone: prefer timestamptz"));
                }
            }
            case "VARCHAR" -> {
                if (t.get(at + 1).is("(")) {
                    hits.add(new Hit(Rule.PREFER_TEXT_FIELD, "varchar with a length: prefer text"));
                }
            }
            case "CHARACTER" -> {
                if (t.get(at + 1).is("VARYING")) {
                    if (t.get(at + 2).is("(")) {
                        hits.add(new Hit(Rule.PREFER_TEXT_FIELD, "varchar with a length: prefer text"));
                    }
                } else {
                    hits.add(new Hit(Rule.BAN_CHAR_FIELD, "char column: prefer text"));
                }
            }
            case "CHAR", "BPCHAR" -> hits.add(new Hit(Rule.BAN_CHAR_FIELD, "char column: prefer text"));
            default -> {
            }
        }
    }

    private static boolean findBetween(Tokens t, int from, int to, String... words) {
        for (int i = from; i < to; i++) {
            if (t.matchesAt(i, words)) {
                return true;
            }
        }
        return false;
    }

    private static String nameOr(String name) {
        return name == null ? "" : name + " ";
    }

    private static String join(List<Name> names) {
        return String.join(", ", names.stream().map(Name::name).toList());
    }

    /** A possibly qualified name; {@link #name()} is its last part, folded. */
    record Name(String name, int next) {

        static Name at(Tokens t, int i) {
            Token token = t.get(i);
            if (token.kind() != Kind.WORD && token.kind() != Kind.QUOTED) {
                return null;
            }
            String name = token.name();
            int next = i + 1;
            while (t.get(next).text().equals(".") && (t.get(next + 1).kind() == Kind.WORD
                    || t.get(next + 1).kind() == Kind.QUOTED)) {
                name = t.get(next + 1).name();
                next += 2;
            }
            return new Name(name, next);
        }

        static List<Name> list(Tokens t, int i) {
            List<Name> names = new ArrayList<>();
            Name name = Name.at(t, i);
            while (name != null) {
                names.add(name);
                if (!t.get(name.next()).text().equals(",")) {
                    break;
                }
                name = Name.at(t, name.next() + 1);
            }
            return names;
        }
    }
}
