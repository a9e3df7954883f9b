package dev.gearshift.kv;

/**
 * One migration of a key-value store, as InfluxDB's {@code migration.Spec}: a name, and what {@code up} and
 * {@code down} do to the store's buckets. A spec's writes and its record commit together, unless it is not
 * {@link #transactional()}. Once applied, a spec keeps its name and its place in the list.
 */
public interface Spec {

    /** The name recorded for it, e.g. {@code add index foo}. */
    String name();

    void up(Buckets store) throws Exception;

    /** Reverts {@link #up}; specs that cannot be reverted keep this default, and {@code down} stops before them. */
    default void down(Buckets store) throws Exception {
        throw new UnsupportedOperationException("spec \"" + name() + "\" cannot be migrated down");
    }

    /**
     * False for a spec that writes in several units (a rewrite of a large bucket): it is handed {@link Units},
     * recorded as started before it runs, and a crash half-way leaves it so, refused until repaired.
     */
    default boolean transactional() {
        return true;
    }

    /** What {@code up} or {@code down} does to the buckets. */
    @FunctionalInterface
    interface Action {
        void run(Buckets store) throws Exception;
    }

    /** A transactional spec of two lambdas: {@code Spec.of("add bucket users", s -> s.createBucket("users"), ...)}. */
    static Spec of(String name, Action up, Action down) {
        return new Spec() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void up(Buckets store) throws Exception {
                up.run(store);
            }

            @Override
            public void down(Buckets store) throws Exception {
                down.run(store);
            }
        };
    }
}
