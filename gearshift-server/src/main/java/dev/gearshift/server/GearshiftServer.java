package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Project;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The migration service: the seed's {@code POST /migrate}, fleet runs with live progress, a dashboard and
 * Prometheus metrics, over the same Java API as the CLI. Configured once at start (docs/SERVER.md):
 *
 * <pre>{@code
 * try (GearshiftServer server = GearshiftServer.start(ServerConfig.read(Path.of("server.yaml")))) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * {@link #close()} shuts down gracefully: new work is refused at once, running migrations and fleet runs finish
 * (fleet runs start no further tenants), then the listener stops.
 */
public final class GearshiftServer implements AutoCloseable {

    private final Javalin app;
    private final Drain drain;
    private final Runs runs;
    private final Pools pools;
    private final Log log;
    private final Duration grace;
    private final Object stopped = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean closed;

    private GearshiftServer(Javalin app, Drain drain, Runs runs, Pools pools, Log log, Duration grace) {
        this.app = app;
        this.drain = drain;
        this.runs = runs;
        this.pools = pools;
        this.log = log;
        this.grace = grace;
    }

    /** Starts with passwords from the process environment, logging to stderr. */
    public static GearshiftServer start(ServerConfig config) {
        return start(config, System::getenv, System.err);
    }

    /**
     * @param env  where {@code password_env} variables are looked up
     * @param logs where log lines go
     */
    public static GearshiftServer start(ServerConfig config, Function<String, String> env, PrintStream logs) {
        config.check();
        Log log = new Log(logs);
        config.deprecations().forEach(note -> log.info("warning: " + note));
        Databases databases = new Databases(config.databases(), env);
        Fleets fleets = new Fleets(config.fleets(), databases, env);
        Project project = project(config, databases.first());
        checkSchemaPatterns(config, project);
        Metrics metrics = new Metrics();
        ServerConfig.Limits limits = config.checkedLimits();
        Pools pools = new Pools(limits.connectionsPerDatabase());
        Drain drain = new Drain();
        Runs runs = new Runs(project, fleets, metrics, drain, limits);
        Api api = new Api(new TokenStore(config.tokens()), new RequestBodies(config.bodyLimit()),
                new MigrateService(project, databases, pools, metrics, new LockWaits(metrics),
                        new Queues(limits, config.migratorWaitDuration().orElse(DEFAULT_LOCK_TIMEOUT))), runs,
                new FleetView(project, fleets, runs, pools, metrics), metrics, drain,
                limits.eventStreamsPerToken());
        ServerConfig.Listen listen = ServerConfig.Listen.parse(config.listen());
        Javalin app = Javalin.create(javalin -> configure(javalin, api, log, listen, limits));
        try {
            app.start();
        } catch (RuntimeException e) {
            pools.close();
            runs.close();
            throw new GearshiftException(ErrorCode.USAGE, "cannot listen on " + listen.host() + ":" + listen.port()
                    + ": " + e.getMessage(), e);
        }
        log.info("gearshift " + Gearshift.version() + " serving on http://" + listen.host() + ":" + app.port()
                + " (databases " + config.databases().keySet() + ", fleets " + config.fleets().keySet()
                + ", modules " + project.modules() + ")");
        return new GearshiftServer(app, drain, runs, pools, log, config.shutdownGraceDuration());
    }

    /** The project, read once: every request and run uses these sources, whatever it asks. */
    private static Project project(ServerConfig config, Databases.Database anyDatabase) {
        Gearshift.Builder builder = Gearshift.configure();
        if (config.project() != null) {
            builder.project(Path.of(config.project()));
        }
        if (config.migrations() != null) {
            builder.migrations(Path.of(config.migrations()));
        }
        if (config.gitRevision() != null) {
            builder.gitRevision(config.gitRevision());
        }
        if (config.createSchema() != null) {
            builder.createSchema(config.createSchema());
        }
        config.migratorWaitDuration().ifPresent(builder::migratorWait);
        config.ddlLockTimeoutDuration().ifPresent(builder::ddlLockTimeout);
        Optional.ofNullable(config.ddlLockRetries()).ifPresent(builder::ddlLockRetries);
        // the URL only picks the kind of store the scripts are parsed for: every request brings its own target
        return builder.url(anyDatabase.url()).buildProject();
    }

    /**
     * A pattern whose literal text alone is longer than the database keeps a name allows no schema that can be
     * migrated: refused at start, not at every request.
     */
    private static void checkSchemaPatterns(ServerConfig config, Project project) {
        config.databases().forEach((name, database) -> {
            for (String pattern : database.schemas() == null ? java.util.List.<String>of() : database.schemas()) {
                String shortest = pattern.replace("*", "");
                if (shortest.isEmpty()) {
                    continue;
                }
                try {
                    project.checkSchemaName(shortest);
                } catch (GearshiftException e) {
                    throw new GearshiftException(ErrorCode.USAGE, "databases." + name + ".schemas: no schema the"
                            + " pattern '" + pattern + "' allows can be used: " + e.getMessage(), e);
                }
            }
        });
    }

    /** The engine's own default, when neither the service nor the project sets one. */
    private static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    /** How long stopping waits for responses still being written, after the running work has finished. */
    private static final Duration RESPONSE_GRACE = Duration.ofSeconds(10);

    private static void configure(JavalinConfig config, Api api, Log log, ServerConfig.Listen listen,
                                  ServerConfig.Limits limits) {
        config.startup.showJavalinBanner = false;
        // A burst of new connections waits in the kernel's accept queue until an acceptor takes it; Jetty's
        // default (the JVM's backlog of 50) let a burst of 200 clients be reset.
        config.jetty.addConnector((server, http) -> {
            org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                    new org.eclipse.jetty.server.HttpConnectionFactory(http));
            connector.setHost(listen.host());
            connector.setPort(listen.port());
            connector.setAcceptQueueSize(limits.acceptQueue());
            return connector;
        });
        // Waiting requests and event streams each hold a thread: the bounds in Queues and Api keep them few.
        config.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(limits.threads(),
                Math.min(8, limits.threads()));
        config.startup.showOldJavalinVersionWarning = false;
        // bodies are limited and read by RequestBodies; compression would hold back server-sent events
        config.http.compressionStrategy = CompressionStrategy.NONE;
        // The drain lets a migration finish, but its response is written after the handler returns: stopping
        // Jetty must wait for requests in flight too, or a client whose migration succeeded reads no answer.
        config.jetty.modifyServletContextHandler(context -> context.insertHandler(
                new org.eclipse.jetty.server.handler.GracefulHandler()));
        config.jetty.modifyServer(server -> server.setStopTimeout(RESPONSE_GRACE.toMillis()));
        config.requestLogger.http((ctx, ms) -> log.info(ctx.method() + " " + ctx.path() + " " + ctx.statusCode()
                + " " + Math.round(ms) + "ms" + (ctx.attribute(Api.CALLER) == null ? ""
                : " token=" + ctx.attribute(Api.CALLER))));
        var routes = config.routes;
        routes.get("/healthz", api::health);
        routes.post("/migrate", api.admitted(api::migrate));
        routes.post("/runs", api.admitted(api::startRun));
        routes.get("/runs", api::listRuns);
        routes.get("/runs/{id}", api::getRun);
        routes.get("/runs/{id}/events", api::runEvents);
        routes.post("/runs/{id}/cancel", api::cancelRun);
        routes.get("/fleets", api::listFleets);
        routes.get("/fleets/{fleet}/status", api::fleetStatus);
        routes.get("/fleets/{fleet}/tenants/{tenant}/history", api::tenantHistory);
        routes.get("/metrics", api::metrics);
        for (Map.Entry<String, String> asset : StaticAssets.FILES.entrySet()) {
            routes.get(asset.getKey(), ctx -> StaticAssets.serve(ctx, asset.getValue()));
        }
        routes.exception(ApiError.class, api::apiError);
        routes.exception(GearshiftException.class, api::gearshiftError);
        routes.exception(Exception.class, (e, ctx) -> {
            log.info("internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
            api.gearshiftError(new GearshiftException(ErrorCode.INTERNAL, "unexpected failure: " + e, e), ctx);
        });
        // Neither echoes the path: it comes before any token is checked, and an answer that repeats (or masks)
        // what an anonymous caller sent is an oracle. A 404 an endpoint answered itself (no run 'x') is kept.
        routes.error(404, "*", ctx -> {
            if (ctx.attribute(Api.ANSWERED) == null) {
                api.respond(ctx, 404, Json.error("not-found", "no such endpoint (see /openapi.yaml)"));
            }
        });
        routes.error(405, "*", ctx -> api.respond(ctx, 405, Json.error("method-not-allowed", ctx.method()
                + " is not allowed on this path (see /openapi.yaml)")));
    }

    /** The port it listens on (the chosen one, when the configuration said 0). */
    public int port() {
        return app.port();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Blocks until {@link #close()} has finished (from a shutdown hook, say). */
    public void awaitShutdown() throws InterruptedException {
        synchronized (stopped) {
            while (!closed) {
                stopped.wait();
            }
        }
    }

    /** The SHA-256 to write in the configuration for a token. */
    public static String hashToken(String token) {
        return TokenStore.hash(token);
    }

    /**
     * Graceful: refuses new work (503), tells fleet runs to start no more tenants, waits up to
     * {@code shutdown_grace} for running migrations and runs, then stops listening.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;  // another thread (a shutdown hook, say) is closing it
        }
        drain.close();
        log.info("shutting down: new work is refused; waiting for " + drain.running() + " running migration(s)"
                + " and run(s), up to " + grace.toSeconds() + " s");
        runs.cancelAll();
        try {
            if (!drain.awaitIdle(grace)) {
                log.info("shutdown grace of " + grace.toSeconds() + " s is over; stopping with " + drain.running()
                        + " still running (their transactions roll back when the connections close)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        runs.close();
        pools.close();
        log.info("stopped");
        synchronized (stopped) {
            closed = true;
            stopped.notifyAll();
        }
    }
}
