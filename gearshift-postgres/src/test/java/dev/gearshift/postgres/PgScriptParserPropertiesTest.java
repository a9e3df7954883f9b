package dev.gearshift.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.spi.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated scripts: statements built from every construct the lexer knows, joined with ";\n",
 * must split back into exactly those statements; and no input, however broken, may make the
 * splitter fail with anything but a SCRIPT_SYNTAX error.
 */
class PgScriptParserPropertiesTest {

    private static final String SOURCE = "gen.sql";

    private final PgScriptParser parser = new PgScriptParser();

    /** A generated statement, and its COPY data (null if it is no COPY ... FROM stdin). */
    record Generated(String sql, String copyData) {
    }

    /** A statement with the comments or blank lines placed before it. */
    record Item(String filler, Generated statement) {
    }

    // ------------------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void joinedStatementsSplitBackIntoTheSameStatements(@ForAll("scripts") List<Item> items) {
        checkRoundTrip(items, "\n");
    }

    @Property(tries = 500)
    void crlfScriptsSplitTheSameWay(@ForAll("scripts") List<Item> items) {
        checkRoundTrip(items, "\r\n");
    }

    @Property(tries = 1000)
    void anyInputSplitsOrFailsWithAScriptSyntaxError(@ForAll("noise") String script) {
        List<SqlStatement> statements;
        try {
            statements = parser.split(script, SOURCE);
        } catch (GearshiftException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.SCRIPT_SYNTAX);
            assertThat(e.getMessage()).matches("(?s)gen\\.sql:[1-9][0-9]*:[1-9][0-9]*: unterminated .+|"
                    + "gen\\.sql:[1-9][0-9]*:[1-9][0-9]*: .*COPY .+");
            return;
        }
        for (SqlStatement statement : statements) {
            assertThat(statement.line()).isPositive();
            assertThat(statement.column()).isPositive();
            assertThat(PgScriptParser.isSpace(statement.sql().charAt(0))).isFalse();
            assertThat(PgScriptParser.isSpace(statement.sql().charAt(statement.sql().length() - 1))).isFalse();
            assertThat(script).contains(statement.sql());
        }
    }

    private void checkRoundTrip(List<Item> items, String newline) {
        StringBuilder script = new StringBuilder();
        List<Integer> starts = new ArrayList<>();
        for (Item item : items) {
            script.append(item.filler());
            starts.add(script.length());
            Generated statement = item.statement();
            script.append(statement.sql()).append(";\n");
            if (statement.copyData() != null) {
                script.append(statement.copyData()).append("\\.\n");
            }
        }
        String text = script.toString().replace("\n", newline);

        List<SqlStatement> split = parser.split(text, SOURCE);

        assertThat(split).extracting(SqlStatement::sql).containsExactlyElementsOf(
                items.stream().map(i -> i.statement().sql().replace("\n", newline)).toList());
        assertThat(split).extracting(SqlStatement::copyData).containsExactlyElementsOf(
                items.stream().map(i -> i.statement().copyData()).toList());
        String lf = script.toString();
        for (int i = 0; i < split.size(); i++) {
            int start = starts.get(i);
            int lineStart = lf.lastIndexOf('\n', start - 1) + 1;
            assertThat(split.get(i).line()).as("line of statement %d", i)
                    .isEqualTo(1 + (int) lf.substring(0, start).chars().filter(c -> c == '\n').count());
            assertThat(split.get(i).column()).as("column of statement %d", i)
                    .isEqualTo(1 + lf.codePointCount(lineStart, start));
        }
    }

    // ------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<Item>> scripts() {
        Arbitrary<Generated> statement = Arbitraries.frequencyOf(
                Tuple.of(8, plainStatement()),
                Tuple.of(2, copyStatement()),
                Tuple.of(1, atomicRoutine()));
        Arbitrary<String> filler = Arbitraries.of(
                "", "", "", "\n", "\n\n  ", "-- note; it's \"odd\" $$\n", "/* a ; /* ' */ $$ */\n", "\t/* x */ ");
        return Combinators.combine(filler, statement).as(Item::new).list().ofMaxSize(8);
    }

    private Arbitrary<Generated> plainStatement() {
        Arbitrary<String> verb = Arbitraries.of("SELECT", "select", "INSERT INTO", "UPDATE", "WITH", "VALUES");
        return Combinators.combine(verb, separated(fragment()).list().ofMaxSize(12))
                .as((v, fragments) -> new Generated(v + String.join("", fragments), null));
    }

    /** COPY ... FROM stdin with random data lines: anything except a line that is exactly \. */
    private Arbitrary<Generated> copyStatement() {
        Arbitrary<String> table = Arbitraries.of("qt", "public.qt", "\"Q; t\"");
        Arbitrary<String> columns = Arbitraries.of("", " (a, b)", " (\"x;\", y)", " -- columns;\n (a)");
        Arbitrary<String> stdin = Arbitraries.of("stdin", "STDIN", "StdIn");
        Arbitrary<String> options = Arbitraries.of(
                "", " WITH (FORMAT csv)", " CSV HEADER", " (FORMAT text, DELIMITER ';')", " /* rows; */");
        Arbitrary<String> line = Arbitraries.of("a", "1", "\t", " ", ";", "'", "\"", "$$", "$q$", "--", "/*", "*/",
                        "\\", "\\.x", "\\N", " \\.", "E'", "é", "😀", ",")
                .list().ofMaxSize(8).map(pieces -> String.join("", pieces))
                .filter(l -> !l.equals("\\."));
        Arbitrary<String> data = line.list().ofMaxSize(6)
                .map(lines -> lines.stream().map(l -> l + "\n").reduce("", String::concat));
        return Combinators.combine(table, columns, stdin, options, data)
                .as((t, c, s, o, d) -> new Generated("COPY " + t + c + " FROM " + s + o, d));
    }

    /** CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC stmt; ...; END */
    private Arbitrary<Generated> atomicRoutine() {
        Arbitrary<String> head = Arbitraries.of(
                "CREATE FUNCTION qf(a int) RETURNS int LANGUAGE sql",
                "create or replace function qf() returns int",
                "CREATE PROCEDURE qp(\"begin\" int, \"end\" int)\nLANGUAGE sql",
                "CREATE OR REPLACE PROCEDURE qp()");
        Arbitrary<String> bodyStatement = Arbitraries.oneOf(
                separated(bodyFragment()).list().ofMaxSize(6).map(f -> "SELECT" + String.join("", f) + ";"),
                Arbitraries.of(
                        "SELECT CASE WHEN a > 0 THEN ';' ELSE $$;$$ END;",
                        "SELECT CASE a WHEN 1 THEN CASE WHEN true THEN 1 END END;",
                        "INSERT INTO qt VALUES (CASE WHEN true THEN 1 END);",
                        "RETURN 1;"));
        return Combinators.combine(head, separator(), bodyStatement.list().ofMinSize(1).ofMaxSize(3), separator())
                .as((h, sep1, body, sep2) -> new Generated(
                        h + sep1 + "BEGIN /* ; */ ATOMIC" + sep2 + String.join(sep2, body) + sep1 + "END", null));
    }

    /** Each fragment preceded by whitespace, so neighbours cannot fuse into another token. */
    private Arbitrary<String> separated(Arbitrary<String> fragment) {
        return Combinators.combine(separator(), fragment).as((sep, f) -> sep + f);
    }

    private Arbitrary<String> separator() {
        return Arbitraries.of(" ", " ", "\n", "\t", "  \n  ");
    }

    private Arbitrary<String> fragment() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, bodyFragment()),
                Tuple.of(2, Arbitraries.of("BEGIN", "ATOMIC", "END", "CASE", "COPY", "FROM", "STDIN", "CREATE",
                        "FUNCTION")),
                Tuple.of(2, group()));
    }

    /** Fragments that are never keywords, so they are safe inside a BEGIN ATOMIC body. */
    private Arbitrary<String> bodyFragment() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, identifier()),
                Tuple.of(2, Arbitraries.of("1", "42", "3.14", ".5", "1e10", "0x1F", "1_000", "$1", "$12")),
                Tuple.of(3, Arbitraries.of(",", "+", "-", "*", "/", "=", "<>", "::", "||", "!=", ".", "[", "]", "\\")),
                Tuple.of(3, singleQuoted()),
                Tuple.of(2, eString()),
                Tuple.of(1, unicodeString()),
                Tuple.of(3, dollarQuoted()),
                Tuple.of(2, quotedIdentifier()),
                Tuple.of(2, lineComment()),
                Tuple.of(2, blockComment(2)));
    }

    /** Parentheses hold semicolons (and keywords) without ending or changing the statement. */
    private Arbitrary<String> group() {
        Arbitrary<String> inner = Arbitraries.oneOf(bodyFragment(), Arbitraries.of(";", "END", "BEGIN ATOMIC"));
        return separated(inner).list().ofMaxSize(5).map(f -> "(" + String.join("", f) + " )");
    }

    private Arbitrary<String> identifier() {
        // Starting with q keeps them clear of every keyword the lexer reacts to.
        return Arbitraries.strings().withChars("abcxyzABC_019$é").ofMaxLength(6).map(s -> "q" + s);
    }

    private static Arbitrary<String> pieces(int maxSize, String... pieces) {
        return Arbitraries.of(pieces).list().ofMaxSize(maxSize).map(p -> String.join("", p));
    }

    private Arbitrary<String> singleQuoted() {
        return pieces(8, "a", "Z", " ", ";", "''", "\\", "\"", "$$", "$q$", "--", "/*", "*/", "\n", "é", "😀")
                .map(s -> "'" + s + "'");
    }

    private Arbitrary<String> eString() {
        Arbitrary<String> prefix = Arbitraries.of("E", "e");
        return Combinators.combine(prefix,
                        pieces(8, "a", ";", "\\'", "''", "\\\\", "\\n", "\\x41", "\"", "$$", "--", "/*", "\n"))
                .as((e, s) -> e + "'" + s + "'");
    }

    private Arbitrary<String> unicodeString() {
        Arbitrary<String> literal = pieces(6, "a", ";", "''", "\\0041", "\\", "$$", "\"").map(s -> "U&'" + s + "'");
        Arbitrary<String> identifier = pieces(6, "a", ";", "\"\"", "\\0041", "'", "$$").map(s -> "u&\"" + s + "\"");
        return Arbitraries.oneOf(literal, identifier);
    }

    private Arbitrary<String> dollarQuoted() {
        Arbitrary<String> tag = Arbitraries.of("", "", "fn", "body", "q1", "_x", "Äb");
        Arbitrary<String> body = pieces(10, "a", " ", ";", "'", "\"", "\\", "--", "/*", "*/", "\n", "$", "$$",
                "$fn$", "$other$", "$1", "fn", "E'");
        return Combinators.combine(tag, body)
                .as((t, b) -> "$" + t + "$" + b + "$" + t + "$")
                .filter(PgScriptParserPropertiesTest::closesOnlyAtTheEnd);
    }

    private static boolean closesOnlyAtTheEnd(String dollarQuoted) {
        String delimiter = dollarQuoted.substring(0, dollarQuoted.indexOf('$', 1) + 1);
        return dollarQuoted.indexOf(delimiter, delimiter.length()) == dollarQuoted.length() - delimiter.length();
    }

    private Arbitrary<String> quotedIdentifier() {
        return pieces(6, "a", " ", "\"\"", ";", "'", "$$", "--", "/*", "\\", "\n").map(s -> "\"" + s + "\"");
    }

    /** A -- comment, and the word after it: a statement's text never ends inside the comment. */
    private Arbitrary<String> lineComment() {
        return pieces(6, "a", " ", ";", "'", "\"", "$$", "/*", "*/", "\\", "--").map(s -> "--" + s + "\nqafter");
    }

    private Arbitrary<String> blockComment(int depth) {
        List<Arbitrary<? extends String>> contents = new ArrayList<>(List.of(
                Arbitraries.of("a", " ", ";", "'", "\"", "$$", "--", "\n", "\\", "E'")));
        if (depth > 1) {
            contents.add(Arbitraries.lazy(() -> blockComment(depth - 1)));
        }
        return Arbitraries.oneOf(contents).list().ofMaxSize(6).map(p -> "/*" + String.join("", p) + "*/");
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> tokens = Arbitraries.of(
                        "'", "''", "\"", "$", "$$", "$a$", "$1", ";", "-", "--", "/", "*", "/*", "*/", "\\", "\\.",
                        "\n", "\r\n", "\r", " ", "E'", "e'", "U&'", "U&\"", "x", "1", "(", ")", "a$", "BEGIN",
                        "ATOMIC", "END", "CASE", "COPY t FROM stdin", "COPY", "FROM", "STDIN",
                        "CREATE FUNCTION f() BEGIN ATOMIC", "CREATE", "FUNCTION", "\uFEFF", "\u001C", "😀")
                .list().ofMaxSize(40).map(t -> String.join("", t));
        Arbitrary<String> chars = Arbitraries.strings().withChars("'\"$;-/*\\\n\r\t eEuU&()ab1.").ofMaxLength(200);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(100);
        return Arbitraries.frequencyOf(Tuple.of(5, tokens), Tuple.of(4, chars), Tuple.of(1, anything));
    }
}
