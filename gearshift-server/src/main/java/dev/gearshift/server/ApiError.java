package dev.gearshift.server;

/**
 * A request the service refuses, with the HTTP status and the stable {@code code} of the error document
 * {@code {"error": {"code", "message"}}}.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiError(int status, String code, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The same refusal, telling the client when to come back ({@code Retry-After}). */
    ApiError retryAfter(long seconds) {
        return new ApiError(status, code, getMessage(), seconds);
    }

    /** Seconds for {@code Retry-After}; 0 when the request should not simply be retried. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not-found", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
