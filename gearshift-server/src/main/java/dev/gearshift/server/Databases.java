package dev.gearshift.server;

import dev.gearshift.Secrets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The databases requests may name, by configured name or by the exact configured URL. Anything else is refused
 * before a connection is even thought of: the service is not a proxy to whatever a caller types.
 */
final class Databases {

    /** One configured database. */
    record Database(String name, String url, Credentials credentials, List<Pattern> schemas) {

        /** How the database may be shown: name and masked URL. */
        String display() {
            return name + " (" + Secrets.mask(url) + ")";
        }

        boolean allowsSchema(String schema) {
            return schemas.isEmpty() || schemas.stream().anyMatch(p -> p.matcher(schema).matches());
        }
    }

    private final Map<String, Database> byName = new LinkedHashMap<>();

    Databases(Map<String, ServerConfig.DatabaseConfig> configured, Function<String, String> env) {
        configured.forEach((name, db) -> {
            Credentials credentials = Credentials.load(db.user(), db.passwordEnv(), db.passwordFile(), env,
                    "databases." + name);
            List<Pattern> schemas = db.schemas() == null ? List.of()
                    : db.schemas().stream().map(Databases::glob).toList();
            byName.put(name, new Database(name, db.url(), credentials, schemas));
        });
    }

    /** The configured database a request names; 403 when it names anything else. */
    Database resolve(String nameOrUrl) {
        if (nameOrUrl == null || nameOrUrl.isBlank()) {
            throw ApiError.badRequest("missing-field", "database is required: a configured database name or URL");
        }
        Database named = byName.get(nameOrUrl);
        if (named != null) {
            return named;
        }
        return byName.values().stream().filter(db -> db.url().equals(nameOrUrl)).findFirst()
                .orElseThrow(() -> new ApiError(403, "database-not-configured", "database '" + Secrets.mask(nameOrUrl)
                        + "' is not configured in this service; configured: " + byName.keySet()));
    }

    Optional<Database> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Database first() {
        return byName.values().iterator().next();
    }

    /** {@code tenant_*} style: {@code *} is any run of characters, everything else literal. */
    private static Pattern glob(String glob) {
        return Pattern.compile(java.util.Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")));
    }
}
