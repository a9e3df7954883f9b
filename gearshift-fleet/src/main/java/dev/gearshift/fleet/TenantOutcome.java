package dev.gearshift.fleet;

import java.time.Duration;

/**
 * What happened to one tenant in a fleet run.
 *
 * @param migrations how many migrations ran (or were checked, for verify); for a failed tenant, how many
 *                   committed before the failure (they stay)
 * @param message    for failures: the error, for skips: why; empty otherwise
 * @param errorCode  for failures: the {@link dev.gearshift.ErrorCode} id
 */
public record TenantOutcome(String tenant, String schema, State state, int migrations, String message,
                            String errorCode, Duration duration) {

    /** A tenant's state in a run. */
    public enum State {
        PENDING, RUNNING, DONE, FAILED, SKIPPED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
