package dev.gearshift.spi;

import java.util.List;
import java.util.Map;

/**
 * Lists what a database knows of its tenants: the schemas it holds, or the records a query on a configuration
 * table returns. The fleet turns these into tenants; a registry only reads. Found by URL through
 * {@link Provider}, as a {@link Dialect} is.
 */
public interface TenantRegistry {

    /**
     * The names of the schemas whose name matches {@code pattern}, in no particular order; {@code %} matches any
     * run of characters and {@code _} any one (SQL's LIKE). The schema a {@link RunStore} of this database keeps
     * runs in is never listed.
     *
     * @throws dev.gearshift.GearshiftException with code {@code connection} when the database cannot be read
     */
    List<String> schemasLike(String pattern);

    /**
     * The records a query in the registry's own language returns, in its order: each maps its column labels, in
     * lower case, to their values (null where none).
     *
     * @throws dev.gearshift.GearshiftException with code {@code connection} when the database cannot be reached,
     *                                          {@code usage} when the query is wrong
     */
    List<Map<String, String>> query(String query);

    /** Opens registries for the URLs it accepts. Listed in {@code META-INF/services}. */
    interface Provider {

        /** True for URLs of databases this registry reads. */
        boolean accepts(String url);

        /** A registry on the database at {@code url}; connects when it is read, not before. */
        TenantRegistry open(String url, String user, String password);
    }
}
