package dev.gearshift;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of the history table: every up, down, baseline and repair is recorded, never updated.
 *
 * @param version   empty for a repeatable migration
 * @param kind      {@code sql}, {@code java} or {@code baseline}
 * @param action    {@code up}, {@code down}, {@code baseline} or {@code repair}
 * @param outcome   {@code success}, {@code failed} (left partial work: needs repair),
 *                  {@code rolled-back} (failed inside a transaction: nothing remained) or
 *                  {@code started} (written before a migration that runs outside a transaction: as the latest
 *                  row of a version it means the run stopped half-way, so it needs repair like a failure)
 */
public record HistoryEntry(long id, String module, Optional<Version> version, String name, String kind, String action,
                           String checksum, String outcome, String error, String installedBy,
                           Instant installedAt, Duration duration, String toolVersion) {

    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String STARTED = "started";

    /** {@code module/version_name}, as {@link Version#migrationId}. */
    public String migrationId() {
        return Version.migrationId(module, version, name);
    }
}
