package dev.gearshift.postgres;

import dev.gearshift.jdbc.JdbcStoreProvider;
import dev.gearshift.spi.Capability;
import java.util.EnumSet;
import java.util.Set;

/** PostgreSQL as a store: every capability the engine knows of. */
public final class PostgresStoreProvider extends JdbcStoreProvider {

    public PostgresStoreProvider() {
        super(new PostgresDialect());
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }
}
