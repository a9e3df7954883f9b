package dev.gearshift.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /runs/{id}/events}: a run's progress as server-sent events. Every event the run has had is sent first
 * (after {@code Last-Event-ID}, when a client reconnects), then new ones as they come, until the run's {@code end}
 * event. A comment line every 15 s keeps proxies from closing a quiet stream. A client that reconnects to a run that
 * has ended, having seen its end (what a browser's {@code EventSource} does when the stream closes), gets 204: the
 * answer that makes {@code EventSource} stop reconnecting, where an open stream would only send keep-alives forever.
 */
final class EventStream {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private EventStream() {
    }

    static void stream(Context ctx, Run run) throws IOException, InterruptedException {
        long lastSeen = lastEventId(ctx.header("Last-Event-ID"));
        if (run.endedBefore(lastSeen)) {
            ctx.status(204);
            return;
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");  // nginx would otherwise hold events back
        OutputStream out = ctx.res().getOutputStream();
        out.write(("retry: 2000\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            Optional<Run.Event> event = run.next(lastSeen, KEEP_ALIVE);
            if (event.isEmpty()) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            } else {
                Run.Event e = event.get();
                lastSeen = e.id();
                String data = dev.gearshift.Secrets.mask(Json.write(e.data()));
                String text = "id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + data + "\n\n";
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();  // a client that went away makes this throw, which ends the stream
            if (event.filter(Run.Event::isEnd).isPresent() || run.endedBefore(lastSeen)) {
                return;
            }
        }
    }

    private static long lastEventId(String header) {
        try {
            return header == null ? 0 : Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
