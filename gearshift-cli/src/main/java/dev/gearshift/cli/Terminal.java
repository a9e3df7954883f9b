package dev.gearshift.cli;

/**
 * Text for a terminal. Names and messages come from tenants files, registries and databases: a control character
 * in one (an escape sequence that clears the screen or fakes a line) must show as what it is, not act.
 */
final class Terminal {

    private Terminal() {
    }

    /**
     * Every control character but the line breaks and tabs the tables are made of, as {@code \x1b} or
     * {@code \u009b}; a backslash stays itself (the escaped form is for reading, not for parsing back).
     */
    static String escape(String text) {
        if (text == null || text.chars().noneMatch(Terminal::escaped)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (!escaped(c)) {
                out.append((char) c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    private static boolean escaped(int c) {
        return c != '\n' && c != '\t' && (Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || c == 0x202e || c == 0x202d || (c >= 0x2066 && c <= 0x2069));
    }
}
