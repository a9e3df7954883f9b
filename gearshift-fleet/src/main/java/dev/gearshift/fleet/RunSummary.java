package dev.gearshift.fleet;

import java.time.Instant;
import java.util.Optional;

/** One past or running fleet run, as {@code fleet runs} lists it. */
public record RunSummary(String id, RunSpec spec, String state, String createdBy, Instant startedAt,
                         Optional<Instant> finishedAt, long tenants, long done, long failed, long skipped,
                         long pending, long running) {
}
