package dev.gearshift.kv.internal;

import dev.gearshift.Counts;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.kv.Buckets;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Migration scripts of key-value stores ({@code 3_add_users.up.kv}): one command a line, {@code --} comments, and
 * directives as in SQL scripts ({@code -- gearshift:no-transaction}). Values with spaces are written in double
 * quotes, with {@code \"} and {@code \\} inside.
 *
 * <pre>
 * create-bucket users
 * put users alice "Alice A."
 * append audit "created users"      -- the next 8-byte sequence key
 * delete users bob
 * delete-bucket sessions
 * sleep 100ms
 * </pre>
 */
public final class KvScript implements ScriptParser {

    /** Each command and how many arguments it takes. */
    private static final Map<String, Integer> COMMANDS = Map.of("create-bucket", 1, "delete-bucket", 1, "put", 3,
            "delete", 2, "append", 2, "sleep", 1, "release-lock", 0);

    /** What running a script may ask of the migrator beyond the buckets. */
    public interface Session {
        /** Waits, telling the lock that this migrator sleeps (so a test can find it asleep). */
        void sleep(Duration duration) throws InterruptedException;

        /** Lets go of the migration lock, as a careless script may. */
        void releaseLock();
    }

    @Override
    public String extension() {
        return "kv";
    }

    @Override
    public List<SqlStatement> split(String script, String source) {
        List<SqlStatement> statements = new ArrayList<>();
        String[] lines = script.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            int column = line.indexOf(trimmed.charAt(0)) + 1;
            List<String> words = words(trimmed, source + ":" + (i + 1) + ":" + column);
            Integer arity = COMMANDS.get(words.get(0));
            if (arity == null) {
                throw new GearshiftException(ErrorCode.SCRIPT_SYNTAX, source + ":" + (i + 1) + ":" + column
                        + ": unknown command '" + words.get(0) + "'; known: " + COMMANDS.keySet().stream().sorted().toList());
            }
            if (words.size() - 1 != arity) {
                throw new GearshiftException(ErrorCode.SCRIPT_SYNTAX, source + ":" + (i + 1) + ":" + column
                        + ": " + words.get(0) + " takes " + Counts.of(arity, "argument") + ", not "
                        + (words.size() - 1));
            }
            statements.add(new SqlStatement(trimmed, i + 1, column));
        }
        return statements;
    }

    @Override
    public boolean isTransactionControl(SqlStatement statement) {
        return false;
    }

    @Override
    public Optional<String> transactionRestriction(SqlStatement statement) {
        return Optional.empty();
    }

    /** Runs one statement on {@code buckets}. */
    public static void run(SqlStatement statement, Buckets buckets, Session session) throws InterruptedException {
        List<String> words = words(statement.sql(), "line " + statement.line());
        switch (words.get(0)) {
            case "create-bucket" -> buckets.createBucket(words.get(1));
            case "delete-bucket" -> buckets.deleteBucket(words.get(1));
            case "put" -> buckets.put(words.get(1), Bytes.utf8(words.get(2)), Bytes.utf8(words.get(3)));
            case "delete" -> buckets.delete(words.get(1), Bytes.utf8(words.get(2)));
            case "append" -> append(buckets, words.get(1), Bytes.utf8(words.get(2)));
            case "sleep" -> session.sleep(duration(words.get(1)));
            case "release-lock" -> session.releaseLock();
            default -> throw new GearshiftException(ErrorCode.SCRIPT_SYNTAX, "unknown command " + words.get(0));
        }
    }

    /** Puts {@code value} under the next 8-byte sequence key of {@code bucket}. */
    public static void append(Buckets buckets, String bucket, byte[] value) {
        long last = buckets.lastKey(bucket).map(Bytes::sequenceOf).orElse(0L);
        buckets.put(bucket, Bytes.sequence(last + 1), value);
    }

    private static Duration duration(String text) {
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new GearshiftException(ErrorCode.SCRIPT_SYNTAX, "'" + text + "' is not a duration such as 100ms or 2s");
    }

    /** Splits a line into words; double quotes keep spaces, {@code \"} and {@code \\} escape. */
    static List<String> words(String line, String where) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                quoted = true;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quoted) {
            throw new GearshiftException(ErrorCode.SCRIPT_SYNTAX, where + ": a quote is not closed");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** A value as a script writes it: quoted when it holds spaces, quotes or backslashes. */
    public static String quote(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
