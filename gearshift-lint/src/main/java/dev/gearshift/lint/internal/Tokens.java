package dev.gearshift.lint.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one statement that {@code PgScriptParser} has already cut out: words (upper-cased unless
 * quoted), string literals, numbers and punctuation, with comments and whitespace dropped. Rules match on
 * these, so a keyword inside a string, a comment or a quoted identifier never fires a rule.
 */
public final class Tokens {

    /** One token; {@code depth} is the parenthesis depth it sits at (0: the statement's top level). */
    public record Token(Kind kind, String text, int depth) {

        public boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.PUNCT) && text.equals(word);
        }

        /** An identifier's name as PostgreSQL folds it: unquoted words lower-cased, quoted ones kept. */
        public String name() {
            return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : text;
        }
    }

    public enum Kind { WORD, QUOTED, STRING, NUMBER, PUNCT }

    private final List<Token> tokens;

    private Tokens(List<Token> tokens) {
        this.tokens = tokens;
    }

    public List<Token> list() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    public Token get(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : new Token(Kind.PUNCT, "", -1);
    }

    /** Whether the words start the statement in this order ({@code startsWith("ALTER", "TABLE")}). */
    public boolean startsWith(String... words) {
        return matchesAt(0, words);
    }

    public boolean matchesAt(int at, String... words) {
        for (int i = 0; i < words.length; i++) {
            if (!get(at + i).is(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first top-level (depth 0) occurrence of the word sequence at or after {@code from}, or -1. */
    public int find(int from, String... words) {
        for (int i = Math.max(0, from); i < tokens.size(); i++) {
            if (tokens.get(i).depth == 0 && matchesAt(i, words)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the word sequence at any depth, or -1. */
    public int findAnywhere(int from, String... words) {
        for (int i = Math.max(0, from); i < tokens.size(); i++) {
            if (matchesAt(i, words)) {
                return i;
            }
        }
        return -1;
    }

    public static Tokens of(String sql) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        int len = sql.length();
        int p = 0;
        while (p < len) {
            char c = sql.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '-' && p + 1 < len && sql.charAt(p + 1) == '-') {
                while (p < len && sql.charAt(p) != '\n') {
                    p++;
                }
            } else if (c == '/' && p + 1 < len && sql.charAt(p + 1) == '*') {
                int nest = 0;
                do {
                    if (sql.startsWith("/*", p)) {
                        nest++;
                        p += 2;
                    } else if (sql.startsWith("*/", p)) {
                        nest--;
                        p += 2;
                    } else {
                        p++;
                    }
                } while (p < len && nest > 0);
            } else if (c == '\'' || ((c == 'E' || c == 'e') && p + 1 < len && sql.charAt(p + 1) == '\'')) {
                boolean escapes = c != '\'';
                int q = escapes ? p + 2 : p + 1;
                StringBuilder text = new StringBuilder();
                while (q < len) {
                    char d = sql.charAt(q);
                    if (escapes && d == '\\' && q + 1 < len) {
                        text.append(sql.charAt(q + 1));
                        q += 2;
                    } else if (d == '\'' && q + 1 < len && sql.charAt(q + 1) == '\'') {
                        text.append('\'');
                        q += 2;
                    } else if (d == '\'') {
                        q++;
                        break;
                    } else {
                        text.append(d);
                        q++;
                    }
                }
                out.add(new Token(Kind.STRING, text.toString(), depth));
                p = q;
            } else if (c == '"') {
                int q = p + 1;
                StringBuilder text = new StringBuilder();
                while (q < len) {
                    char d = sql.charAt(q);
                    if (d == '"' && q + 1 < len && sql.charAt(q + 1) == '"') {
                        text.append('"');
                        q += 2;
                    } else if (d == '"') {
                        q++;
                        break;
                    } else {
                        text.append(d);
                        q++;
                    }
                }
                out.add(new Token(Kind.QUOTED, text.toString(), depth));
                p = q;
            } else if (c == '$' && dollarTagEnd(sql, p) > 0) {
                int tagEnd = dollarTagEnd(sql, p);
                String tag = sql.substring(p, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                int end = close < 0 ? len : close + tag.length();
                out.add(new Token(Kind.STRING, sql.substring(tagEnd, close < 0 ? len : close), depth));
                p = end;
            } else if (Character.isLetter(c) || c == '_') {
                int q = p + 1;
                while (q < len && (Character.isLetterOrDigit(sql.charAt(q)) || sql.charAt(q) == '_'
                        || sql.charAt(q) == '$')) {
                    q++;
                }
                out.add(new Token(Kind.WORD, sql.substring(p, q).toUpperCase(Locale.ROOT), depth));
                p = q;
            } else if (Character.isDigit(c)) {
                int q = p + 1;
                while (q < len && (Character.isDigit(sql.charAt(q)) || sql.charAt(q) == '.')) {
                    q++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(p, q), depth));
                p = q;
            } else if (c == '(') {
                out.add(new Token(Kind.PUNCT, "(", depth));
                depth++;
                p++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                out.add(new Token(Kind.PUNCT, ")", depth));
                p++;
            } else if (c == ':' && p + 1 < len && sql.charAt(p + 1) == ':') {
                out.add(new Token(Kind.PUNCT, "::", depth));
                p += 2;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), depth));
                p++;
            }
        }
        return new Tokens(out);
    }

    /** End (exclusive) of a {@code $tag$} opening at {@code p}, or -1 when {@code $} starts none ({@code $1}). */
    private static int dollarTagEnd(String s, int p) {
        int q = p + 1;
        if (q < s.length() && Character.isDigit(s.charAt(q))) {
            return -1;
        }
        while (q < s.length() && (Character.isLetterOrDigit(s.charAt(q)) || s.charAt(q) == '_')) {
            q++;
        }
        return q < s.length() && s.charAt(q) == '$' ? q + 1 : -1;
    }
}
