package dev.gearshift.internal.source;

import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.internal.model.Directives;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decodes, checks and splits one script file; every fault becomes a {@link Problem}. */
final class ScriptReader {

    private static final Pattern DIRECTIVE = Pattern.compile("^--\\s*gearshift:\\s*(.*?)\\s*$");
    private static final Pattern SPOT = Pattern.compile("(\\d+:\\d+): ");
    private static final Pattern SETTING = Pattern.compile("set\\s+([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.+)");

    private final ScriptParser parser;

    ScriptReader(ScriptParser parser) {
        this.parser = parser;
    }

    /** Reads a script; adds problems and returns empty when it cannot be used. */
    Optional<Script> read(String location, byte[] bytes, List<Problem> problems) {
        return read(location, bytes, problems, false);
    }

    /**
     * As above; {@code unwrap}: a script that wraps itself in {@code BEGIN; ... COMMIT;} (another tool's layout)
     * runs its body in Gearshift's transaction, with its history row, so that both still commit together.
     */
    Optional<Script> read(String location, byte[] bytes, List<Problem> problems, boolean unwrap) {
        Optional<String> text = decode(location, bytes, problems);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.size();
        Directives directives = directives(location, text.get(), problems);
        List<SqlStatement> statements;
        try {
            statements = parser.split(text.get(), location);
        } catch (GearshiftException e) {
            problems.add(syntaxProblem(location, e.getMessage()));
            return Optional.empty();
        }
        if (unwrap) {
            statements = unwrapped(statements);
        }
        if (statements.isEmpty() && ScriptTemplate.isUnedited(text.get())) {
            problems.add(new Problem(Problem.EMPTY_MIGRATION, location, "is still the template `gearshift new`"
                    + " wrote; write the migration, or delete the file (a script of other comments only runs as a"
                    + " no-op)"));
        }
        return problems.size() > before ? Optional.empty()
                : Optional.of(new Script(location, text.get(), statements, directives));
    }

    private static final Pattern OPENS = Pattern.compile("(?is)\\s*(BEGIN|START\\s+TRANSACTION)(\\s+(TRANSACTION|WORK))?\\s*;?\\s*");
    private static final Pattern CLOSES = Pattern.compile("(?is)\\s*(COMMIT|END)(\\s+(TRANSACTION|WORK))?\\s*;?\\s*");

    /** The statements between a first BEGIN and a last COMMIT, when the script has both; else all of them. */
    private static List<SqlStatement> unwrapped(List<SqlStatement> statements) {
        if (statements.size() >= 2 && OPENS.matcher(statements.get(0).sql()).matches()
                && CLOSES.matcher(statements.get(statements.size() - 1).sql()).matches()) {
            return statements.subList(1, statements.size() - 1);
        }
        return statements;
    }

    /**
     * The parser names the spot as {@code location:line:column: message} (see {@link ScriptParser#split}); the
     * problem carries it as its location, like every other problem, so {@code --json} readers find it there.
     */
    private static Problem syntaxProblem(String location, String message) {
        if (message != null && message.startsWith(location + ":")) {
            Matcher spot = SPOT.matcher(message).region(location.length() + 1, message.length());
            if (spot.lookingAt()) {
                return new Problem(Problem.SCRIPT_SYNTAX, location + ":" + spot.group(1),
                        message.substring(spot.end()));
            }
        }
        return new Problem(Problem.SCRIPT_SYNTAX, "", message);
    }

    /** Strict UTF-8; a leading BOM is dropped, as editors on some systems add one. */
    static Optional<String> decode(String location, byte[] bytes, List<Problem> problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            problems.add(new Problem(Problem.INVALID_ENCODING, location + ":" + line + ":" + (offset - lineStart + 1),
                    String.format("invalid UTF-8 (byte 0x%02x); save the file as UTF-8", bytes[offset] & 0xff)));
            return Optional.empty();
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    /** Directives are {@code -- gearshift:...} comment lines before the first statement. */
    private static Directives directives(String location, String text, List<Problem> problems) {
        boolean transactional = true;
        Map<String, String> settings = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.startsWith("--")) {
                break;
            }
            Matcher directive = DIRECTIVE.matcher(trimmed);
            if (!directive.matches()) {
                continue;
            }
            String body = directive.group(1);
            Matcher setting = SETTING.matcher(body);
            if (body.equals("no-transaction")) {
                transactional = false;
            } else if (setting.matches()) {
                settings.put(setting.group(1), setting.group(2));
            } else if (body.startsWith("lint-ignore ")) {
                continue; // read by gearshift lint, which silences a rule on the next statement with it
            } else {
                problems.add(new Problem(Problem.BAD_DIRECTIVE, location + ":" + lineNumber,
                        "unknown directive 'gearshift:" + body
                                + "'; known: 'gearshift:no-transaction', 'gearshift:set <setting>=<value>'"));
            }
        }
        return new Directives(transactional, settings);
    }

    /**
     * SHA-256 of the text with line ends normalised, so a checkout that turns LF into CRLF does not
     * count as an edit.
     */
    static String checksum(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
