package dev.gearshift.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a run's tenants are chosen: where they come from, and which of them. Recorded with the run, its URLs
 * masked, so that resuming or joining the run needs nothing but its id.
 */
public record RunTenants(TenantSource source, TenantSelection selection) {

    /**
     * Jackson's streaming core, not its data binder: every fleet command records or reads a choice, and binding
     * would load some 300 classes more into each start of the CLI.
     */
    private static final JsonFactory JSON = new JsonFactory();

    /** The tenants chosen now, with {@code user} and {@code password} for the source's database. */
    public List<Tenant> load(String user, String password) {
        return selection.apply(source.list(user, password));
    }

    /**
     * The tenants a run started earlier is resumed (or joined) with: those it recorded. A choice given as well
     * must be the same, as recorded (an error otherwise: the run's tenants are fixed when it starts); it is then
     * taken as given, passwords and all. A recorded URL had its password masked: a URL the caller holds that
     * masks to the same text gives it back.
     *
     * @param urls URLs the caller holds (its database, configuration and control database URLs)
     */
    public static RunTenants forRun(String runId, Optional<RunTenants> recorded, Optional<RunTenants> given,
                                    Collection<String> urls) {
        if (recorded.isEmpty()) {
            return given.orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "run " + runId + " does not record"
                    + " how its tenants were chosen (it was started by an older version): give its tenant source"));
        }
        if (given.isPresent()) {
            if (!given.get().record().equals(recorded.get().record())) {
                throw new GearshiftException(ErrorCode.USAGE, "run " + runId + " chose its tenants as "
                        + recorded.get().describe() + ", not as " + given.get().describe() + "; a run's tenants are"
                        + " fixed when it starts: give the same choice, or none to take the run's");
            }
            return given.get();
        }
        TenantSource stored = recorded.get().source();
        TenantSource source = new TenantSource(stored.kind(), stored.argument(),
                stored.registryUrl().map(url -> unmasked(url, urls)), stored.defaultUrl().map(url -> unmasked(url, urls)));
        return new RunTenants(source, recorded.get().selection());
    }

    private static String unmasked(String masked, Collection<String> urls) {
        return urls.stream().filter(url -> url != null && Secrets.mask(url).equals(masked)).findFirst().orElse(masked);
    }

    /** For people: where from and which, URLs masked. */
    String describe() {
        TenantSource s = source;
        String from = switch (s.kind()) {
            case SCHEMAS -> "the schemas like '" + s.argument() + "' of " + Secrets.mask(s.registryUrl().orElseThrow());
            case FILE -> "the tenants in " + s.argument();
            case QUERY -> "the query '" + s.argument() + "' on " + Secrets.mask(s.registryUrl().orElseThrow());
        };
        return from + (selection.filters().isEmpty() ? "" : " with attributes " + new TreeMap<>(selection.filters()))
                + (selection.names().isEmpty() ? "" : " named " + selection.names())
                + selection.hostOverride().map(host -> " on host " + host).orElse("");
    }

    /** As a run store keeps it: JSON, URLs masked, filters and names sorted, so equal choices record alike. */
    String record() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("kind", source.kind().name().toLowerCase(Locale.ROOT));
            // A file as an absolute path: the run may be resumed from another directory.
            json.writeStringField("argument", source.kind() == TenantSource.Kind.FILE
                    ? Path.of(source.argument()).toAbsolutePath().normalize().toString() : source.argument());
            json.writeStringField("registry_url", source.registryUrl().map(Secrets::mask).orElse(null));
            json.writeStringField("default_url", source.defaultUrl().map(Secrets::mask).orElse(null));
            json.writeObjectFieldStart("filters");
            for (Map.Entry<String, String> filter : new TreeMap<>(selection.filters()).entrySet()) {
                json.writeStringField(filter.getKey(), filter.getValue());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("tenants");
            for (String name : selection.names().stream().sorted().toList()) {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeStringField("host_override", selection.hostOverride().orElse(null));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    static RunTenants parse(String recorded) {
        try (JsonParser json = JSON.createParser(recorded)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, String> fields = new HashMap<>();
            Map<String, String> filters = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("filters") && value == JsonToken.START_OBJECT) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String key = json.currentName();
                        json.nextToken();
                        filters.put(key, json.getText());
                    }
                } else if (field.equals("tenants") && value == JsonToken.START_ARRAY) {
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        names.add(json.getText());
                    }
                } else if (value == JsonToken.VALUE_STRING) {
                    fields.put(field, json.getText());
                } else {
                    json.skipChildren();
                }
            }
            TenantSource source = new TenantSource(
                    TenantSource.Kind.valueOf(fields.getOrDefault("kind", "").toUpperCase(Locale.ROOT)),
                    fields.getOrDefault("argument", ""), Optional.ofNullable(fields.get("registry_url")),
                    Optional.ofNullable(fields.get("default_url")));
            return new RunTenants(source, new TenantSelection(filters, names,
                    Optional.ofNullable(fields.get("host_override"))));
        } catch (IOException | IllegalArgumentException e) {
            throw new GearshiftException(ErrorCode.INTERNAL, "the run's recorded tenant choice cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
