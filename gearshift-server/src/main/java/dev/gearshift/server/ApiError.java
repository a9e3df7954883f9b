package dev.gearshift.server;

/**
 * A request the service refuses, with the HTTP status and the stable {@code code} of the error document
 * {@code {"error": {"code", "message"}}}.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
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
