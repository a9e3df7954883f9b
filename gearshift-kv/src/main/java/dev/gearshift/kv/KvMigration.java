package dev.gearshift.kv;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A spec as the store records it: its position in the list (from 1), its name, its state, and when it last ran.
 *
 * @param startedAt  when it was last applied, or started
 * @param finishedAt when it finished being applied; empty while down or started
 */
public record KvMigration(long id, String name, State state, Optional<Instant> startedAt,
                          Optional<Instant> finishedAt) {

    public enum State {
        /** Not applied (never, or reverted). */
        DOWN,
        /** Applied. */
        UP,
        /** Started and never finished (the process died, or the spec failed outside a unit): needs repair. */
        STARTED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
