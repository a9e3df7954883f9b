package dev.gearshift.cli;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.diff.AdditivePatches;
import dev.gearshift.diff.Shadow;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The additive-only check of major-patch modules, for {@code up} (the pending patches) and {@code validate} (every
 * patch): a mixin, so that each command gains it with one line. Nothing starts unless the project has a
 * {@code versioning: major-patch} module with patches to check.
 */
final class PatchChecks {

    @Option(names = "--dev-url", paramLabel = "URL", description = "PostgreSQL server for the shadow database that"
            + " checks the patches of major-patch modules only add (default: a throwaway embedded PostgreSQL)")
    String devUrl;

    /** Before {@code up}: the patches it is about to apply. */
    void checkPending(Main main, Gearshift target) {
        if (target.project().majorPatchModules().isEmpty()) {
            return;
        }
        try (Shadow shadow = shadow(main)) {
            refuse(AdditivePatches.checkPending(target, shadow, project(main), target.status().schema()));
        }
    }

    /** For {@code validate}: every patch of the latest major of each major-patch module. */
    void checkAll(Main main, Gearshift target) {
        boolean anyPatch = target.project().majorPatchModules().values().stream()
                .anyMatch(versions -> versions.size() > 1);
        if (!anyPatch) {
            return;
        }
        try (Shadow shadow = shadow(main)) {
            refuse(AdditivePatches.check(shadow, project(main), target.status().schema(), patch -> true));
        }
    }

    private static void refuse(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw GearshiftException.invalid(problems);
        }
    }

    private Shadow shadow(Main main) {
        if (devUrl != null) {
            return Shadow.at(devUrl, null, null);
        }
        if (!main.json) {
            main.err.println("Checking that patches only add, in a throwaway embedded PostgreSQL (--dev-url to use"
                    + " a server of your own)");
        }
        return Shadow.embedded();
    }

    /** The project's migrations, as DiffCommands gives them to a shadow: gearshift.yaml, --dir, placeholders. */
    private static UnaryOperator<Gearshift.Builder> project(Main main) {
        return builder -> {
            builder.project(main.projectRoot());
            if (main.dir != null) {
                builder.migrations(main.dir);
            }
            main.placeholders.forEach(builder::placeholder);
            return builder;
        };
    }
}
