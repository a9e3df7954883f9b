package dev.gearshift.spring.boot;

import dev.gearshift.Gearshift;
import dev.gearshift.JsonShapes;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Status;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Down while a migration this application knows is pending, changed or failed, or the sources have problems.
 * Migrations applied by a newer release ({@code missing} here) leave it up: during a rolling deploy the instances
 * of the old release run on the new schema, and must not be restarted for it.
 */
public class GearshiftHealthIndicator extends AbstractHealthIndicator {

    private final Gearshift gearshift;

    public GearshiftHealthIndicator(Gearshift gearshift) {
        super("Gearshift status check failed");
        this.gearshift = gearshift;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Status status = gearshift.status();
        boolean healthy = status.problems().stream().allMatch(p -> p.code().equals(Problem.MISSING_APPLIED))
                && status.modules().stream().allMatch(GearshiftHealthIndicator::nothingOwnToDo);
        (healthy ? builder.up() : builder.down()).withDetail("target", gearshift.target())
                .withDetail("status", JsonShapes.status(status));
    }

    private static boolean nothingOwnToDo(ModuleStatus module) {
        return module.pending().isEmpty() && module.pendingRepeatables().isEmpty() && module.changed().isEmpty()
                && module.failed().isEmpty();
    }
}
