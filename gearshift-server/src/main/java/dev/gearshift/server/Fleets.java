package dev.gearshift.server;

import dev.gearshift.Durations;
import dev.gearshift.fleet.Fleet;
import dev.gearshift.fleet.RunTenants;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantSelection;
import dev.gearshift.fleet.TenantSource;
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

        /** How a run over {@code selection} chooses its tenants, as it records it. */
        RunTenants choice(TenantSelection selection) {
            return new RunTenants(source(), selection);
        }

        List<Tenant> all() {
            Credentials login = registry().map(Databases.Database::credentials).orElse(Credentials.NONE);
            return source().list(login.user(), login.password());
        }

        private TenantSource source() {
            Optional<Databases.Database> registry = registry();
            if (config.schemas() != null) {
                return TenantSource.schemasLike(registry.orElseThrow().url(), config.schemas().like());
            }
            if (config.query() != null) {
                return TenantSource.query(registry.orElseThrow().url(), config.query().sql(),
                        registry.orElseThrow().url());
            }
            return TenantSource.file(Path.of(config.file()), null);
        }

        /** The database the tenants are listed in, unless they are listed in a file. */
        private Optional<Databases.Database> registry() {
            return Optional.ofNullable(registryName(config)).flatMap(databases::named);
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
        String source = registryName(config);
        return source == null ? Credentials.NONE
                : databases.named(source).map(Databases.Database::credentials).orElse(Credentials.NONE);
    }

    private static String registryName(ServerConfig.FleetConfig config) {
        return config.schemas() != null ? config.schemas().database()
                : config.query() != null ? config.query().database() : null;
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
