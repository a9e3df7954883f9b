package dev.gearshift.cli;

import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.Remedy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CLI's names for the options lower layers point to: their messages say the way out in words, and
 * {@link Remedy} says which option it is; here, and only here, it becomes a flag.
 */
final class Flags {

    private Flags() {
    }

    static String of(Remedy remedy) {
        return switch (remedy) {
            case CREATE_SCHEMA -> "--create-schema";
            case WAIT_FOR_GUARDS -> "--wait-for-guards";
            case MIGRATOR_WAIT -> "--migrator-wait";
            case SINGLE_TRANSACTION -> "--single-transaction";
            case OUT_OF_ORDER -> "--out-of-order";
            case MIGRATIONS -> "--dir";
            case URL -> "--url or GEARSHIFT_URL";
            case CONTROL_DATABASE -> "--control-db URL, or --config-db";
            case PARALLEL -> "--parallel";
            case CANARY -> "--canary";
            case MAX_FAILURES -> "--max-failures";
            case DEV_URL -> "--dev-url";
            case RENAME -> "--rename";
        };
    }

    /** An error's message with the flags it points to, for stderr and for {@code --json} alike. */
    static String message(GearshiftException error) {
        return withFlags(error.getMessage(), error.remedies());
    }

    /** A problem as a line, with the flag that gets past it. */
    static String problem(Problem problem) {
        return withFlags(problem.toString(), problem.remedy().stream().toList());
    }

    /** The flags after the text: on its last line when it has one, else on a line of their own. */
    private static String withFlags(String text, List<Remedy> remedies) {
        if (remedies.isEmpty()) {
            return text;
        }
        String flags = remedies.stream().map(Flags::of).collect(Collectors.joining("; ", "(", ")"));
        return text + (text.contains("\n") ? "\n  " : " ") + flags;
    }
}
