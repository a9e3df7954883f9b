package dev.gearshift.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The configured bearer tokens, kept only as SHA-256 hashes. A presented token is hashed and compared in constant
 * time with every configured hash, so neither the file nor timing gives a token away.
 */
final class TokenStore {

    /** Who called: the token's configured name and role. */
    record Caller(String name, Role role) {
    }

    private record Entry(String name, byte[] hash, Role role) {
    }

    private final List<Entry> entries;

    TokenStore(List<ServerConfig.TokenConfig> tokens) {
        this.entries = tokens.stream()
                .map(t -> new Entry(t.name(), HexFormat.of().parseHex(t.sha256().toLowerCase(Locale.ROOT)),
                        Role.parse(t.role(), "tokens." + t.name() + ".role")))
                .toList();
    }

    /** The caller behind an {@code Authorization} header; 401 when it is missing or matches no token. */
    Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError(401, "unauthorized", "missing bearer token: send Authorization: Bearer <token>");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "unauthorized", "the Authorization header must be: Bearer <token>");
        }
        byte[] presented = sha256(authorization.substring(7).strip());
        Caller found = null;
        for (Entry entry : entries) {
            // no early exit: every hash is compared, whichever matches
            if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
                found = new Caller(entry.name(), entry.role());
            }
        }
        if (found == null) {
            throw new ApiError(401, "unauthorized", "unknown bearer token");
        }
        return found;
    }

    /** 403 unless the caller's role allows {@code needed}. */
    static void require(Caller caller, Role needed, String what) {
        if (!caller.role().allows(needed)) {
            throw new ApiError(403, "forbidden", "token '" + caller.name() + "' has the " + caller.role().id()
                    + " role; " + what + " needs the " + needed.id() + " role");
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** What goes into the configuration file for a token. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }
}
