package dev.gearshift.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.spi.SqlStatement;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PgScriptParserTest {

    private static final String SOURCE = "db/core/1_init.up.sql";

    private final PgScriptParser parser = new PgScriptParser();

    private List<SqlStatement> split(String script) {
        return parser.split(script, SOURCE);
    }

    private List<String> sql(String script) {
        return split(script).stream().map(SqlStatement::sql).toList();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertSyntaxError(String script, int line, int column) {
        return assertThatThrownBy(() -> split(script))
                .isInstanceOf(GearshiftException.class)
                .satisfies(e -> assertThat(((GearshiftException) e).code()).isEqualTo(ErrorCode.SCRIPT_SYNTAX))
                .hasMessageStartingWith(SOURCE + ":" + line + ":" + column + ": ");
    }

    @Nested
    class Statements {

        @Test
        void splitsAtSemicolonsAndTrimsWhitespace() {
            assertThat(sql("  CREATE TABLE a (id int);\n\n  INSERT INTO a VALUES (1) ;\t\nSELECT 1;  "))
                    .containsExactly("CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)", "SELECT 1");
        }

        @Test
        void keepsAFinalStatementWithoutSemicolon() {
            assertThat(sql("SELECT 1;\nSELECT 2\n")).containsExactly("SELECT 1", "SELECT 2");
        }

        @Test
        void skipsEmptyStatements() {
            assertThat(sql(";;SELECT 1;; ;\n;SELECT 2;;")).containsExactly("SELECT 1", "SELECT 2");
        }

        @Test
        void emptyScriptsAndScriptsOfOnlyCommentsHaveNoStatements() {
            assertThat(split("")).isEmpty();
            assertThat(split(" \n\t\r\n")).isEmpty();
            assertThat(split("-- nothing here; really\n/* nor ; here */\n-- end")).isEmpty();
            assertThat(split("/* a */ ; -- b\n;")).isEmpty();
        }

        @Test
        void dropsCommentsBetweenStatementsButKeepsThoseInside() {
            String script = "-- header; with 'quotes'\n"
                    + "/* block ; */ SELECT 1 /* inside; */ + 2 -- trailing ; 'x\n"
                    + ";\n"
                    + "-- between\n"
                    + "SELECT -- inside\n 3;";
            assertThat(sql(script)).containsExactly(
                    "SELECT 1 /* inside; */ + 2 -- trailing ; 'x",
                    "SELECT -- inside\n 3");
        }

        @Test
        void leavesPsqlMetaCommandsAsStatementText() {
            assertThat(sql("\\set ON_ERROR_STOP on\nSELECT 1;\nSELECT 2;"))
                    .containsExactly("\\set ON_ERROR_STOP on\nSELECT 1", "SELECT 2");
        }

        @Test
        void plainStatementsHaveNoCopyData() {
            assertThat(split("SELECT 1")).singleElement()
                    .satisfies(s -> assertThat(s.isCopyFromStdin()).isFalse());
        }

        @Test
        void doesNotSplitInsideParenthesesLikePsql() {
            // CREATE RULE ... DO ALSO (a; b) is one statement; psql holds semicolons inside ( ).
            String rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";
            assertThat(sql(rule + ";\nSELECT 1;")).containsExactly(rule, "SELECT 1");
        }

        @Test
        void ignoresUnbalancedClosingParentheses() {
            assertThat(sql("SELECT 1);SELECT 2")).containsExactly("SELECT 1)", "SELECT 2");
        }

        @Test
        void skipsALeadingByteOrderMark() {
            assertThat(split("\uFEFFSELECT 1;")).singleElement()
                    .extracting(SqlStatement::sql, SqlStatement::line, SqlStatement::column)
                    .containsExactly("SELECT 1", 1, 1);
        }
    }

    @Nested
    class Strings {

        @Test
        void singleQuotesWithDoubledQuotesAndSemicolons() {
            assertThat(sql("INSERT INTO t VALUES ('it''s; fine', ';');SELECT ''''';'")).containsExactly(
                    "INSERT INTO t VALUES ('it''s; fine', ';')", "SELECT ''''';'");
        }

        @Test
        void backslashIsLiteralInPlainStrings() {
            // standard_conforming_strings: 'a\' is a complete string.
            assertThat(sql("SELECT 'a\\';SELECT 2;")).containsExactly("SELECT 'a\\'", "SELECT 2");
        }

        @Test
        void eStringsHonourBackslashEscapes() {
            assertThat(sql("SELECT E'it\\'s; fine';SELECT e'\\\\';SELECT E'a''b;c'; SELECT 4"))
                    .containsExactly("SELECT E'it\\'s; fine'", "SELECT e'\\\\'", "SELECT E'a''b;c'", "SELECT 4");
        }

        @Test
        void anIdentifierEndingInEIsNotAnEStringPrefix() {
            assertThat(sql("SELECT knee'a\\';SELECT 2")).containsExactly("SELECT knee'a\\'", "SELECT 2");
        }

        @Test
        void literalsContinueOnlyWhereAPsqlLineDoes() {
            // psql lexes line by line without the '\n', so these are two literals to it, the
            // second a plain one in which a backslash is an ordinary character.
            assertThat(sql("SELECT E'a'\n'\\';SELECT 2")).containsExactly("SELECT E'a'\n'\\'", "SELECT 2");
            assertThat(sql("SELECT E'a'\r\n'\\';SELECT 2")).containsExactly("SELECT E'a'\r\n'\\'", "SELECT 2");
            // A bare '\r' is a newline inside one psql line: E'a'<CR>'...' is one E-string, so
            // \' in the second part is still an escaped quote.
            assertThat(sql("SELECT E'a'\r'\\'; still the string';SELECT 2"))
                    .containsExactly("SELECT E'a'\r'\\'; still the string'", "SELECT 2");
            assertThat(sql("SELECT E'a' -- comment\r  -- another\r'\\';x';SELECT 2"))
                    .containsExactly("SELECT E'a' -- comment\r  -- another\r'\\';x'", "SELECT 2");
            // Without any newline in between, there is no continuation.
            assertThat(sql("SELECT E'a' '\\';SELECT 2")).containsExactly("SELECT E'a' '\\'", "SELECT 2");
        }

        @Test
        void unicodeEscapeStringsAndIdentifiers() {
            assertThat(sql("SELECT U&'d\\0061t; a' AS U&\"na;me\"\"x\";SELECT u&'\\';SELECT 3"))
                    .containsExactly("SELECT U&'d\\0061t; a' AS U&\"na;me\"\"x\"", "SELECT u&'\\'", "SELECT 3");
        }

        @Test
        void bitHexAndNationalLiterals() {
            assertThat(sql("SELECT B'1;0', X'1F;', N'x;y';SELECT 2"))
                    .containsExactly("SELECT B'1;0', X'1F;', N'x;y'", "SELECT 2");
        }

        @Test
        void quotedIdentifiersWithDoubledQuotes() {
            assertThat(sql("CREATE TABLE \"we;ird\"\"name\" (\"it's\" int);SELECT 1"))
                    .containsExactly("CREATE TABLE \"we;ird\"\"name\" (\"it's\" int)", "SELECT 1");
        }
    }

    @Nested
    class DollarQuotes {

        @Test
        void anonymousAndTaggedDollarQuotes() {
            String function = "CREATE FUNCTION f() RETURNS int AS $body$\n"
                    + "BEGIN\n  RAISE NOTICE 'it''s; $$ fine';\n  RETURN 1; -- ;\nEND;\n$body$ LANGUAGE plpgsql";
            assertThat(sql("DO $$ BEGIN PERFORM 1; END $$;\n" + function + ";\nSELECT 1;"))
                    .containsExactly("DO $$ BEGIN PERFORM 1; END $$", function, "SELECT 1");
        }

        @Test
        void dollarDollarInsideATaggedQuoteDoesNotCloseIt() {
            String sql = "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $fn$ SELECT $$;$$ || $x$'$x$ $fn$";
            assertThat(sql(sql + ";SELECT 2")).containsExactly(sql, "SELECT 2");
        }

        @Test
        void tagsAreCaseSensitiveAndMayContainDigitsAndUnderscores() {
            String sql = "SELECT $Tag_1$ $tag_1$ ; $Tag_1$";
            assertThat(sql(sql + ";SELECT 2")).containsExactly(sql, "SELECT 2");
        }

        @Test
        void positionalParametersAreNotDollarQuotes() {
            assertThat(sql("PREPARE p AS SELECT $1, $2;EXECUTE p(1, 2);"))
                    .containsExactly("PREPARE p AS SELECT $1, $2", "EXECUTE p(1, 2)");
            // $1a$ is not a tag (tags cannot start with a digit)
            assertThat(sql("SELECT $1a$;SELECT 2")).containsExactly("SELECT $1a$", "SELECT 2");
        }

        @Test
        void aDollarInsideAnIdentifierIsNotAQuote() {
            assertThat(sql("SELECT a$b, x$$;SELECT c$d$ FROM t;SELECT 3"))
                    .containsExactly("SELECT a$b, x$$", "SELECT c$d$ FROM t", "SELECT 3");
        }

        @Test
        void aDollarAfterANumberStartsAQuoteAsInPsql() {
            assertThat(sql("SELECT 1$$;$$;SELECT 2")).containsExactly("SELECT 1$$;$$", "SELECT 2");
        }

        @Test
        void aLoneDollarIsJustACharacter() {
            assertThat(sql("SELECT $ ;SELECT $abc ;SELECT 3")).containsExactly("SELECT $", "SELECT $abc", "SELECT 3");
        }
    }

    @Nested
    class Comments {

        @Test
        void lineCommentsHideSemicolonsAndQuotes() {
            assertThat(sql("SELECT 1 -- it's; done \"\n, 2;SELECT 3"))
                    .containsExactly("SELECT 1 -- it's; done \"\n, 2", "SELECT 3");
        }

        @Test
        void nestedBlockCommentsWithQuotesAndSemicolons() {
            String sql = "SELECT /* outer ' /* inner \" ; $$ */ still ; ' */ 1";
            assertThat(sql("/* a /* b */ ; ' */" + sql + ";SELECT 2")).containsExactly(sql, "SELECT 2");
        }

        @Test
        void operatorsNextToCommentStarts() {
            assertThat(sql("SELECT 2*/* x; */3 --;\n, 4-- c;\n;SELECT 5"))
                    .containsExactly("SELECT 2*/* x; */3 --;\n, 4-- c;", "SELECT 5");
        }
    }

    @Nested
    class Copy {

        @Test
        void dataBlockMayContainAnything() {
            String data = "1\tit's; a \"test\"\t$$\n2\t-- not a comment;\t/* nor this\n3\t\\N\t\\.x\n \\.\n";
            List<SqlStatement> statements = split(
                    "COPY t (a, b, c) FROM stdin;\n" + data + "\\.\nSELECT 1;");
            assertThat(statements).extracting(SqlStatement::sql, SqlStatement::copyData, SqlStatement::line)
                    .containsExactly(
                            tuple("COPY t (a, b, c) FROM stdin", data, 1),
                            tuple("SELECT 1", null, 7));
        }

        @Test
        void keywordsAreCaseInsensitiveAndOptionsMayFollow() {
            String script = "copy t from STDIN WITH (FORMAT csv, DELIMITER ';');\n"
                    + "1;\"a;b\";'x'\n"
                    + "\\.\n"
                    + "COPY public.t FROM StdIn CSV HEADER;\n"
                    + "a,b\n"
                    + "1,\"multi\n"
                    + "line\"\n"
                    + "\\.\n"
                    + "COPY t FROM STDOUT;\n"
                    + "x\n"
                    + "\\.";
            assertThat(split(script)).extracting(SqlStatement::sql, SqlStatement::copyData).containsExactly(
                    tuple("copy t from STDIN WITH (FORMAT csv, DELIMITER ';')", "1;\"a;b\";'x'\n"),
                    tuple("COPY public.t FROM StdIn CSV HEADER", "a,b\n1,\"multi\nline\"\n"),
                    tuple("COPY t FROM STDOUT", "x\n"));
        }

        @Test
        void emptyDataBlock() {
            assertThat(split("COPY t FROM stdin;\n\\.\nSELECT 1")).extracting(SqlStatement::copyData)
                    .containsExactly("", null);
        }

        @Test
        void commentsMayFollowTheCopyOnItsLine() {
            assertThat(split("COPY t FROM stdin; -- data follows\n1\n\\.\n")).singleElement()
                    .extracting(SqlStatement::copyData).isEqualTo("1\n");
            assertThat(split("COPY t FROM stdin; /* data */ \n1\n\\.\n")).singleElement()
                    .extracting(SqlStatement::copyData).isEqualTo("1\n");
        }

        @Test
        void otherCopiesHaveNoData() {
            assertThat(split("COPY t FROM '/tmp/t.csv';\nCOPY t TO stdout;\nCOPY (SELECT * FROM stdin) TO stdout;\n"
                    + "COPY t (stdin) FROM PROGRAM 'cat';\nSELECT stdin FROM stdin;"))
                    .hasSize(5)
                    .allSatisfy(s -> assertThat(s.copyData()).isNull());
        }

        @Test
        void crlfDataIsNormalisedAndTerminatorMayEndInCr() {
            List<SqlStatement> statements = split("COPY t FROM stdin;\r\n1\ta\r\n2\tb\r\n\\.\r\nSELECT 1;\r\n");
            assertThat(statements).extracting(SqlStatement::sql, SqlStatement::copyData, SqlStatement::line)
                    .containsExactly(tuple("COPY t FROM stdin", "1\ta\n2\tb\n", 1), tuple("SELECT 1", null, 5));
        }

        @Test
        void terminatorAtEndOfScriptWithoutNewline() {
            assertThat(split("COPY t FROM stdin;\n1\n\\.")).singleElement()
                    .extracting(SqlStatement::copyData).isEqualTo("1\n");
        }

        @Test
        void missingTerminatorIsAnError() {
            assertSyntaxError("SELECT 1;\n  COPY t FROM stdin;\n1\n2\n", 2, 3)
                    .hasMessageContaining("COPY ... FROM stdin")
                    .hasMessageContaining("line containing only \\.");
            assertSyntaxError("COPY t FROM stdin;\n1\n\\.x", 1, 1);
            assertSyntaxError("COPY t FROM stdin;", 1, 1);
            assertSyntaxError("COPY t FROM stdin", 1, 1);
        }

        @Test
        void statementTextAfterTheCopyOnItsLineIsAnError() {
            assertSyntaxError("COPY t FROM stdin; SELECT 1;\n1\n\\.\n", 1, 20)
                    .hasMessageContaining("move it below the \\. line");
            assertSyntaxError("COPY t FROM stdin; /* into\n the data */\n1\n\\.\n", 1, 20);
        }
    }

    @Nested
    class BeginAtomic {

        @Test
        void sqlStandardFunctionBodyIsOneStatement() {
            String function = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END";
            assertThat(sql(function + ";SELECT 3;")).containsExactly(function, "SELECT 3");
        }

        @Test
        void caseEndInsideTheBodyIsCounted() {
            String procedure = "CREATE OR REPLACE PROCEDURE p(x int)\nLANGUAGE sql\nBEGIN ATOMIC\n"
                    + "  INSERT INTO t VALUES (CASE WHEN x > 0 THEN 1 ELSE 2 END);\n"
                    + "  SELECT CASE x WHEN 1 THEN 'a;' ELSE 'b' END;\n"
                    + "  SELECT CASE WHEN x > 0 THEN CASE WHEN x > 1 THEN 1 END END;\n"
                    + "END";
            assertThat(sql(procedure + ";\nSELECT 3;")).containsExactly(procedure, "SELECT 3");
        }

        @Test
        void commentsMayStandBetweenBeginAndAtomic() {
            String function = "create function f() returns int language sql begin /* ; */ -- x\n atomic select 1; end";
            assertThat(sql(function + ";select 2")).containsExactly(function, "select 2");
        }

        @Test
        void transactionControlStillSplits() {
            assertThat(sql("BEGIN;\nSELECT 1;\nEND;\nSTART TRANSACTION;\nCOMMIT;"))
                    .containsExactly("BEGIN", "SELECT 1", "END", "START TRANSACTION", "COMMIT");
        }

        @Test
        void beginAtomicOutsideARoutineDefinitionIsNotABlock() {
            assertThat(sql("SELECT begin atomic FROM t;SELECT 2")).containsExactly("SELECT begin atomic FROM t", "SELECT 2");
        }

        @Test
        void plpgsqlBodiesAreDollarQuotedNotCounted() {
            String function = "CREATE FUNCTION f() RETURNS void AS $$ BEGIN NULL; END $$ LANGUAGE plpgsql";
            assertThat(sql(function + ";SELECT 2")).containsExactly(function, "SELECT 2");
        }
    }

    @Nested
    class Positions {

        @Test
        void lineAndColumnOfEachStatementsFirstToken() {
            String script = "SELECT 1; SELECT 2;\n"
                    + "\n"
                    + "  -- comment ; \n"
                    + "\t/* c\n  */  INSERT INTO t\n  VALUES (1);";
            assertThat(split(script)).extracting(SqlStatement::line, SqlStatement::column)
                    .containsExactly(tuple(1, 1), tuple(1, 11), tuple(5, 7));
        }

        @Test
        void crlfCountsAsOneLineBreak() {
            List<SqlStatement> statements = split("SELECT 1;\r\n\r\n  SELECT\r\n  2;\r\n-- c\r\nSELECT 3");
            assertThat(statements).extracting(SqlStatement::sql, SqlStatement::line, SqlStatement::column)
                    .containsExactly(tuple("SELECT 1", 1, 1), tuple("SELECT\r\n  2", 3, 3), tuple("SELECT 3", 6, 1));
        }

        @Test
        void columnsCountCodePoints() {
            assertThat(split("SELECT '\uD83D\uDE00'; SELECT 2")).extracting(SqlStatement::column)
                    .containsExactly(1, 13);
        }
    }

    @Nested
    class Errors {

        @Test
        void unterminatedSingleQuote() {
            assertSyntaxError("SELECT 1;\nSELECT 'it''s;\nSELECT 2;", 2, 8)
                    .hasMessageContaining("unterminated quoted string")
                    .hasMessageContaining("add the closing '");
        }

        @Test
        void unterminatedEString() {
            assertSyntaxError("SELECT E'it\\';", 1, 8)
                    .hasMessageContaining("unterminated escape string E'...'")
                    .hasMessageContaining("add the closing '");
            assertSyntaxError("SELECT E'\\", 1, 8);
        }

        @Test
        void unterminatedContinuedStringPointsAtTheContinuation() {
            assertSyntaxError("SELECT E'a'\r  'b\\';", 1, 15);
        }

        @Test
        void unterminatedUnicodeString() {
            assertSyntaxError("SELECT U&'abc", 1, 8).hasMessageContaining("U&'...'");
        }

        @Test
        void unterminatedQuotedIdentifier() {
            assertSyntaxError("SELECT\n  \"col\"\"; FROM t;", 2, 3)
                    .hasMessageContaining("unterminated quoted identifier")
                    .hasMessageContaining("add the closing \"");
            assertSyntaxError("SELECT U&\"x", 1, 8);
        }

        @Test
        void unterminatedDollarQuote() {
            String script = "SELECT 1;\n"
                    + "\n"
                    + "CREATE FUNCTION f() RETURNS int AS $body$\n"
                    + "  SELECT 1; $$ $Body$\n";
            assertThatThrownBy(() -> split(script))
                    .isInstanceOf(GearshiftException.class)
                    .hasMessage(SOURCE + ":3:36: unterminated dollar-quoted string $body$ (opened here);"
                            + " add the closing $body$");
            assertSyntaxError("SELECT $$ x", 1, 8).hasMessageContaining("$$ (opened here); add the closing $$");
        }

        @Test
        void unterminatedBlockComment() {
            assertSyntaxError("SELECT 1;\n  /* outer /* inner */ still open\n", 2, 3)
                    .hasMessageContaining("unterminated /* comment")
                    .hasMessageContaining("add the closing */");
            assertSyntaxError("SELECT 1 /*/", 1, 10);
        }

        @Test
        void errorPositionsUseCrlfLines() {
            assertSyntaxError("SELECT 1;\r\nSELECT\r\n  'x", 3, 3);
        }

        @Test
        void nullSourceIsNamedGenerically() {
            assertThatThrownBy(() -> parser.split("'", null)).hasMessageStartingWith("<script>:1:1: ");
        }
    }

    @Nested
    class FirstKeywords {

        @Test
        void upperCasesAndJoinsTheFirstWords() {
            assertThat(PgScriptParser.firstKeywords("create index concurrently i ON t (a)", 3))
                    .isEqualTo("CREATE INDEX CONCURRENTLY");
            assertThat(PgScriptParser.firstKeywords("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", 2))
                    .isEqualTo("START TRANSACTION");
        }

        @Test
        void skipsCommentsAndWhitespace() {
            assertThat(PgScriptParser.firstKeywords("-- why\n /* a /* nested */ */\tALTER /* x */ TYPE\n-- y\nmood ADD", 4))
                    .isEqualTo("ALTER TYPE MOOD ADD");
        }

        @Test
        void stopsAtTheFirstNonWord() {
            assertThat(PgScriptParser.firstKeywords("END", 2)).isEqualTo("END");
            assertThat(PgScriptParser.firstKeywords("VACUUM (VERBOSE) t", 3)).isEqualTo("VACUUM");
            assertThat(PgScriptParser.firstKeywords("SELECT E'x'", 3)).isEqualTo("SELECT");
            assertThat(PgScriptParser.firstKeywords("\"quoted\" x", 2)).isEmpty();
            assertThat(PgScriptParser.firstKeywords("", 2)).isEmpty();
            assertThat(PgScriptParser.firstKeywords("/* unterminated", 2)).isEmpty();
            assertThat(PgScriptParser.firstKeywords("COMMIT", 0)).isEmpty();
        }
    }

    @Nested
    class Performance {

        @Test
        void splitsFiftyMegabytesOfCopyDataQuickly() {
            StringBuilder script = new StringBuilder(52 << 20).append("COPY t (a, b) FROM stdin;\n");
            String row = "12345\tsome text with ; and ' and \" and $$ and -- and /*\n";
            int rows = (50 << 20) / row.length();
            for (int i = 0; i < rows; i++) {
                script.append(row);
            }
            script.append("\\.\nSELECT 1;\n");
            String text = script.toString();

            long started = System.nanoTime();
            List<SqlStatement> statements = split(text);
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(statements).hasSize(2);
            assertThat(statements.get(0).copyData()).hasSize(rows * row.length());
            assertThat(statements.get(1).line()).isEqualTo(rows + 3);
            assertThat(millis).as("milliseconds to split 50 MB").isLessThan(5_000);
        }

        @Test
        void manyStatementsOnOneLineStayLinear() {
            String script = "SELECT 1;".repeat(300_000);
            long started = System.nanoTime();
            List<SqlStatement> statements = split(script);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(statements).hasSize(300_000);
            assertThat(statements.get(299_999).column()).isEqualTo(9 * 299_999 + 1);
            assertThat(millis).as("milliseconds to split 300,000 statements").isLessThan(5_000);
        }

        @Test
        void nearMissDollarDelimitersStayLinear() {
            String script = "SELECT $abcdefghij$" + "$abcdefghi".repeat(200_000) + "$abcdefghij$;SELECT 2";
            long started = System.nanoTime();
            assertThat(split(script)).hasSize(2);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        }
    }
}
