package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.spi.Capability;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.Store;
import dev.gearshift.spi.StoreProvider;
import java.util.EnumSet;
import java.util.Set;

/** Embedded key-value stores: {@code mvstore:PATH} (H2 MVStore) and {@code rocksdb:PATH} (RocksDB). */
public final class KvStoreProvider implements StoreProvider {

    /**
     * What both stores do. Not {@link Capability#BOUNDED_LOCK_WAIT}: a unit's writes wait for no reader, so there
     * is no lock wait to bound.
     */
    static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.TRANSACTIONAL_DDL, Capability.SHARED_LOCKS,
            Capability.DRY_RUN, Capability.SCHEMAS, Capability.SCRIPTS, Capability.NON_TRANSACTIONAL,
            Capability.BACKUP);

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public boolean accepts(String url) {
        return url.startsWith("mvstore:") || url.startsWith("rocksdb:");
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ScriptParser parser() {
        return new KvScript();
    }

    @Override
    public Store open(Endpoint endpoint, Options options) {
        String url = endpoint.url().orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "a key-value store"
                + " is given by its URL (mvstore:PATH or rocksdb:PATH), not a DataSource"));
        return new KvTarget(url, endpoint.schema(), options);
    }
}
