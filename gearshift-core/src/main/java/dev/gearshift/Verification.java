package dev.gearshift;

import java.util.List;

/**
 * The outcome of running the verify scripts of applied migrations (each in a transaction that is rolled back).
 *
 * @param checks one per applied migration that has a verify script, in order of application
 */
public record Verification(List<Check> checks) {

    public Verification {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /** One verify script: passed, or failed with the database's message; no version for a repeatable migration. */
    public record Check(String module, java.util.Optional<Version> version, String name, String location, boolean passed, String message) {
    }
}
