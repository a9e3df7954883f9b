package dev.gearshift;

/** Which way a migration moves a module. */
public enum Direction {
    UP, DOWN;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
