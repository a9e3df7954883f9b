package dev.gearshift.server;

import java.util.Arrays;
import java.util.Locale;

/**
 * The body of {@code POST /migrate}, as the Skygear seed's migration server takes it.
 *
 * @param migration  the module ({@code core}, {@code auth}); empty: every module
 * @param schema     the target schema
 * @param database   a configured database: its name, or its exact configured URL
 * @param command    see {@link Command}
 * @param dryRun     up/down: run in one transaction and roll it back
 * @param commandArg up/down: the version to go to (down: {@code 0} reverts everything); default all pending (up),
 *                   one step (down)
 */
record MigrateRequest(String migration, String schema, String database, String command, Boolean dryRun,
                      String commandArg) {

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    Command parsedCommand() {
        if (command == null || command.isBlank()) {
            throw ApiError.badRequest("missing-field", "command is required: one of " + Command.names());
        }
        try {
            return Command.valueOf(command.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("unknown-command", "unknown command '" + command + "'; use one of "
                    + Command.names());
        }
    }

    /** What {@code POST /migrate} can do, and the role each needs. */
    enum Command {
        VERSION(false), STATUS(false), PLAN(false), HISTORY(false), VERIFY(false), UP(true), DOWN(true), REPAIR(true);

        private final boolean changes;

        Command(boolean changes) {
            this.changes = changes;
        }

        /**
         * A dry run commits nothing, but runs the real DDL and takes its real locks (ACCESS EXCLUSIVE on the
         * tables it alters) until it rolls back: it may stall production, so it needs the write role too.
         */
        Role role() {
            return changes ? Role.WRITE : Role.READ;
        }

        boolean takesLock() {
            return this == UP || this == DOWN || this == REPAIR;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static String names() {
            return Arrays.stream(values()).map(Command::id).toList().toString();
        }
    }
}
