package dev.gearshift.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies: at most {@code limit} bytes (413 beyond, checked while reading, so a chunked body without
 * a length is cut off too), strict JSON (400 for malformed JSON, unknown or repeated fields, wrong types).
 */
final class RequestBodies {

    private final ObjectMapper strict = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final long limit;

    RequestBodies(long limit) {
        this.limit = limit;
    }

    <T> T read(Context ctx, Class<T> type) {
        byte[] body = bytes(ctx);
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw ApiError.badRequest("empty-body", "the request needs a JSON object body");
        }
        try {
            T value = strict.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequest("malformed-json", "the body must be a JSON object, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiError.badRequest("unknown-field", "unknown field '" + e.getPropertyName() + "'; known fields: "
                    + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "the body" : "field '" + e.getPath().get(0).getFieldName() + "'";
            throw ApiError.badRequest("invalid-field", field + " has the wrong type: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            throw ApiError.badRequest("malformed-json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed-json", "cannot read the body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("malformed-json", "cannot read the body: " + e.getMessage());
        }
    }

    private byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE));
            if (body.length > limit) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest("malformed-body", "cannot read the body: " + e.getMessage());
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "body-too-large", "the body is larger than " + limit + " bytes (max_body_bytes)");
    }
}
