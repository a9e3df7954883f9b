package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A best-effort reader of Lily's schema packages (Go source), which gives the SQL of each major's base and patches
 * as the files of Gearshift's major-patch layout. It reads string literals only (raw and interpreted, joined with
 * {@code +}, or Lily's {@code batch(...)}), never runs Go: whatever it cannot read is listed, never skipped quietly.
 *
 * <p>The shapes read are Lily's own. Major 1 and later: {@code var BaseTemplate = `...`} and
 * {@code patches.Register(<patch>, `...`)} in {@code <patch>_<tag>.go}, the text being a Go template whose only
 * readable actions are the schema name: {@code {{ .SchemaName | default "public"}}.table} becomes {@code table},
 * since Gearshift runs every script with the target schema first on search_path (then {@code public}, as Lily's
 * {@code SET search_path TO <schema>,public} block does, which is dropped). Major 0 (sentinel-visor): {@code var
 * Base = `...`} and go-pg's {@code patches.MustRegisterTx(up[, down])} over {@code batch(`...`)}, numbered by the
 * file name as go-pg numbers them; its patch 0 is left out, since go-pg never applies it.
 */
public final class LilySchemas {

    /** A file to write, relative to the module's folder ({@code v1/base.sql}, {@code v1/patches/2_x.up.sql}). */
    public record Script(String path, String text) {
    }

    /**
     * What was read: the scripts; what could not be read, each {@code file:line: what}; and what was read but left
     * out on purpose, with the reason (go-pg's patch 0, whose up never runs).
     */
    public record Extraction(List<Script> scripts, List<String> notRead, List<String> skipped) {
        public Extraction {
            scripts = List.copyOf(scripts);
            notRead = List.copyOf(notRead);
            skipped = List.copyOf(skipped);
        }
    }

    private static final Pattern PATCH_FILE = Pattern.compile("(\\d{1,9})_(.+)\\.go");
    private static final List<String> REGISTER = List.of("Register", "RegisterTx", "MustRegister", "MustRegisterTx");
    private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)(.*?)(-?)}}", Pattern.DOTALL);
    private static final Pattern SCHEMA_NAME = Pattern.compile("\\s*\\.SchemaName\\s*(\\|\\s*default\\s+\"[^\"]*\"\\s*)?");
    // Lily's guard around SET search_path: Gearshift sets the same path (target schema, then public) itself.
    private static final Pattern SEARCH_PATH_BLOCK = Pattern.compile("\\{\\{-?\\s*if\\s+and\\s+\\.SchemaName\\s+\\(ne"
            + "\\s+\\.SchemaName\\s+\"public\"\\)\\s*-?}}\\s*SET\\s+search_path\\s+TO\\s+\\{\\{-?\\s*\\.SchemaName\\s*-?}}"
            + "\\s*,\\s*public\\s*;\\s*\\{\\{-?\\s*end\\s*-?}}", Pattern.CASE_INSENSITIVE);

    private final Path root;
    private final List<String> notRead = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private LilySchemas(Path root) {
        this.root = root;
    }

    /**
     * Reads {@code directory}: Lily's {@code schemas} folder (one {@code v<major>} package per major) or one
     * major's package itself. Patches are read from the package folder and from a {@code patches} folder in it.
     */
    public static Extraction read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new GearshiftException(ErrorCode.USAGE, directory + " is not a directory: give Lily's schemas"
                    + " folder (holding v0, v1, ...) or one of its v<major> folders");
        }
        TreeMap<Long, Path> majors = new TreeMap<>();
        Matcher self = MigrationLoader.MAJOR_FOLDER.matcher(directory.toAbsolutePath().normalize().getFileName().toString());
        if (self.matches()) {
            majors.put(Long.parseLong(self.group(1)), directory);
        } else {
            for (Path entry : list(directory)) {
                Matcher major = MigrationLoader.MAJOR_FOLDER.matcher(entry.getFileName().toString());
                if (Files.isDirectory(entry) && major.matches()) {
                    majors.put(Long.parseLong(major.group(1)), entry);
                }
            }
        }
        if (majors.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, directory + " holds no v<major> folder: give Lily's"
                    + " schemas folder (holding v0, v1, ...) or one of its v<major> folders");
        }
        LilySchemas reader = new LilySchemas(self.matches() ? directory.getParent() : directory);
        List<Script> scripts = new ArrayList<>();
        majors.forEach((major, folder) -> scripts.addAll(reader.readMajor(major, folder)));
        return new Extraction(scripts, reader.notRead, reader.skipped);
    }

    /** One text found in Go source, with where it came from, or why it could not be read. */
    private record Found(String text, String file, int line, boolean template, String failure) {
        static Found failed(String file, int line, String why) {
            return new Found(null, file, line, false, why);
        }

        boolean ok() {
            return failure == null;
        }
    }

    private record Patch(long number, String tag, String file, Found up, Found down, boolean transactional) {
    }

    private List<Script> readMajor(long major, Path folder) {
        List<Path> files = new ArrayList<>(goFiles(folder));
        Path patchFolder = folder.resolve("patches");
        if (Files.isDirectory(patchFolder)) {
            files.addAll(goFiles(patchFolder));
        }
        Found base = null;
        TreeMap<Long, List<Patch>> patches = new TreeMap<>();
        for (Path file : files) {
            GoFile go = new GoFile(shown(file), readText(file));
            for (Found found : go.base()) {
                if (base != null && base.ok()) {
                    notRead.add(found.file() + ":" + found.line() + ": a second base for major " + major + " (the first"
                            + " is in " + base.file() + ":" + base.line() + "); not read");
                } else {
                    base = found;
                }
            }
            Matcher name = PATCH_FILE.matcher(file.getFileName().toString());
            for (Patch patch : go.patches(name.matches() ? Long.parseLong(name.group(1)) : -1,
                    name.matches() ? name.group(2) : null)) {
                patches.computeIfAbsent(patch.number(), n -> new ArrayList<>()).add(patch);
            }
        }
        String dir = "v" + major + "/";
        List<Script> scripts = new ArrayList<>();
        StringBuilder baseText = new StringBuilder();
        boolean baseOk = base != null && sql(base, baseText);
        if (base == null) {
            notRead.add(shown(folder) + ": no Base or BaseTemplate variable found; write " + dir + "base.sql by hand");
        }
        for (Map.Entry<Long, List<Patch>> entry : patches.entrySet()) {
            List<Patch> registered = entry.getValue();
            if (registered.size() > 1) {
                notRead.add("patch " + entry.getKey() + " of major " + major + " is registered in "
                        + String.join(" and ", registered.stream().map(Patch::file).toList())
                        + "; Lily refuses a patch registered twice; none of them written");
                continue;
            }
            Patch patch = registered.get(0);
            if (patch.number() == 0) {
                // go-pg applies the versions above the current one, and an empty history is at 0: never run
                skipped.add(patch.file() + ": patch 0, which go-pg never applies (a database starts at 0)");
                continue;
            }
            String stem = dir + "patches/" + patch.number() + "_" + patch.tag();
            StringBuilder up = new StringBuilder(patch.transactional() ? "" : "-- gearshift:no-transaction\n");
            if (!sql(patch.up(), up)) {
                continue;
            }
            StringBuilder down = new StringBuilder(patch.transactional() ? "" : "-- gearshift:no-transaction\n");
            if (patch.down() != null && !sql(patch.down(), down)) {
                continue; // a patch is written whole or not at all
            }
            scripts.add(new Script(stem + ".up.sql", up.toString()));
            if (patch.down() != null) {
                scripts.add(new Script(stem + ".down.sql", down.toString()));
            }
        }
        if (baseOk) {
            scripts.add(0, new Script(dir + "base.sql", baseText.toString()));
        }
        return scripts;
    }

    /** Appends the SQL of {@code found} (its template actions resolved), or lists why it cannot be read. */
    private boolean sql(Found found, StringBuilder out) {
        if (!found.ok()) {
            notRead.add(found.file() + ":" + found.line() + ": " + found.failure() + "; not written");
            return false;
        }
        String text = found.template() ? SEARCH_PATH_BLOCK.matcher(found.text()).replaceAll("") : found.text();
        StringBuilder sql = new StringBuilder();
        int at = 0;
        boolean ok = true;
        if (found.template()) {
            Matcher action = ACTION.matcher(text);
            while (action.find()) {
                sql.append(text, at, action.start());
                at = action.end();
                boolean qualifier = SCHEMA_NAME.matcher(action.group(2)).matches() && at < text.length()
                        && text.charAt(at) == '.';
                if (qualifier) {
                    at++; // schema.table -> table: Gearshift's search_path starts with the target schema
                    if (!action.group(1).isEmpty()) {
                        sql.setLength(sql.toString().stripTrailing().length());
                    }
                } else {
                    int line = found.line() + (int) text.substring(0, action.start()).chars().filter(c -> c == '\n').count();
                    notRead.add(found.file() + ":" + line + ": the template action " + action.group()
                            + " (only {{ .SchemaName }} before a '.' is read); not written");
                    ok = false;
                }
            }
        }
        if (!ok) {
            return false;
        }
        sql.append(text.substring(at));
        out.append(sql.toString().strip()).append('\n');
        return true;
    }

    private String shown(Path file) {
        return root == null ? file.toString() : root.relativize(file).toString().replace('\\', '/');
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> goFiles(Path folder) {
        return list(folder).stream().filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".go")
                && !p.getFileName().toString().endsWith("_test.go")).toList();
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ Go source

    private enum Kind { IDENT, INT, STRING, PUNCT, OTHER }

    /** A token; {@code text} is a string literal's value. */
    private record Token(Kind kind, String text, int line) {
        boolean is(String punct) {
            return kind != Kind.STRING && text.equals(punct);
        }
    }

    /** One Go file, tokenized: comments dropped, string literals decoded. */
    private final class GoFile {
        private final String name;
        private final List<Token> tokens;

        GoFile(String name, String source) {
            this.name = name;
            this.tokens = tokenize(source);
        }

        /** {@code var Base = ...} (a plain SQL text) or {@code var BaseTemplate = ...} (a template). */
        List<Found> base() {
            List<Found> found = new ArrayList<>();
            for (int i = 0; i + 1 < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.kind() == Kind.IDENT && (t.text().equals("Base") || t.text().equals("BaseTemplate"))
                        && tokens.get(i + 1).is("=") && (i == 0 || !tokens.get(i - 1).is("."))) {
                    Found value = strings(i + 2, t.text().equals("BaseTemplate"));
                    found.add(value);
                }
            }
            return found;
        }

        /**
         * Every {@code x.Register(...)}-like call: Lily's {@code Register(<patch>, up[, down])} (a template), or
         * go-pg's {@code MustRegisterTx(up[, down])} numbered by the file name ({@code fileNumber}; -1: none).
         */
        List<Patch> patches(long fileNumber, String fileTag) {
            List<Patch> patches = new ArrayList<>();
            for (int i = 0; i + 3 < tokens.size(); i++) {
                Token method = tokens.get(i + 2);
                if (tokens.get(i).kind() != Kind.IDENT || !tokens.get(i + 1).is(".") || method.kind() != Kind.IDENT
                        || !REGISTER.contains(method.text()) || !tokens.get(i + 3).is("(")) {
                    continue;
                }
                int line = tokens.get(i).line();
                String call = tokens.get(i).text() + "." + method.text();
                List<Integer> args = arguments(i + 3);
                boolean lily = !args.isEmpty() && tokens.get(args.get(0)).kind() == Kind.INT
                        && tokens.get(args.get(0) + 1).is(args.size() == 1 ? ")" : ",");
                List<Integer> scripts = lily ? args.subList(1, args.size()) : args;
                if (!lily && method.text().equals("Register") && !args.isEmpty() && !resolvable(args.get(0))) {
                    patches.add(failed(fileNumber, fileTag, line, call + "'s patch number is not a literal"));
                    continue;
                }
                if (scripts.isEmpty() || scripts.size() > 2) {
                    patches.add(failed(fileNumber, fileTag, line, call + " with " + args.size() + " arguments (read:"
                            + " patch number, up and optional down)"));
                    continue;
                }
                long number = lily ? Long.parseLong(tokens.get(args.get(0)).text()) : fileNumber;
                if (number < 0 || fileTag == null) {
                    notRead.add(name + ":" + line + ": " + call + " in a file not named <patch>_<tag>.go; not written");
                    continue;
                }
                Found up = strings(scripts.get(0), lily);
                Found down = scripts.size() > 1 ? strings(scripts.get(1), lily) : null;
                patches.add(new Patch(number, tag(fileTag), name, up, down, !method.text().equals("Register")
                        && !method.text().equals("MustRegister") || lily));
            }
            return patches;
        }

        private Patch failed(long number, String tag, int line, String why) {
            return new Patch(number < 0 ? -1 : number, tag == null ? "unknown" : tag(tag), name,
                    Found.failed(name, line, why), null, true);
        }

        /** The index of each argument's first token of the call whose {@code (} is at {@code open}. */
        private List<Integer> arguments(int open) {
            List<Integer> starts = new ArrayList<>();
            int depth = 0;
            for (int i = open; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.is("(") || t.is("[") || t.is("{")) {
                    depth++;
                    if (depth == 1 && i + 1 < tokens.size() && !tokens.get(i + 1).is(")")) {
                        starts.add(i + 1);
                    }
                } else if (t.is(")") || t.is("]") || t.is("}")) {
                    depth--;
                    if (depth == 0) {
                        break;
                    }
                } else if (depth == 1 && t.is(",") && i + 1 < tokens.size() && !tokens.get(i + 1).is(")")) {
                    starts.add(i + 1);
                }
            }
            return starts;
        }

        private boolean resolvable(int at) {
            return strings(at, false).ok();
        }

        /**
         * The text of the expression at {@code at}: string literals joined by {@code +}, Lily's {@code batch(...)}
         * of them, or a variable this file assigns such an expression to.
         */
        private Found strings(int at, boolean template) {
            return strings(at, template, 0);
        }

        private Found strings(int at, boolean template, int hops) {
            Token first = tokens.get(at);
            StringBuilder text = new StringBuilder();
            int i = at;
            while (true) {
                Token t = tokens.get(i);
                if (t.kind() == Kind.STRING) {
                    text.append(t.text());
                    i++;
                } else if (t.kind() == Kind.IDENT && t.text().equals("batch") && tokens.get(i + 1).is("(")) {
                    List<String> parts = new ArrayList<>();
                    for (int arg : arguments(i + 1)) {
                        Found part = strings(arg, template, hops);
                        if (!part.ok()) {
                            return part;
                        }
                        parts.add(part.text());
                    }
                    text.append(joinStatements(parts));
                    i = closing(i + 1) + 1;
                } else if (t.kind() == Kind.IDENT && hops == 0 && i == at && !tokens.get(i + 1).is("+")
                        && !tokens.get(i + 1).is("(") && !tokens.get(i + 1).is(".") && assignment(t.text()) >= 0) {
                    // a variable standing alone (sentinel-visor's up := batch(...)); one joined with + is left unread,
                    // its value being Go's business at run time
                    Found value = strings(assignment(t.text()), template, hops + 1);
                    if (!value.ok()) {
                        return Found.failed(name, t.line(), "the variable " + t.text() + ": " + value.failure());
                    }
                    text.append(value.text());
                    i = i + 1;
                } else {
                    return Found.failed(name, t.line(), describe(i));
                }
                if (!tokens.get(i).is("+")) {
                    return new Found(text.toString(), name, first.line(), template, null);
                }
                i++;
            }
        }

        /** What stands where a string was expected, said for a person. */
        private String describe(int i) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.IDENT && t.text().equals("func")) {
                return "a Go function (code, not SQL) where a string literal was expected";
            }
            if (t.kind() == Kind.IDENT && tokens.get(i + 1).is(".") && tokens.get(i + 3).is("(")) {
                return "a call to " + t.text() + "." + tokens.get(i + 2).text() + "(...) where a string literal was expected";
            }
            if (t.kind() == Kind.IDENT && tokens.get(i + 1).is("(")) {
                return "a call to " + t.text() + "(...) where a string literal was expected";
            }
            if (t.kind() == Kind.IDENT && (tokens.get(i - 1).is("+") || tokens.get(i + 1).is("+"))) {
                return "a string joined with the variable " + t.text() + " (its value is known when Go runs)";
            }
            if (t.kind() == Kind.IDENT) {
                return "the variable " + t.text() + " (not assigned a string literal in this file)";
            }
            return "'" + t.text() + "' where a string literal was expected";
        }

        /** The first token of the value of {@code name := ...}, {@code var name = ...} or {@code name = ...}. */
        private int assignment(String variable) {
            for (int i = 0; i + 2 < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.kind() == Kind.IDENT && t.text().equals(variable) && (tokens.get(i + 1).is(":=")
                        || tokens.get(i + 1).is("=")) && (i == 0 || !tokens.get(i - 1).is("."))) {
                    return i + 2;
                }
            }
            return -1;
        }

        private int closing(int open) {
            int depth = 0;
            for (int i = open; i < tokens.size(); i++) {
                if (tokens.get(i).is("(")) {
                    depth++;
                } else if (tokens.get(i).is(")") && --depth == 0) {
                    return i;
                }
            }
            return tokens.size() - 1;
        }
    }

    /** Lily's batch runs each text as its own Exec: one script needs each to end its last statement. */
    private static String joinStatements(List<String> parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            String trimmed = part.strip();
            out.append(part);
            if (!trimmed.isEmpty() && !trimmed.endsWith(";")) {
                out.append(";");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String tag(String fileTag) {
        String tag = fileTag.replaceAll("[^A-Za-z0-9_-]", "_");
        return Character.isLetterOrDigit(tag.charAt(0)) ? tag : "p" + tag;
    }

    /** Go's tokens, as much as is needed here: comments dropped, string literals decoded, a final EOF token. */
    private static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("//", i)) {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += (int) s.substring(i, end).chars().filter(x -> x == '\n').count();
                i = end;
            } else if (c == '`') {
                int end = s.indexOf('`', i + 1);
                end = end < 0 ? n : end;
                String value = s.substring(i + 1, end).replace("\r", ""); // Go drops carriage returns in raw strings
                tokens.add(new Token(Kind.STRING, value, line));
                line += (int) value.chars().filter(x -> x == '\n').count();
                i = Math.min(n, end + 1);
            } else if (c == '"' || c == '\'') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    if (s.charAt(j) == '\\' && j + 1 < n) {
                        j = unescape(s, j, value);
                    } else {
                        value.append(s.charAt(j++));
                    }
                }
                tokens.add(new Token(c == '"' ? Kind.STRING : Kind.OTHER, value.toString(), line));
                i = Math.min(n, j + 1);
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                tokens.add(new Token(Kind.IDENT, s.substring(i, j), line));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) {
                    j++;
                }
                String number = s.substring(i, j).replace("_", "");
                tokens.add(new Token(number.matches("\\d{1,18}") ? Kind.INT : Kind.OTHER, number, line));
                i = j;
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                String punct = List.of(":=", "==", "!=", "+=").contains(two) ? two : String.valueOf(c);
                tokens.add(new Token(Kind.PUNCT, punct, line));
                i += punct.length();
            }
        }
        for (int k = 0; k < 4; k++) {
            tokens.add(new Token(Kind.PUNCT, "EOF", line)); // lookahead never runs off the end
        }
        return tokens;
    }

    /** Decodes the escape at {@code s[at]} (a backslash) into {@code out}; returns the index after it. */
    private static int unescape(String s, int at, StringBuilder out) {
        char e = s.charAt(at + 1);
        switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000b');
            case 'x', 'u', 'U' -> {
                int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                int end = Math.min(s.length(), at + 2 + digits);
                int code = Integer.parseInt(s.substring(at + 2, end), 16);
                if (e == 'x') {
                    out.append((char) code); // a byte; SQL in Lily is ASCII
                } else {
                    out.appendCodePoint(code);
                }
                return end;
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    out.append((char) Integer.parseInt(s.substring(at + 1, Math.min(s.length(), at + 4)), 8));
                    return at + 4;
                }
                out.append(e); // \\ \" \'
            }
        }
        return at + 2;
    }
}
