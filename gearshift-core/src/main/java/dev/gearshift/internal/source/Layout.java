package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a migrations directory is laid out: Gearshift's own folder per module, or another tool's layout read as it
 * is, so that a project moves to Gearshift without renaming a file.
 */
public enum Layout {
    /** {@code <module>/<version>_<name>.up.sql}: names of letters, digits, {@code _} and {@code -}. */
    GEARSHIFT("gearshift"),
    /**
     * golang-migrate: one flat folder, one module, {@code <version>_<anything>.up.sql} and {@code .down.sql}, names
     * as golang-migrate accepts them ({@code 0110_2.8.0_schema.up.sql}).
     */
    GOLANG_MIGRATE("golang-migrate"),
    /** Skygear: golang-migrate's names in one folder per module ({@code migrations/core}, {@code migrations/auth}). */
    SKYGEAR("skygear"),
    /**
     * Flyway: one module, {@code V<version>__<description>.sql} (versions such as {@code 1.2.3} or {@code 1_2}),
     * {@code U<version>__} undo scripts as downs, {@code R__} repeatable migrations, read through sub-folders as
     * Flyway scans them.
     */
    FLYWAY("flyway"),
    /**
     * Liquibase formatted SQL: {@code .sql} files starting {@code --liquibase formatted sql}, each
     * {@code --changeset author:id} a migration of the one module, versioned by its position. Or, when the folder
     * holds a master changelog ({@code db.changelog-master.xml}, {@code .yaml}), that changelog, read by
     * gearshift-liquibase, its changesets numbered the same way.
     */
    LIQUIBASE("liquibase"),
    /** Sqitch: {@code sqitch.plan} and its {@code deploy/}, {@code revert/} and {@code verify/} scripts. */
    SQITCH("sqitch");

    private final String text;

    Layout(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Whether scripts may wrap themselves in BEGIN; ... COMMIT; as that tool's projects often do. */
    public boolean unwrapsTransactions() {
        return this != GEARSHIFT && this != LIQUIBASE;
    }

    /** Whether names follow golang-migrate's rule: anything after the first underscore. */
    public boolean looseNames() {
        return this == GOLANG_MIGRATE || this == SKYGEAR;
    }

    /** Flyway's CRC32 checksum of a script's text, as flyway_schema_history stores it. */
    public static int flywayChecksum(String text) {
        return FlywayLayout.checksum(text);
    }

    /** Sqitch's script_hash of a deploy script: SHA-1 of its text's UTF-8 bytes. */
    public static String sqitchScriptHash(String text) {
        return SqitchLayout.scriptHash(text);
    }

    public static Optional<Layout> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        return Optional.of(Arrays.stream(values()).filter(l -> l.text.equals(wanted)).findFirst()
                .orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "unknown layout '" + text + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Layout::text).toList()))));
    }
}
