package dev.gearshift.kv;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the next spec of a project, as InfluxDB's {@code CreateNewMigration}: a class {@code M0003AddIndexFoo}
 * from a template, beside the project's list file ({@code All.java}), and registers it at the end of the list.
 * The list file must hold one {@code List.of(...)} whose entries are {@code new Name()}, one a line (comments and
 * blank lines between them are kept); any other shape is refused, with the line that is in the way, rather than
 * edited by guess.
 */
public final class SpecGenerator {

    private static final Pattern LIST_START = Pattern.compile("List\\.of\\(\\s*$");
    private static final Pattern ENTRY = Pattern.compile("\\s*new\\s+(M(\\d+)[A-Za-z0-9]*)\\(\\)\\s*,?\\s*(//.*)?");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private SpecGenerator() {
    }

    /** What was written. */
    public record Generated(Path spec, String className, int number, Path list) {
    }

    /** Writes the spec named {@code name} and appends it to {@code listFile}. */
    public static Generated create(Path listFile, String name) {
        if (name == null || name.isBlank()) {
            throw new GearshiftException(ErrorCode.USAGE, "a spec needs a name, such as \"add index foo\"");
        }
        String text;
        try {
            text = Files.readString(listFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read the list file " + listFile + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (LIST_START.matcher(lines.get(i)).find()) {
                if (start >= 0) {
                    throw refuse(listFile, i + 1, "it holds more than one List.of(: say which is the list by keeping one");
                }
                start = i;
            }
        }
        if (start < 0) {
            throw refuse(listFile, 0, "it has no line ending in List.of( that opens the list of specs");
        }
        int end = -1;
        int last = -1;
        int highest = 0;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(");")) {
                end = i;
                break;
            }
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            Matcher entry = ENTRY.matcher(lines.get(i));
            if (!entry.matches()) {
                throw refuse(listFile, i + 1, "the line is not a spec of the form `new M0001Name(),`");
            }
            highest = Math.max(highest, Integer.parseInt(entry.group(2)));
            last = i;
        }
        if (end < 0) {
            throw refuse(listFile, start + 1, "its List.of( is not closed by a line starting with );");
        }
        Matcher pkg = PACKAGE.matcher(text);
        String packageName = pkg.find() ? pkg.group(1) : null;
        int number = highest + 1;
        String className = String.format(Locale.ROOT, "M%04d%s", number, camel(name));
        Path spec = listFile.resolveSibling(className + ".java");
        if (Files.exists(spec)) {
            throw new GearshiftException(ErrorCode.USAGE, spec + " exists already; nothing was written");
        }
        String indent = last >= 0 ? lines.get(last).substring(0, lines.get(last).indexOf("new"))
                : lines.get(start).replaceAll("\\S.*", "") + "        ";
        if (last >= 0 && !lines.get(last).strip().replaceAll("\\s*//.*", "").endsWith(",")) {
            lines.set(last, lines.get(last).replaceFirst("\\(\\)", "(),"));
        }
        lines.add(last >= 0 ? last + 1 : start + 1, indent + "new " + className + "()");
        try {
            Files.writeString(spec, template(packageName, className, number, name), StandardCharsets.UTF_8);
            Files.writeString(listFile, String.join("\n", lines), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot write " + spec + ": " + e.getMessage(), e);
        }
        return new Generated(spec, className, number, listFile);
    }

    private static GearshiftException refuse(Path file, int line, String why) {
        return new GearshiftException(ErrorCode.USAGE, "cannot safely edit the list file " + file
                + (line > 0 ? ":" + line : "") + ": " + why + "; nothing was written. Add the spec by hand, or give"
                + " the list the shape `List.of(` / `new M0001Name(),` lines / `);`");
    }

    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }

    private static String template(String packageName, String className, int number, String name) {
        String quoted = name.replace("\\", "\\\\").replace("\"", "\\\"");
        return (packageName == null ? "" : "package " + packageName + ";\n\n")
                + "import dev.gearshift.kv.Buckets;\n"
                + "import dev.gearshift.kv.Spec;\n\n"
                + "/** Migration " + number + ": " + name + ". */\n"
                + "public final class " + className + " implements Spec {\n\n"
                + "    @Override\n"
                + "    public String name() {\n"
                + "        return \"" + quoted + "\";\n"
                + "    }\n\n"
                + "    @Override\n"
                + "    public void up(Buckets store) {\n"
                + "        throw new UnsupportedOperationException(\"write migration " + number + ": " + quoted + "\");\n"
                + "    }\n\n"
                + "    @Override\n"
                + "    public void down(Buckets store) {\n"
                + "        throw new UnsupportedOperationException(\"write the down of migration " + number + "\");\n"
                + "    }\n"
                + "}\n";
    }
}
