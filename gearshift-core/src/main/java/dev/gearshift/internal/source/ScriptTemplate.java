package dev.gearshift.internal.source;

import java.util.regex.Pattern;

/**
 * The one-comment scripts {@code gearshift new} writes. Kept in one place so that exactly this text, unedited, is
 * refused: any other script with only comments is a deliberate no-op (golang-migrate projects keep
 * {@code -- no downgrade} down scripts), and runs as one.
 */
public final class ScriptTemplate {

    private static final String UP = "write the statements that make this change.";
    private static final String DOWN = "write the statements that undo it, or delete this file if it cannot be undone.";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_-]*";
    // Any module, version and name: a template copied or renamed unedited is still a template.
    private static final Pattern UNEDITED = Pattern.compile("-- " + NAME + "/\\d+(?:\\.\\d+)?_" + NAME
            + " \\((?:up\\): " + Pattern.quote(UP) + "|down\\): " + Pattern.quote(DOWN) + ")\n?");

    private ScriptTemplate() {
    }

    /** The text of a new script; {@code direction} is {@code up} or {@code down}. */
    public static String text(String module, long version, String name, String direction) {
        return text(module, String.valueOf(version), name, direction);
    }

    /** As above, for a patch of a major-patch module: {@code 0.4}. */
    public static String text(String module, String version, String name, String direction) {
        return "-- " + module + "/" + version + "_" + name + " (" + direction + "): "
                + (direction.equals("up") ? UP : DOWN) + "\n";
    }

    /** True for a script that is still what {@link #text} wrote (line ends aside). */
    static boolean isUnedited(String text) {
        return UNEDITED.matcher(text.replace("\r\n", "\n")).matches();
    }
}
