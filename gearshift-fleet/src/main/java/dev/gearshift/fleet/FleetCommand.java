package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a fleet run does to every tenant. */
public enum FleetCommand {
    UP, DOWN, VERIFY, VALIDATE;

    /** As the CLI, the API and the control tables name it: {@code up}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Up and down apply migrations: they take a target and may be dry runs. */
    public boolean migrates() {
        return this == UP || this == DOWN;
    }

    /** Every command's id, in order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(FleetCommand::id).toList();
    }

    /** The command with this id, in any case. */
    public static Optional<FleetCommand> parse(String id) {
        return Arrays.stream(values()).filter(c -> c.id().equalsIgnoreCase(id == null ? "" : id.strip())).findFirst();
    }

    static FleetCommand ofStored(String id) {
        return parse(id).orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "the run was recorded with"
                + " command '" + id + "', which this version does not know; use one of " + ids()));
    }
}
