package dev.gearshift.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of fleet results, shared by the CLI's {@code --json} and the HTTP service. */
public final class FleetJsonShapes {

    private FleetJsonShapes() {
    }

    /** {@code {"tenant", "schema", "state", "migrations", "duration_ms", "error_code", "message"}}. */
    public static Map<String, Object> outcome(TenantOutcome outcome) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tenant", outcome.tenant());
        entry.put("schema", outcome.schema());
        entry.put("state", outcome.state().id());
        entry.put("migrations", outcome.migrations());
        entry.put("duration_ms", outcome.duration() == null ? null : outcome.duration().toMillis());
        entry.put("error_code", outcome.errorCode());
        entry.put("message", outcome.message());
        return entry;
    }
}
