package dev.gearshift.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gearshift.Durations;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The service's configuration file ({@code server.yaml}), documented in docs/SERVER.md. Everything a request may
 * touch is named here: the databases, the fleets and the migration sources. Unknown keys are an error, so a typo
 * cannot silently leave a database open or a token unchecked.
 *
 * @param listen        {@code host:port} to listen on (default {@code 127.0.0.1:8080}; port 0 picks a free one)
 * @param project       a gearshift.yaml or the directory holding one (modules, placeholders, defaults)
 * @param migrations    the migrations directory, if not the project's
 * @param gitRevision   read the migrations as committed at this revision
 * @param createSchema  create a target schema that does not exist
 * @param migratorWait  how long a migration waits for another migrator of the same schema
 * @param lockTimeout   the deprecated name of {@code migratorWait}
 * @param ddlLockTimeout how long a migration's statement waits for a table lock before the migration is retried
 * @param ddlLockRetries how many times such a migration runs again
 * @param maxBodyBytes  requests with larger bodies are refused (413)
 * @param shutdownGrace how long a shutdown waits for running migrations and fleet runs
 * @param limits        how much work the service takes on at once, and how much it lets wait
 */
public record ServerConfig(String listen, String project, String migrations, String gitRevision, Boolean createSchema,
                           String migratorWait, String lockTimeout, String ddlLockTimeout, Integer ddlLockRetries,
                           Long maxBodyBytes, String shutdownGrace,
                           Map<String, DatabaseConfig> databases, Map<String, FleetConfig> fleets,
                           List<TokenConfig> tokens, LimitsConfig limits) {

    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public ServerConfig {
        databases = databases == null ? Map.of() : new LinkedHashMap<>(databases);
        fleets = fleets == null ? Map.of() : new LinkedHashMap<>(fleets);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        limits = limits == null ? new LimitsConfig(null, null, null, null, null, null, null, null, null, null)
                : limits;
    }

    /**
     * The service's bounds under load (docs/SERVER.md, "Load and limits"). Every key is optional; each bound holds
     * for each configured database (or schema, or token) on its own.
     *
     * @param connectionsPerDatabase   connections the service opens to one database at most (its pool)
     * @param migrationsPerDatabase    {@code POST /migrate} requests running at once on one database
     * @param queuePerDatabase         requests waiting for their turn on one database; past it, 503
     * @param queuePerSchema           up, down and repair requests waiting for one schema; past it, 429
     * @param queueWait                the longest wait for a turn on a database; then 503
     * @param eventStreamsPerToken     open {@code GET /runs/{id}/events} streams of one token; past it, 429
     * @param fleetParallel            the most tenants at once a fleet run may ask for, by role ({@code read},
     *                                 {@code write})
     * @param fleetParallelPerDatabase tenants of one database that all fleet runs together migrate at once
     * @param acceptQueue              connections the operating system queues before the service accepts them
     * @param threads                  request threads (streams and waiting requests each hold one)
     */
    public record LimitsConfig(Integer connectionsPerDatabase, Integer migrationsPerDatabase, Integer queuePerDatabase,
                               Integer queuePerSchema, String queueWait, Integer eventStreamsPerToken,
                               Map<String, Integer> fleetParallel, Integer fleetParallelPerDatabase,
                               Integer acceptQueue, Integer threads) {
    }

    /**
     * A database requests may name.
     *
     * @param url          JDBC or {@code postgres://} URL; requests may name the database by this exact text
     * @param user         login, if not in the URL
     * @param passwordEnv  environment variable holding the password (the password never sits in this file)
     * @param passwordFile file holding the password (a mounted secret)
     * @param schemas      schemas requests may migrate, {@code *} as a wildcard; default every schema
     */
    public record DatabaseConfig(String url, String user, String passwordEnv, String passwordFile,
                                 List<String> schemas) {
    }

    /**
     * A fleet {@code POST /runs} and the dashboard work on. Exactly one source of tenants.
     *
     * @param schemas       every schema of a configured database whose name is LIKE a pattern
     * @param file          a YAML or CSV tenants file (relative to the configuration file)
     * @param query         a query on a configured database returning tenants
     * @param user          login for the tenant databases (default: the source database's)
     * @param passwordEnv   its password's environment variable
     * @param passwordFile  its password's file
     * @param control       a configured database keeping run records (resumable with {@code gearshift fleet resume})
     * @param parallel      tenants migrated at once (default 4); a request may ask for fewer or more
     * @param tenantTimeout a tenant running longer is stopped and counted as failed
     * @param connectTimeout how long to wait for a tenant database before it counts as unreachable (default 5s)
     */
    public record FleetConfig(SchemasSource schemas, String file, QuerySource query, String user, String passwordEnv,
                              String passwordFile, String control, Integer parallel, String tenantTimeout,
                              String connectTimeout) {
    }

    /** Tenants are the schemas of {@code database} LIKE {@code like}. */
    public record SchemasSource(String database, String like) {
    }

    /** Tenants are the rows {@code sql} returns on {@code database}. */
    public record QuerySource(String database, String sql) {
    }

    /**
     * A bearer token, stored as the hex SHA-256 of its text: reading the file does not give the token away.
     *
     * @param name   who holds it; shown in the access log instead of the token
     * @param sha256 {@code printf %s "$TOKEN" | sha256sum}, or {@code gearshift serve --hash-token}
     * @param role   {@code read} (status, plan, dry runs, runs and dashboard) or {@code write} (also up, down, repair)
     */
    public record TokenConfig(String name, String sha256, String role) {
    }

    /** Reads and checks a configuration file; relative paths in it are relative to its directory. */
    public static ServerConfig read(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        if (!Files.isRegularFile(file)) {
            throw new GearshiftException(ErrorCode.USAGE, "server configuration " + file + " does not exist");
        }
        ServerConfig config;
        try {
            config = yaml.readValue(file.toFile(), ServerConfig.class);
        } catch (JsonMappingException e) {
            throw new GearshiftException(ErrorCode.USAGE, file + ": " + e.getOriginalMessage() + " at "
                    + e.getPathReference(), e);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (config == null) {
            throw new GearshiftException(ErrorCode.USAGE, file + " is empty");
        }
        return config.relativeTo(file.toAbsolutePath().getParent());
    }

    /** The same configuration with its relative paths resolved against {@code directory}. */
    public ServerConfig relativeTo(Path directory) {
        Function<String, String> resolve = p -> p == null ? null : directory.resolve(p).toString();
        Map<String, DatabaseConfig> resolvedDatabases = new LinkedHashMap<>();
        databases.forEach((name, db) -> resolvedDatabases.put(name, new DatabaseConfig(db.url(), db.user(),
                db.passwordEnv(), resolve.apply(db.passwordFile()), db.schemas())));
        Map<String, FleetConfig> resolvedFleets = new LinkedHashMap<>();
        fleets.forEach((name, f) -> resolvedFleets.put(name, new FleetConfig(f.schemas(), resolve.apply(f.file()),
                f.query(), f.user(), f.passwordEnv(), resolve.apply(f.passwordFile()), f.control(), f.parallel(),
                f.tenantTimeout(), f.connectTimeout())));
        return new ServerConfig(listen, resolve.apply(project), resolve.apply(migrations), gitRevision, createSchema,
                migratorWait, lockTimeout, ddlLockTimeout, ddlLockRetries, maxBodyBytes, shutdownGrace,
                resolvedDatabases, resolvedFleets, tokens, limits);
    }

    /** Every mistake a person can make in the file, found before the service starts. */
    void check() {
        if (databases.isEmpty()) {
            throw invalid("configure at least one database under databases:");
        }
        databases.forEach((name, db) -> {
            if (db == null || db.url() == null || db.url().isBlank()) {
                throw invalid("databases." + name + ": url is required");
            }
            if (db.passwordEnv() != null && db.passwordFile() != null) {
                throw invalid("databases." + name + ": give password_env or password_file, not both");
            }
        });
        fleets.forEach((name, fleet) -> {
            if (fleet == null) {
                throw invalid("fleets." + name + ": give schemas, file or query");
            }
            int sources = (fleet.schemas() != null ? 1 : 0) + (fleet.file() != null ? 1 : 0)
                    + (fleet.query() != null ? 1 : 0);
            if (sources != 1) {
                throw invalid("fleets." + name + ": give exactly one tenant source: schemas, file or query");
            }
            if (fleet.schemas() != null) {
                requireDatabase("fleets." + name + ".schemas.database", fleet.schemas().database());
                if (fleet.schemas().like() == null) {
                    throw invalid("fleets." + name + ".schemas: like (a LIKE pattern such as tenant_%) is required");
                }
            }
            if (fleet.query() != null) {
                requireDatabase("fleets." + name + ".query.database", fleet.query().database());
                if (fleet.query().sql() == null || fleet.query().sql().isBlank()) {
                    throw invalid("fleets." + name + ".query: sql is required");
                }
            }
            if (fleet.control() != null) {
                requireDatabase("fleets." + name + ".control", fleet.control());
            }
            if (fleet.parallel() != null && fleet.parallel() < 1) {
                throw invalid("fleets." + name + ".parallel must be at least 1");
            }
            Optional.ofNullable(fleet.tenantTimeout()).ifPresent(t -> Durations.parse(t, "fleets." + name
                    + ".tenant_timeout"));
            Optional.ofNullable(fleet.connectTimeout()).ifPresent(t -> {
                if (Durations.parse(t, "fleets." + name + ".connect_timeout").toMillis() < 250) {
                    throw invalid("fleets." + name + ".connect_timeout must be at least 250ms");
                }
            });
        });
        if (tokens.isEmpty()) {
            throw invalid("configure at least one token under tokens: (every call but /healthz needs one)");
        }
        for (TokenConfig token : tokens) {
            if (token.name() == null || token.sha256() == null || !token.sha256().matches("(?i)[0-9a-f]{64}")) {
                throw invalid("tokens: every token needs a name and sha256 (64 hex digits: the SHA-256 of the"
                        + " token, never the token itself)" + (token.name() == null ? "" : "; check " + token.name()));
            }
            Role.parse(token.role(), "tokens." + token.name() + ".role");
        }
        if (project == null && migrations == null) {
            throw invalid("give project (a gearshift.yaml or its directory) or migrations (a directory)");
        }
        if (migratorWait != null && lockTimeout != null) {
            throw invalid("lock_timeout is the deprecated name of migrator_wait: keep migrator_wait only");
        }
        migratorWaitDuration();
        ddlLockTimeoutDuration();
        if (ddlLockRetries != null && ddlLockRetries < 0) {
            throw invalid("ddl_lock_retries must be 0 or more");
        }
        shutdownGraceDuration();
        bodyLimit();
        Listen.parse(listen);
        checkedLimits();
    }

    /** The limits with their defaults, checked. */
    Limits checkedLimits() {
        LimitsConfig l = limits;
        int connections = positive(l.connectionsPerDatabase(), 8, "limits.connections_per_database");
        // a migration outside a transaction holds two connections (the lock's and its own): half the pool each
        int migrations = positive(l.migrationsPerDatabase(), Math.max(1, connections / 2),
                "limits.migrations_per_database");
        if (migrations > connections) {
            throw invalid("limits.migrations_per_database (" + migrations + ") must not exceed"
                    + " limits.connections_per_database (" + connections + "): each migration needs a connection");
        }
        Map<Role, Integer> parallel = new java.util.EnumMap<>(Role.class);
        parallel.put(Role.READ, 4);
        parallel.put(Role.WRITE, 16);
        if (l.fleetParallel() != null) {
            l.fleetParallel().forEach((role, cap) -> parallel.put(Role.parse(role, "limits.fleet_parallel key"),
                    positive(cap, 1, "limits.fleet_parallel." + role)));
        }
        int threads = positive(l.threads(), 250, "limits.threads");
        int streams = positive(l.eventStreamsPerToken(), 8, "limits.event_streams_per_token");
        return new Limits(connections, migrations, positive(l.queuePerDatabase(), 64, "limits.queue_per_database"),
                positive(l.queuePerSchema(), 16, "limits.queue_per_schema"),
                l.queueWait() == null ? Duration.ofSeconds(60) : Durations.parse(l.queueWait(), "limits.queue_wait"),
                streams, Map.copyOf(parallel),
                positive(l.fleetParallelPerDatabase(), 16, "limits.fleet_parallel_per_database"),
                positive(l.acceptQueue(), 1024, "limits.accept_queue"), threads);
    }

    private static int positive(Integer value, int otherwise, String key) {
        if (value != null && value < 1) {
            throw invalid(key + " must be at least 1, not " + value);
        }
        return value == null ? otherwise : value;
    }

    /** {@link LimitsConfig} with every default filled in. */
    record Limits(int connectionsPerDatabase, int migrationsPerDatabase, int queuePerDatabase, int queuePerSchema,
                  Duration queueWait, int eventStreamsPerToken, Map<Role, Integer> fleetParallel,
                  int fleetParallelPerDatabase, int acceptQueue, int threads) {
    }

    private void requireDatabase(String where, String name) {
        if (name == null || !databases.containsKey(name)) {
            throw invalid(where + ": '" + name + "' is not one of the configured databases " + databases.keySet());
        }
    }

    Optional<Duration> migratorWaitDuration() {
        return migratorWait != null ? Optional.of(Durations.parse(migratorWait, "migrator_wait"))
                : Optional.ofNullable(lockTimeout).map(t -> Durations.parse(t, "lock_timeout"));
    }

    Optional<Duration> ddlLockTimeoutDuration() {
        return Optional.ofNullable(ddlLockTimeout).map(t -> Durations.parse(t, "ddl_lock_timeout"));
    }

    /** Settings still read under an old name, each with the name to use instead. */
    List<String> deprecations() {
        return lockTimeout == null ? List.of() : List.of("server.yaml: lock_timeout is deprecated: it is the wait"
                + " for another migrator, now called migrator_wait (ddl_lock_timeout is the wait for table locks)");
    }

    Duration shutdownGraceDuration() {
        return shutdownGrace == null ? Duration.ofMinutes(5) : Durations.parse(shutdownGrace, "shutdown_grace");
    }

    long bodyLimit() {
        if (maxBodyBytes != null && maxBodyBytes < 1) {
            throw invalid("max_body_bytes must be positive");
        }
        return maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    }

    private static GearshiftException invalid(String message) {
        return new GearshiftException(ErrorCode.USAGE, "server configuration: " + message);
    }

    /** Where to listen. */
    record Listen(String host, int port) {
        static Listen parse(String text) {
            if (text == null || text.isBlank()) {
                return new Listen("127.0.0.1", 8080);
            }
            int colon = text.lastIndexOf(':');
            try {
                if (colon < 0) {
                    return new Listen("127.0.0.1", Integer.parseInt(text.strip()));
                }
                return new Listen(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw invalid("listen: '" + text + "' is not host:port");
            }
        }
    }
}
