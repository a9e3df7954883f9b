package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.Locale;

/** What a token may do. Write includes read. */
enum Role {
    /** Status, version, plan, history, verify, fleet status, fleet verify/validate runs, metrics. */
    READ,
    /** Also up, down and repair, dry runs of up and down (real DDL, real locks), fleet up and down runs. */
    WRITE;

    boolean allows(Role needed) {
        return this == WRITE || needed == READ;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role parse(String text, String where) {
        if ("read".equals(text)) {
            return READ;
        }
        if ("write".equals(text)) {
            return WRITE;
        }
        throw new GearshiftException(ErrorCode.USAGE, "server configuration: " + where + " must be read or write, not '"
                + text + "'");
    }
}
