package dev.gearshift.spi;

import dev.gearshift.Direction;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One migration in one direction, as the engine hands it to a {@link Store}: validated, its placeholders
 * substituted, its Java code compiled. The store runs it and records it; deciding what runs is the engine's.
 *
 * @param version       empty for a repeatable migration
 * @param location      where the migration is defined, for messages
 * @param transactional whether it runs, with its history row, in one transaction
 * @param settings      session settings its directives ask for, in force while it runs and undone after it
 * @param scripts       the scripts to run in order (a migration's script, then its verify script when verified
 *                      on the way up); empty for code
 * @param code          the Java migration to run instead of scripts
 * @param toolVersion   this Gearshift's version, for the history row
 */
public record Change(String module, Optional<Version> version, String name, String kind, Direction direction, String checksum,
                     String location, boolean transactional, Map<String, String> settings, List<Script> scripts, Optional<JavaMigration> code,
                     Map<String, String> placeholders, String toolVersion) {

    public Change {
        settings = Map.copyOf(settings);
        scripts = List.copyOf(scripts);
        placeholders = Map.copyOf(placeholders);
    }

    /** {@code module/version_name} ({@code module/R_name} for a repeatable), as messages name a migration. */
    public String id() {
        return Version.migrationId(module, version, name);
    }

    /** This change's history row, with the given outcome. */
    public HistoryEntry entry(String outcome, String error, Duration duration) {
        return new HistoryEntry(0, module, version, name, kind, direction.id(), checksum, outcome, error, null, null,
                duration, toolVersion);
    }

    /** One script of a change: where it is, for messages, and its statements. */
    public record Script(String location, List<SqlStatement> statements) {
        public Script {
            statements = List.copyOf(statements);
        }
    }
}
