package dev.gearshift.server;

import dev.gearshift.Durations;
import dev.gearshift.fleet.Fleet;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantSelection;
import dev.gearshift.fleet.Tenants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The configured fleets. Where tenants come from is fixed at start; a request may only narrow the selection
 * (attribute filters, tenant names), never point the service at another registry.
 */
final class Fleets {

    /** One configured fleet. */
    record ConfiguredFleet(String name, ServerConfig.FleetConfig config, Credentials credentials,
                           Optional<Databases.Database> control, int parallel, Duration tenantTimeout,
                           Duration connectTimeout, Databases databases) {

        /** The tenants the registry lists now, narrowed by {@code selection}. */
        List<Tenant> load(TenantSelection selection) {
            return selection.apply(all());
        }

        List<Tenant> all() {
            if (config.schemas() != null) {
                Databases.Database db = databases.named(config.schemas().database()).orElseThrow();
                return Tenants.schemasLike(db.url(), db.credentials().user(), db.credentials().password(),
                        config.schemas().like());
            }
            if (config.query() != null) {
                Databases.Database db = databases.named(config.query().database()).orElseThrow();
                return Tenants.fromQuery(db.url(), db.credentials().user(), db.credentials().password(),
                        config.query().sql(), db.url());
            }
            return Tenants.fromFile(Path.of(config.file()), null);
        }
    }

    private final Map<String, ConfiguredFleet> fleets = new LinkedHashMap<>();

    Fleets(Map<String, ServerConfig.FleetConfig> configured, Databases databases, Function<String, String> env) {
        configured.forEach((name, config) -> {
            Credentials credentials = credentials(name, config, databases, env);
            fleets.put(name, new ConfiguredFleet(name, config, credentials,
                    Optional.ofNullable(config.control()).flatMap(databases::named),
                    config.parallel() == null ? 4 : config.parallel(),
                    config.tenantTimeout() == null ? null : Durations.parse(config.tenantTimeout(), "tenant_timeout"),
                    config.connectTimeout() == null ? Fleet.DEFAULT_CONNECT_TIMEOUT
                            : Durations.parse(config.connectTimeout(), "connect_timeout"),
                    databases));
        });
    }

    /** The fleet's own login for tenant databases, else that of the database its tenants are listed in. */
    private static Credentials credentials(String name, ServerConfig.FleetConfig config, Databases databases,
                                           Function<String, String> env) {
        if (config.user() != null || config.passwordEnv() != null || config.passwordFile() != null) {
            return Credentials.load(config.user(), config.passwordEnv(), config.passwordFile(), env, "fleets." + name);
        }
        String source = config.schemas() != null ? config.schemas().database()
                : config.query() != null ? config.query().database() : null;
        return source == null ? Credentials.NONE
                : databases.named(source).map(Databases.Database::credentials).orElse(Credentials.NONE);
    }

    ConfiguredFleet get(String name) {
        if (name == null || name.isBlank()) {
            throw ApiError.badRequest("missing-field", "fleet is required; configured fleets: " + fleets.keySet());
        }
        ConfiguredFleet fleet = fleets.get(name);
        if (fleet == null) {
            throw ApiError.notFound("no fleet '" + name + "' is configured; configured fleets: " + fleets.keySet());
        }
        return fleet;
    }

    List<String> names() {
        return List.copyOf(fleets.keySet());
    }
}
