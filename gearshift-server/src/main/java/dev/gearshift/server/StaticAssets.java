package dev.gearshift.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard and the OpenAPI description: files on the classpath, served as they are (no build step). They
 * hold no data, so they need no token; the data they show comes from the API, with the token the user gives.
 */
final class StaticAssets {

    private static final String ROOT = "/dev/gearshift/server/public/";
    static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/dashboard.js", "dashboard.js",
            "/dashboard.css", "dashboard.css",
            "/openapi.yaml", "openapi.yaml");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "yaml", "application/yaml; charset=utf-8");

    private StaticAssets() {
    }

    static void serve(Context ctx, String file) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw ApiError.notFound("missing asset " + file);
            }
            ctx.contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)))
                    .header("Cache-Control", "no-cache")
                    // the dashboard runs only its own script and talks only to this service
                    .header("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'")
                    .result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
