package dev.gearshift.fleet;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a fleet's tenants come from: the schemas of a database whose names match a pattern, a YAML or CSV file,
 * or a query on a configuration database. The CLI's options and the service's configuration each name one;
 * they are listed here, in one place.
 *
 * @param kind        which of the three
 * @param argument    the schema name pattern ({@code tenant_%}), the file, or the query
 * @param registryUrl the database whose schemas are listed, or that the query runs on
 * @param defaultUrl  the database of tenants that name none (or name only a database on its server)
 */
public record TenantSource(Kind kind, String argument, Optional<String> registryUrl, Optional<String> defaultUrl) {

    /** The kinds of tenant sources. */
    public enum Kind {
        /** Every schema of the registry database matching a pattern: one tenant each, in that database. */
        SCHEMAS,
        /** A YAML or CSV file of tenant records. */
        FILE,
        /** The records a query on the registry database returns. */
        QUERY
    }

    /** Every schema of the database at {@code url} whose name is LIKE {@code pattern}. */
    public static TenantSource schemasLike(String url, String pattern) {
        return new TenantSource(Kind.SCHEMAS, pattern, Optional.of(url), Optional.of(url));
    }

    /** A YAML or CSV file; tenants that name no database are in {@code defaultUrl}'s (may be null: none). */
    public static TenantSource file(Path file, String defaultUrl) {
        return new TenantSource(Kind.FILE, file.toString(), Optional.empty(), Optional.ofNullable(defaultUrl));
    }

    /** A query on the configuration database at {@code configUrl}. */
    public static TenantSource query(String configUrl, String query, String defaultUrl) {
        return new TenantSource(Kind.QUERY, query, Optional.of(configUrl), Optional.ofNullable(defaultUrl));
    }

    /** The tenants the source lists now, with {@code user} and {@code password} for its database. */
    public List<Tenant> list(String user, String password) {
        return switch (kind) {
            case SCHEMAS -> Tenants.schemasLike(registryUrl.orElseThrow(), user, password, argument);
            case FILE -> Tenants.fromFile(Path.of(argument), defaultUrl.orElse(null));
            case QUERY -> Tenants.fromQuery(registryUrl.orElseThrow(), user, password, argument,
                    defaultUrl.orElse(null));
        };
    }
}
