package dev.gearshift.cli;

import dev.gearshift.ErrorCode;

/**
 * The CLI's exit codes, documented in the README and in {@code gearshift --help}: the one place an error's stable
 * code becomes a number. Several codes share a number, so that scripts branch on what to do next (fix the input,
 * retry later, call someone), not on every kind of failure.
 */
final class ExitCodes {

    private ExitCodes() {
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case MIGRATION_FAILED, VERIFY_FAILED -> 1;
            case USAGE, VALIDATION, SCRIPT_SYNTAX -> 2;
            case LOCK_TIMEOUT, LOCK_LOST, LOCKED_BY_APPLICATION -> 3;
            case CONNECTION -> 4;
            case INTERNAL -> 70;
        };
    }
}
