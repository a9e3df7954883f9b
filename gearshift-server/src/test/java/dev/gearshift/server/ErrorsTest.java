package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Remedy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service names the options an error points to as its callers set them, never as the CLI's flags. */
class ErrorsTest {

    @Test
    void anOptionTheServiceOffersIsNamedAsItsField() {
        GearshiftException missing = new GearshiftException(ErrorCode.USAGE, "schema app does not exist in main;"
                + " create it, or allow creating schemas", Remedy.CREATE_SCHEMA);
        assertThat(Errors.status(missing.code())).isEqualTo(400);
        assertThat(message(missing)).isEqualTo("schema app does not exist in main; create it, or allow creating"
                + " schemas (server configuration: create_schema)");
        assertThat(message(new GearshiftException(ErrorCode.USAGE, "parallel: at least 1 tenant at once, not 0",
                Remedy.PARALLEL))).endsWith("(request field: parallel)");
    }

    @Test
    void anOptionTheServiceDoesNotOfferIsNotSuggested() {
        GearshiftException guarded = new GearshiftException(ErrorCode.LOCKED_BY_APPLICATION, "schema app is guarded"
                + " by running application instances; stop them first, or wait for them", Remedy.WAIT_FOR_GUARDS);
        assertThat(message(guarded)).isEqualTo(guarded.getMessage()).doesNotContain("--");
    }

    @SuppressWarnings("unchecked")
    private static String message(GearshiftException e) {
        return (String) ((Map<String, Object>) Errors.document(e).get("error")).get("message");
    }
}
