package dev.gearshift.lint;

/** How much a finding matters: errors make {@code gearshift lint} fail, warnings are shown. */
public enum Severity {
    WARNING, ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
