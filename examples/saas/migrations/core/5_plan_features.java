import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import java.sql.PreparedStatement;
import java.util.Map;

/** Computes each plan's feature set in code: the kind of backfill that is clumsy in SQL. */
public class PlanFeatures implements JavaMigration {

    private static final Map<String, Integer> SEATS = Map.of("free", 1, "team", 10, "business", 250);

    @Override
    public void up(MigrationContext context) throws Exception {
        try (PreparedStatement update = context.connection().prepareStatement(
                "UPDATE plans SET features = jsonb_build_object('seats', ?, 'sso', ?) WHERE code = ?")) {
            for (Map.Entry<String, Integer> plan : SEATS.entrySet()) {
                update.setInt(1, plan.getValue());
                update.setBoolean(2, plan.getValue() > 10);
                update.setString(3, plan.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    @Override
    public void down(MigrationContext context) throws Exception {
        try (PreparedStatement reset = context.connection().prepareStatement("UPDATE plans SET features = '{}'")) {
            reset.executeUpdate();
        }
    }
}
