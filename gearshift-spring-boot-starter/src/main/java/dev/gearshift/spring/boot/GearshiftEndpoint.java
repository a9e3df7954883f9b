package dev.gearshift.spring.boot;

import dev.gearshift.Gearshift;
import dev.gearshift.JsonShapes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/** {@code /actuator/gearshift}: the status per module and the history, in the CLI's {@code --json} shapes. */
@Endpoint(id = "gearshift")
public class GearshiftEndpoint {

    private final Gearshift gearshift;

    public GearshiftEndpoint(Gearshift gearshift) {
        this.gearshift = gearshift;
    }

    @ReadOperation
    public Map<String, Object> gearshift() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", gearshift.target());
        json.put("status", JsonShapes.status(gearshift.status()));
        json.put("history", JsonShapes.history(gearshift.history()));
        return json;
    }
}
