package dev.gearshift.server;

import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints: each checks the token and role, reads and checks its input, calls one service object and writes
 * its document. See openapi.yaml for the contract.
 */
final class Api {

    static final String CALLER = "gearshift.caller";
    /** Set once an endpoint has written its answer, so the catch-all error pages leave it alone. */
    static final String ANSWERED = "gearshift.answered";

    /** A connection frees up when any request ends: soon, unless the service is overloaded. */
    private static final long POOL_RETRY_SECONDS = 2;
    private static final long STREAM_RETRY_SECONDS = 15;

    private final TokenStore tokens;
    private final RequestBodies bodies;
    private final MigrateService migrate;
    private final Runs runs;
    private final FleetView fleets;
    private final Metrics metrics;
    private final Drain drain;
    private final int streamsPerToken;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> streams =
            new java.util.concurrent.ConcurrentHashMap<>();

    Api(TokenStore tokens, RequestBodies bodies, MigrateService migrate, Runs runs, FleetView fleets, Metrics metrics,
        Drain drain, int streamsPerToken) {
        this.streamsPerToken = streamsPerToken;
        this.tokens = tokens;
        this.bodies = bodies;
        this.migrate = migrate;
        this.runs = runs;
        this.fleets = fleets;
        this.metrics = metrics;
        this.drain = drain;
    }

    void health(Context ctx) {
        if (drain.closing()) {
            respond(ctx, 503, Map.of("status", "shutting down"));
        } else {
            respond(ctx, 200, Map.of("status", "ok"));
        }
    }

    void migrate(Context ctx) throws InterruptedException {
        TokenStore.Caller caller = caller(ctx);
        MigrateService.Checked checked = migrate.check(bodies.read(ctx, MigrateRequest.class));
        TokenStore.require(caller, checked.command().role(),
                checked.command().id() + (checked.request().isDryRun() ? " (dry run)" : ""));
        respond(ctx, 200, migrate.run(checked));
    }

    /**
     * Work that may change a database is admitted before its body is even read: once a shutdown has begun it is
     * refused, and a shutdown waits for every request admitted before.
     */
    io.javalin.http.Handler admitted(io.javalin.http.Handler handler) {
        return ctx -> {
            Drain.Admission admission = drain.enter();
            try {
                handler.handle(ctx);
            } finally {
                admission.done();
            }
        };
    }

    void startRun(Context ctx) {
        TokenStore.Caller caller = caller(ctx);
        RunRequest request = bodies.read(ctx, RunRequest.class);
        TokenStore.require(caller, request.role(), "a fleet " + request.command()
                + (request.isDryRun() ? " (dry run)" : "") + " run");
        Run run = runs.start(request, caller);
        ctx.header("Location", "/runs/" + run.id());
        respond(ctx, 202, run.summary());
    }

    void listRuns(Context ctx) {
        caller(ctx);
        respond(ctx, 200, Map.of("runs", runs.list().stream().map(Run::summary).toList()));
    }

    void getRun(Context ctx) {
        caller(ctx);
        respond(ctx, 200, runs.get(ctx.pathParam("id")).document());
    }

    /** Each open stream holds a request thread: one token may not take them all (and starve /healthz). */
    void runEvents(Context ctx) throws Exception {
        TokenStore.Caller caller = caller(ctx);
        Run run = runs.get(ctx.pathParam("id"));
        java.util.concurrent.atomic.AtomicInteger open = streams.computeIfAbsent(caller.name(),
                k -> new java.util.concurrent.atomic.AtomicInteger());
        if (open.incrementAndGet() > streamsPerToken) {
            open.decrementAndGet();
            throw new ApiError(429, "busy", "token '" + caller.name() + "' has " + streamsPerToken + " event streams"
                    + " open already (limits.event_streams_per_token); close one first").retryAfter(STREAM_RETRY_SECONDS);
        }
        try {
            EventStream.stream(ctx, run);
        } finally {
            open.decrementAndGet();
        }
    }

    void cancelRun(Context ctx) {
        TokenStore.require(caller(ctx), Role.WRITE, "cancelling a run");
        Run run = runs.get(ctx.pathParam("id"));
        run.cancel();
        respond(ctx, 202, run.summary());
    }

    void listFleets(Context ctx) {
        caller(ctx);
        respond(ctx, 200, fleets.fleets());
    }

    void fleetStatus(Context ctx) {
        caller(ctx);
        respond(ctx, 200, fleets.status(ctx.pathParam("fleet"), filters(ctx.queryParams("filter"))));
    }

    void tenantHistory(Context ctx) {
        caller(ctx);
        respond(ctx, 200, fleets.history(ctx.pathParam("fleet"), ctx.pathParam("tenant")));
    }

    void metrics(Context ctx) {
        caller(ctx);
        ctx.status(200).contentType(metrics.contentType()).result(metrics.scrape());
    }

    void apiError(ApiError e, Context ctx) {
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"gearshift\"");
        }
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        respond(ctx, e.status(), Errors.document(e));
    }

    void gearshiftError(GearshiftException e, Context ctx) {
        Optional<Pools.Exhausted> exhausted = Errors.poolExhausted(e);
        if (exhausted.isPresent()) {
            apiError(new ApiError(503, "busy", exhausted.get().getMessage() + "; retry later")
                    .retryAfter(POOL_RETRY_SECONDS), ctx);
            return;
        }
        respond(ctx, Errors.status(e.code()), Errors.document(e));
    }

    /** Who calls: remembered for the access log. */
    private TokenStore.Caller caller(Context ctx) {
        TokenStore.Caller caller = tokens.authenticate(ctx.header("Authorization"));
        ctx.attribute(CALLER, caller.name());
        return caller;
    }

    private static Map<String, String> filters(List<String> params) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String param : params) {
            int equals = param.indexOf('=');
            if (equals <= 0) {
                throw ApiError.badRequest("invalid-field", "filter must be key=value, not '" + param + "'");
            }
            filters.put(param.substring(0, equals), param.substring(equals + 1));
        }
        return filters;
    }

    /** Every JSON document leaves through here, the passwords of any URLs in it masked once more. */
    void respond(Context ctx, int status, Object document) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).contentType("application/json").result(Secrets.mask(Json.write(document)));
    }
}
