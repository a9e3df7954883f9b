package dev.gearshift.fleet;

import java.util.Comparator;
import java.util.Map;

/**
 * One migration target of a fleet: a schema in a database.
 *
 * @param name       unique within the fleet
 * @param url        the database (JDBC or {@code postgres://} URL)
 * @param schema     the schema to migrate
 * @param attributes anything else the registry knows ({@code auth_version=live}), for {@code --filter}
 */
public record Tenant(String name, String url, String schema, Map<String, String> attributes) {

    public Tenant {
        attributes = Map.copyOf(attributes);
    }

    /**
     * The order tenants are listed in, by the CLI and the service alike: by name, numbers in names counted
     * ({@code t_1, t_2, t_10}).
     */
    public static Comparator<Tenant> byName() {
        return Comparator.comparing(Tenant::name, NaturalOrder.NAMES);
    }
}
