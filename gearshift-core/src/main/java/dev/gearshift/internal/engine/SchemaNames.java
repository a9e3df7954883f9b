package dev.gearshift.internal.engine;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.spi.StoreProvider;
import java.nio.charset.StandardCharsets;

/** Refuses schema names a database cannot hold as given, before a connection is opened. */
public final class SchemaNames {

    private SchemaNames() {
    }

    /** @throws GearshiftException {@link ErrorCode#USAGE} for an empty name, a control character, or too long */
    public static void check(StoreProvider store, String schema) {
        if (schema.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "the schema name is empty");
        }
        for (int i = 0; i < schema.length(); i++) {
            char c = schema.charAt(i);
            if (Character.isISOControl(c)) {
                // the name itself is not shown: it is what holds the character that must not reach a terminal
                throw new GearshiftException(ErrorCode.USAGE, String.format("the schema name holds a control"
                        + " character (U+%04X at position %d); schema names must be printable", (int) c, i + 1));
            }
        }
        int bytes = schema.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > store.maxIdentifierBytes()) {
            throw new GearshiftException(ErrorCode.USAGE, "schema name '" + schema + "' is " + bytes + " bytes long;"
                    + " " + store.name() + " keeps only the first " + store.maxIdentifierBytes() + " bytes of"
                    + " a name, so two longer names would share one schema: use at most "
                    + store.maxIdentifierBytes() + " bytes");
        }
    }
}
