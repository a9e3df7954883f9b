package dev.gearshift.postgres;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Splits a PostgreSQL script into statements the way {@code psql -f} does.
 *
 * <p>The lexer mirrors psql's own ({@code src/fe_utils/psqlscan.l}) as far as statement
 * boundaries are concerned: a semicolon ends a statement unless it is inside a string, quoted
 * identifier, dollar quote or comment, inside parentheses, or inside the
 * {@code BEGIN ATOMIC ... END} body of a {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. (psql
 * counts a bare BEGIN there too; requiring BEGIN ATOMIC keeps a routine or parameter named
 * "begin" from swallowing the rest of the script, and changes nothing for valid SQL.)
 * Strings are read with {@code standard_conforming_strings = on} (the default since 9.1), so a
 * backslash only escapes inside {@code E'...'}. psql meta-commands are not supported; a line
 * starting with a backslash is ordinary statement text.
 *
 * <p>For {@code COPY ... FROM stdin} the lines after the statement, up to a line containing only
 * {@code \.}, are the data, as psql reads them. Text after such a COPY's semicolon on the same
 * line must be whitespace or comments: psql would run it after the data, out of script order.
 *
 * <p>The scan is a single forward pass over the string by index: every character is looked at a
 * bounded number of times, so 50 MB of COPY data split in well under a second.
 */
public final class PgScriptParser implements ScriptParser {

    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "COMMIT", "ROLLBACK", "END", "ABORT",
            "START TRANSACTION");

    @Override
    public Optional<String> transactionRestriction(SqlStatement statement) {
        String start = firstKeywords(statement.sql(), 6);
        String[] words = start.split(" ");
        String first = words[0];
        boolean concurrently = (first.equals("CREATE") || first.equals("DROP") || first.equals("REINDEX"))
                && (" " + start + " ").contains(" CONCURRENTLY ")
                && (start.contains(" INDEX") || first.equals("REINDEX"));
        if (concurrently || first.equals("VACUUM") || start.startsWith("CREATE DATABASE")
                || start.startsWith("DROP DATABASE") || start.startsWith("ALTER SYSTEM")
                || start.startsWith("CREATE TABLESPACE") || start.startsWith("DROP TABLESPACE")
                || start.startsWith("CREATE SUBSCRIPTION") || start.startsWith("DROP SUBSCRIPTION")) {
            return Optional.of("'" + statement.summary() + "' cannot run inside a transaction block");
        }
        return Optional.empty();
    }

    @Override
    public boolean isTransactionControl(SqlStatement statement) {
        String start = firstKeywords(statement.sql(), 2);
        String first = start.split(" ")[0];
        return TRANSACTION_CONTROL.contains(first) || TRANSACTION_CONTROL.contains(start);
    }


    @Override
    public List<SqlStatement> split(String script, String source) {
        Objects.requireNonNull(script, "script");
        return new Splitter(script, source == null ? "<script>" : source).split();
    }

    /**
     * The first {@code n} keywords of a statement, upper-cased and joined by single spaces, e.g.
     * {@code "CREATE INDEX CONCURRENTLY"} for {@code n = 3}. Leading and intervening whitespace and
     * comments are skipped; collecting stops early at the first token that is not an unquoted word
     * (a parenthesis, a quote, an operator...), so fewer than {@code n} words may come back.
     */
    public static String firstKeywords(String sql, int n) {
        StringBuilder keywords = new StringBuilder();
        int len = sql.length();
        int p = 0;
        for (int found = 0; found < n; found++) {
            p = skipSpaceAndComments(sql, p);
            if (p >= len || !isIdentStart(sql.charAt(p))) {
                break;
            }
            int end = identEnd(sql, p);
            if (end < len && sql.charAt(end) == '\'') {
                break; // E'...', B'...', X'...', N'...': a literal, not a keyword
            }
            if (found > 0) {
                keywords.append(' ');
            }
            keywords.append(sql.substring(p, end).toUpperCase(Locale.ROOT));
            p = end;
        }
        return keywords.toString();
    }

    // ---------------------------------------------------------------- character classes (psqlscan.l)

    /** psql's {@code space}: no Unicode spaces, which PostgreSQL reads as identifier characters. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    /** {@code ident_start}: psql treats every non-ASCII byte as a letter. */
    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    /** {@code ident_cont}: identifiers may contain digits and {@code $} ({@code a$b}). */
    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    /** {@code dolq_cont}: like {@code ident_cont} but without {@code $}, which ends the tag. */
    private static boolean isDollarTagCont(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int identEnd(String s, int p) {
        int len = s.length();
        p++;
        while (p < len && isIdentCont(s.charAt(p))) {
            p++;
        }
        return p;
    }

    /** Index of the newline (or end of input) ending the {@code --} comment at {@code p}. */
    private static int lineCommentEnd(String s, int p) {
        int len = s.length();
        while (p < len && s.charAt(p) != '\n' && s.charAt(p) != '\r') {
            p++;
        }
        return p;
    }

    /** Index just after the {@code * /} closing the (nesting) comment at {@code open}, or -1. */
    private static int blockCommentEnd(String s, int open) {
        int last = s.length() - 1;
        int depth = 0;
        int p = open;
        while (p < last) {
            char c = s.charAt(p);
            if (c == '/' && s.charAt(p + 1) == '*') {
                depth++;
                p += 2;
            } else if (c == '*' && s.charAt(p + 1) == '/') {
                if (--depth == 0) {
                    return p + 2;
                }
                p += 2;
            } else {
                p++;
            }
        }
        return -1;
    }

    /** First index at or after {@code p} that is not whitespace or a comment (an unclosed one counts). */
    private static int skipSpaceAndComments(String s, int p) {
        int len = s.length();
        while (p < len) {
            char c = s.charAt(p);
            if (isSpace(c)) {
                p++;
            } else if (c == '-' && p + 1 < len && s.charAt(p + 1) == '-') {
                p = lineCommentEnd(s, p);
            } else if (c == '/' && p + 1 < len && s.charAt(p + 1) == '*') {
                int end = blockCommentEnd(s, p);
                if (end < 0) {
                    return len;
                }
                p = end;
            } else {
                break;
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- the splitter

    /** The state of one {@link #split} call. */
    private static final class Splitter {

        /** The word just before the current token, for the two-word sequences we look for. */
        private enum Previous { NONE, BEGIN, FROM }

        private final String s;
        private final int len;
        private final String source;
        private final List<SqlStatement> statements = new ArrayList<>();
        private final Cursor cursor;

        /** Index of the current statement's first token, or -1 between statements. */
        private int start = -1;
        private int parenDepth;
        /** Open BEGIN ATOMIC and CASE blocks in a routine body; semicolons there don't split. */
        private int beginDepth;
        /** Unquoted words seen at parenthesis depth 0, to recognise the statement's kind. */
        private int words;
        private boolean copy;
        private boolean create;
        private boolean orReplace;
        private boolean routine;
        private boolean copyFromStdin;
        private Previous previous = Previous.NONE;

        Splitter(String script, String source) {
            this.s = script;
            this.len = script.length();
            this.source = source;
            this.cursor = new Cursor(script);
        }

        List<SqlStatement> split() {
            // A byte order mark that survived decoding is not part of the first statement.
            int pos = len > 0 && s.charAt(0) == '\uFEFF' ? 1 : 0;
            while (pos < len) {
                char c = s.charAt(pos);
                if (isSpace(c)) {
                    pos++;
                } else if (c == '-' && peek(pos + 1) == '-') {
                    pos = lineCommentEnd(s, pos);
                } else if (c == '/' && peek(pos + 1) == '*') {
                    pos = skipBlockComment(pos);
                } else if (c == ';' && parenDepth == 0 && beginDepth == 0) {
                    pos = endStatement(pos);
                } else {
                    if (start < 0) {
                        start = pos;
                    }
                    pos = token(pos);
                }
            }
            endStatement(len);
            return statements;
        }

        private char peek(int p) {
            return p < len ? s.charAt(p) : '\0';
        }

        /**
         * Ends the current statement at {@code end} (its semicolon, or the end of the script) and
         * returns where scanning continues: after the semicolon, or after a COPY's data block.
         */
        private int endStatement(int end) {
            int first = start;
            boolean copyIn = copyFromStdin;
            resetStatementState();
            if (first < 0) {
                return end + 1; // empty statement: ";;" or a script's trailing whitespace
            }
            int last = end;
            while (last > first && isSpace(s.charAt(last - 1))) {
                last--;
            }
            String sql = s.substring(first, last);
            if (sql.isBlank()) {
                return end + 1; // only characters Java calls blank but psql doesn't, e.g. \u001C
            }
            cursor.moveTo(first);
            int line = cursor.line;
            int column = cursor.column;
            if (!copyIn) {
                statements.add(new SqlStatement(sql, line, column));
                return end + 1;
            }
            if (end >= len) {
                throw unterminatedCopy(first);
            }
            int dataStart = restOfCopyLine(end + 1, first);
            CopyBlock block = copyBlock(dataStart, first);
            statements.add(new SqlStatement(sql, line, column, block.data()));
            return block.next();
        }

        private void resetStatementState() {
            start = -1;
            parenDepth = 0;
            beginDepth = 0;
            words = 0;
            copy = create = orReplace = routine = copyFromStdin = false;
            previous = Previous.NONE;
        }

        /** Consumes the token at {@code p}, which is not whitespace, a comment or a splitting ';'. */
        private int token(int p) {
            char c = s.charAt(p);
            if (isIdentStart(c)) {
                return wordOrPrefixedQuote(p);
            }
            previous = Previous.NONE;
            switch (c) {
                case '\'':
                    return skipString(p, p + 1, false, "quoted string '...'");
                case '"':
                    return skipQuotedIdentifier(p, p + 1, "quoted identifier \"...\"");
                case '$':
                    return dollar(p);
                case '(':
                    parenDepth++;
                    return p + 1;
                case ')':
                    if (parenDepth > 0) {
                        parenDepth--;
                    }
                    return p + 1;
                default:
                    if (isDigit(c) || (c == '.' && isDigit(peek(p + 1)))) {
                        return number(p);
                    }
                    return p + 1; // operator or punctuation, including ';' inside parentheses
            }
        }

        private int wordOrPrefixedQuote(int p) {
            char c = s.charAt(p);
            char next = peek(p + 1);
            if (next == '\'') {
                previous = Previous.NONE;
                if (c == 'e' || c == 'E') {
                    return skipString(p, p + 2, true, "escape string E'...'");
                }
                if ("bBxXnN".indexOf(c) >= 0) {
                    return p + 1; // B'..', X'..', N'..': literals, the quote is read next
                }
            } else if ((c == 'u' || c == 'U') && next == '&') {
                char quote = peek(p + 2);
                if (quote == '\'') {
                    previous = Previous.NONE;
                    return skipString(p, p + 3, false, "Unicode string U&'...'");
                }
                if (quote == '"') {
                    previous = Previous.NONE;
                    return skipQuotedIdentifier(p, p + 3, "quoted identifier U&\"...\"");
                }
            }
            int end = identEnd(s, p);
            word(p, end);
            return end;
        }

        /**
         * Tracks the few keywords that change how semicolons and the following lines are read,
         * as psql does: only words outside parentheses count, so column lists and subqueries
         * cannot fake them.
         */
        private void word(int from, int to) {
            if (parenDepth > 0) {
                previous = Previous.NONE;
                return;
            }
            int index = words++;
            if (index == 0) {
                copy = is(from, to, "copy");
                create = is(from, to, "create");
            } else if (create && index <= 3) {
                // CREATE [OR REPLACE] {FUNCTION | PROCEDURE}
                boolean routineWord = is(from, to, "function") || is(from, to, "procedure");
                if (index == 1) {
                    routine = routineWord;
                    orReplace = is(from, to, "or");
                } else if (index == 2) {
                    orReplace = orReplace && is(from, to, "replace");
                } else if (orReplace) {
                    routine = routineWord;
                }
            }
            // The server reads COPY ... FROM STDOUT from the client too; psql checks for both.
            if (copy && previous == Previous.FROM && (is(from, to, "stdin") || is(from, to, "stdout"))) {
                copyFromStdin = true;
            }
            if (routine) {
                // A SQL-standard body, BEGIN ATOMIC stmt; stmt; END, holds semicolons. CASE also
                // closes with END, so it counts as a level while inside such a body.
                if (previous == Previous.BEGIN && is(from, to, "atomic")) {
                    beginDepth++;
                } else if (beginDepth > 0 && is(from, to, "case")) {
                    beginDepth++;
                } else if (beginDepth > 0 && is(from, to, "end")) {
                    beginDepth--;
                }
            }
            previous = is(from, to, "begin") ? Previous.BEGIN
                    : is(from, to, "from") ? Previous.FROM
                    : Previous.NONE;
        }

        /** ASCII case-insensitive comparison, like psql's pg_strcasecmp; {@code word} is lower case. */
        private boolean is(int from, int to, String word) {
            if (to - from != word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if ((s.charAt(from + i) | 0x20) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A number, and any identifier glued to it: since PostgreSQL 15 {@code 123abc} is one
         * (invalid) token, so {@code 1e'x'} holds no E-string and {@code 1a$$} no dollar quote.
         */
        private int number(int p) {
            p = skipDigits(p);
            if (peek(p) == '.' && peek(p + 1) != '.') { // "1..2" is 1, "..", 2 (array slices)
                p = skipDigits(p + 1);
            }
            return p < len && isIdentStart(s.charAt(p)) ? identEnd(s, p) : p;
        }

        private int skipDigits(int p) {
            while (p < len && (isDigit(s.charAt(p)) || s.charAt(p) == '_')) {
                p++;
            }
            return p;
        }

        /** {@code $tag$} opens a dollar quote; {@code $1} is a parameter; any other {@code $} is a character. */
        private int dollar(int open) {
            int p = open + 1;
            if (p < len && isIdentStart(s.charAt(p))) {
                do {
                    p++;
                } while (p < len && isDollarTagCont(s.charAt(p)));
            }
            if (p < len && s.charAt(p) == '$') {
                String delimiter = s.substring(open, p + 1);
                // The body ends at the first exact (case-sensitive) repeat of the delimiter. The
                // search is linear: the tag holds no '$', so failed comparisons never overlap.
                int close = s.indexOf(delimiter, p + 1);
                if (close < 0) {
                    throw syntaxError(open, "unterminated dollar-quoted string " + delimiter
                            + " (opened here); add the closing " + delimiter);
                }
                return close + delimiter.length();
            }
            if (isDigit(peek(open + 1))) {
                return number(open + 1);
            }
            return open + 1;
        }

        /**
         * Skips a single-quoted literal whose text starts at {@code from}. Without
         * {@code backslashEscapes} only {@code ''} escapes a quote; with them ({@code E'...'})
         * a backslash escapes any character too.
         */
        private int skipString(int open, int from, boolean backslashEscapes, String what) {
            int p = from;
            while (true) {
                if (backslashEscapes) {
                    while (p < len && s.charAt(p) != '\'') {
                        p += s.charAt(p) == '\\' ? 2 : 1;
                    }
                } else {
                    p = s.indexOf('\'', p);
                }
                if (p < 0 || p >= len) {
                    throw syntaxError(open, "unterminated " + what + " (opened here); add the closing '"
                            + (backslashEscapes
                                    ? " (a backslash escapes the character after it, so \\' does not close it)"
                                    : " (a quote inside it is written '')"));
                }
                if (peek(p + 1) == '\'') {
                    p += 2; // '' stands for one quote
                    continue;
                }
                int continued = continuation(p + 1);
                if (continued < 0) {
                    return p + 1;
                }
                // 'a'<CR>'b' is one literal: the second part keeps E-string escaping.
                open = continued;
                p = continued + 1;
            }
        }

        /**
         * SQL joins string literals separated by whitespace that includes a newline, and psql's
         * lexer implements that ({@code quotecontinue}); but psql feeds it one line at a time,
         * without the {@code \n}, so a literal only ever continues across a bare {@code \r}. We
         * do the same. It matters after an E-string, whose escaping carries over to the
         * continuation. Returns the index of the continuing quote, or -1.
         */
        private int continuation(int p) {
            p = skipWithinLine(p, false);
            if (peek(p) != '\r') {
                return -1;
            }
            p = skipWithinLine(p, true);
            return peek(p) == '\'' ? p : -1;
        }

        /** Skips spaces (with {@code \r} only if asked) and -- comments, never crossing a {@code \n}. */
        private int skipWithinLine(int p, boolean carriageReturns) {
            while (p < len) {
                char c = s.charAt(p);
                if (c == ' ' || c == '\t' || c == '\f' || (carriageReturns && (c == '\r' || c == '\u000B'))) {
                    p++;
                } else if (c == '-' && peek(p + 1) == '-') {
                    p = lineCommentEnd(s, p);
                } else {
                    break;
                }
            }
            return p;
        }

        private int skipQuotedIdentifier(int open, int from, String what) {
            int p = from;
            while (true) {
                p = s.indexOf('"', p);
                if (p < 0) {
                    throw syntaxError(open, "unterminated " + what
                            + " (opened here); add the closing \" (a quote inside the name is written \"\")");
                }
                if (peek(p + 1) != '"') {
                    return p + 1;
                }
                p += 2;
            }
        }

        private int skipBlockComment(int open) {
            int end = blockCommentEnd(s, open);
            if (end < 0) {
                throw syntaxError(open, "unterminated /* comment (opened here); add the closing */"
                        + " (comments nest: every /* inside it needs its own */ too)");
            }
            return end;
        }

        /**
         * Skips what follows a COPY FROM stdin's semicolon on its line; returns where the data
         * starts. psql would run statements found here after the data, so only whitespace and
         * comments are accepted.
         */
        private int restOfCopyLine(int p, int copyStart) {
            int newline = s.indexOf('\n', p);
            while (p < len) {
                char c = s.charAt(p);
                if (c == '\n') {
                    return p + 1;
                } else if (isSpace(c)) {
                    p++;
                } else if (c == '-' && peek(p + 1) == '-') {
                    p = lineCommentEnd(s, p);
                } else if (c == '/' && peek(p + 1) == '*') {
                    int end = skipBlockComment(p);
                    if (newline >= 0 && newline < end) {
                        throw syntaxError(p, "comment after COPY ... FROM stdin; runs into the data lines;"
                                + " end it on the same line or move it below the \\. line that ends the data");
                    }
                    p = end;
                } else {
                    throw syntaxError(p, "unexpected text after COPY ... FROM stdin; on the same line"
                            + " (the data starts on the next line); move it below the \\. line that ends the data");
                }
            }
            throw unterminatedCopy(copyStart);
        }

        private record CopyBlock(String data, int next) {
        }

        /** Reads data lines from {@code p} up to a line that is exactly {@code \.} (or {@code \.\r}). */
        private CopyBlock copyBlock(int dataStart, int copyStart) {
            boolean crlf = false;
            int lineStart = dataStart;
            while (lineStart < len) {
                int newline = s.indexOf('\n', lineStart);
                int lineEnd = newline < 0 ? len : newline;
                int contentEnd = lineEnd > lineStart && s.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
                if (contentEnd - lineStart == 2 && s.charAt(lineStart) == '\\' && s.charAt(lineStart + 1) == '.') {
                    String data = crlf ? withoutCarriageReturns(dataStart, lineStart)
                            : s.substring(dataStart, lineStart);
                    return new CopyBlock(data, newline < 0 ? len : newline + 1);
                }
                if (newline < 0) {
                    break;
                }
                crlf |= contentEnd < lineEnd;
                lineStart = newline + 1;
            }
            throw unterminatedCopy(copyStart);
        }

        /** The data lines in [from, to), each ending in "\n" where the script had "\r\n". */
        private String withoutCarriageReturns(int from, int to) {
            StringBuilder data = new StringBuilder(to - from);
            int lineStart = from;
            while (lineStart < to) {
                int newline = s.indexOf('\n', lineStart); // every data line ends in '\n'
                int contentEnd = newline > lineStart && s.charAt(newline - 1) == '\r' ? newline - 1 : newline;
                data.append(s, lineStart, contentEnd).append('\n');
                lineStart = newline + 1;
            }
            return data.toString();
        }

        private GearshiftException unterminatedCopy(int copyStart) {
            return syntaxError(copyStart, "unterminated COPY ... FROM stdin data (statement starts here);"
                    + " end the data rows with a line containing only \\.");
        }

        private GearshiftException syntaxError(int index, String message) {
            Cursor at = new Cursor(s); // errors are rare: count from the top rather than track
            at.moveTo(index);
            return new GearshiftException(ErrorCode.SCRIPT_SYNTAX,
                    source + ":" + at.line + ":" + at.column + ": " + message);
        }
    }

    /**
     * Turns indexes into 1-based line and column, moving forward only so that a whole script costs
     * one pass. Lines end at {@code \n} (so {@code \r\n} counts once); columns count code points.
     */
    private static final class Cursor {
        private final String s;
        private int index;
        int line = 1;
        int column = 1;

        Cursor(String s) {
            this.s = s;
            this.index = s.startsWith("\uFEFF") ? 1 : 0; // a byte order mark takes no column
        }

        void moveTo(int target) {
            // A plain loop: searching ahead for '\n' would rescan a long line for every statement on it.
            for (int p = index; p < target; p++) {
                char c = s.charAt(p);
                if (c == '\n') {
                    line++;
                    column = 1;
                } else if (!Character.isLowSurrogate(c)) {
                    column++;
                }
            }
            index = target;
        }
    }
}
