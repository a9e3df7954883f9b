package dev.gearshift.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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

    private static final ObjectMapper JSON = new ObjectMapper();

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
        ObjectNode json = JSON.createObjectNode();
        json.put("kind", source.kind().name().toLowerCase(Locale.ROOT));
        // A file as an absolute path: the run may be resumed from another directory.
        json.put("argument", source.kind() == TenantSource.Kind.FILE
                ? Path.of(source.argument()).toAbsolutePath().normalize().toString() : source.argument());
        json.put("registry_url", source.registryUrl().map(Secrets::mask).orElse(null));
        json.put("default_url", source.defaultUrl().map(Secrets::mask).orElse(null));
        ObjectNode filters = json.putObject("filters");
        new TreeMap<>(selection.filters()).forEach(filters::put);
        selection.names().stream().sorted().forEach(json.putArray("tenants")::add);
        json.put("host_override", selection.hostOverride().orElse(null));
        return json.toString();
    }

    static RunTenants parse(String recorded) {
        try {
            JsonNode json = JSON.readTree(recorded);
            TenantSource source = new TenantSource(
                    TenantSource.Kind.valueOf(json.path("kind").asText().toUpperCase(Locale.ROOT)),
                    json.path("argument").asText(), text(json, "registry_url"), text(json, "default_url"));
            Map<String, String> filters = new LinkedHashMap<>();
            json.path("filters").fields().forEachRemaining(f -> filters.put(f.getKey(), f.getValue().asText()));
            List<String> names = new ArrayList<>();
            json.path("tenants").forEach(name -> names.add(name.asText()));
            return new RunTenants(source, new TenantSelection(filters, names, text(json, "host_override")));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new GearshiftException(ErrorCode.INTERNAL, "the run's recorded tenant choice cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
