package dev.gearshift.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads another tool's changelog with that tool's own library, so that core does not carry it: Liquibase's XML and
 * YAML changelogs, read by gearshift-liquibase. It also reads Liquibase formatted SQL ({@code sql}), whose statements
 * core reads itself: of those changesets core takes only what Liquibase records of them in its history table
 * (checksum, description, comments), which only Liquibase's library computes exactly. Found with
 * {@link java.util.ServiceLoader}, as {@link StoreProvider}s are.
 */
public interface ChangelogReader {

    /** The changelog file endings read, lower case, without the dot ({@code xml}, {@code yaml}, {@code sql}). */
    Set<String> extensions();

    /**
     * Reads {@code changelog} (a path relative to {@code root}, as that tool records it) and what it includes, in
     * the order the tool would run the changesets. Never throws for a bad changeset: it is refused in the result.
     */
    Changelog read(Path root, String changelog);

    /** {@link #read} of each changelog, in the same order: a reader may share its set-up between them. */
    default List<Changelog> readEach(Path root, List<String> changelogs) {
        return changelogs.stream().map(changelog -> read(root, changelog)).toList();
    }

    /**
     * One changeset, turned into PostgreSQL statements.
     *
     * @param file        the changelog file that holds it, as the tool records it
     * @param author      its author
     * @param id          its id
     * @param runOnChange whether it runs again when it changes (a repeatable migration)
     * @param transactional whether it runs in a transaction
     * @param text        what Gearshift's checksum is taken of: it changes when the changeset changes, and not when
     *                    a newer library writes the same change's SQL differently
     * @param up          the statements it runs
     * @param down        the statements that undo it, when it has an explicit or an automatic rollback
     * @param checksum    the tool's own checksum of it, as its history table stores it
     * @param description how its history table describes it ({@code createTable tableName=plans}, {@code sql})
     * @param comments    its comments, as its history table stores them (empty when none)
     */
    record Changeset(String file, String author, String id, boolean runOnChange, boolean transactional, String text,
                     List<String> up, Optional<List<String>> down, String checksum, String description,
                     String comments) {

        public Changeset {
            up = List.copyOf(up);
            down = down.map(List::copyOf);
        }
    }

    /** What could not be read, or would not run as the tool runs it, naming the file and changeset. */
    record Refusal(String file, String message) {
    }

    /**
     * @param toolVersion the tool's version as it records itself in its history table (Liquibase's LIQUIBASE column)
     */
    record Changelog(List<Changeset> changesets, List<Refusal> refusals, String toolVersion) {

        public Changelog {
            changesets = List.copyOf(changesets);
            refusals = List.copyOf(refusals);
        }
    }
}
