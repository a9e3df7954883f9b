package dev.gearshift.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Remedy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where tenants come from: every schema of a database matching a pattern, a YAML or CSV file, or a query
 * against a configuration database. Records name a tenant ({@code tenant}, {@code name} or {@code app}), its
 * {@code schema}, and optionally its database ({@code url}, {@code database_url}, or a {@code database} name
 * on the default server); every other column or key becomes an attribute to filter on.
 */
public final class Tenants {

    private static final List<String> NAME_KEYS = List.of("tenant", "name", "app");
    private static final List<String> URL_KEYS = List.of("url", "database_url");
    private static final List<String> RESERVED = List.of("tenant", "name", "app", "schema", "url", "database_url",
            "database");

    private Tenants() {
    }

    /**
     * Every schema of the database at {@code url} whose name is LIKE {@code pattern} ({@code tenant_%}), in
     * {@link Tenant#byName()} order.
     */
    public static List<Tenant> schemasLike(String url, String user, String password, String pattern) {
        List<Tenant> tenants = new ArrayList<>();
        for (String schema : Providers.tenantRegistry(url, user, password).schemasLike(pattern)) {
            tenants.add(new Tenant(schema, url, schema, Map.of()));
        }
        tenants.sort(Tenant.byName()); // the registry's order may be its collation's, which puts t_10 before t_2
        return tenants;
    }

    /** A query against a configuration database, e.g. the Skygear seed's {@code app} table. */
    public static List<Tenant> fromQuery(String configUrl, String user, String password, String query, String defaultUrl) {
        return toTenants(Providers.tenantRegistry(configUrl, user, password).query(query), defaultUrl,
                "the tenants query");
    }

    /** A YAML file (a list, or {@code tenants:} holding one) or a CSV file with a header row. */
    public static List<Tenant> fromFile(Path file, String defaultUrl) {
        try {
            if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                return toTenants(readCsv(file), defaultUrl, file.toString());
            }
            Object parsed = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
            if (parsed instanceof Map<?, ?> map && map.get("tenants") != null) {
                parsed = map.get("tenants");
            }
            if (!(parsed instanceof List<?> list)) {
                throw new GearshiftException(ErrorCode.USAGE, file + ": expected a list of tenants (or tenants: [...])");
            }
            List<Map<String, String>> records = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> entry)) {
                    throw new GearshiftException(ErrorCode.USAGE, file + ": every tenant is a map with name and schema");
                }
                Map<String, String> record = new LinkedHashMap<>();
                entry.forEach((k, v) -> record.put(String.valueOf(k).toLowerCase(java.util.Locale.ROOT),
                        v == null ? null : String.valueOf(v)));
                records.add(record);
            }
            return toTenants(records, defaultUrl, file.toString());
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read tenants from " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, String>> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return List.of();
        }
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> records = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new GearshiftException(ErrorCode.USAGE, file + ":" + (i + 1) + ": " + cells.length
                        + " values, but the header has " + header.length);
            }
            Map<String, String> record = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                record.put(header[c].strip().toLowerCase(java.util.Locale.ROOT), cells[c].strip());
            }
            records.add(record);
        }
        return records;
    }

    private static List<Tenant> toTenants(List<Map<String, String>> records, String defaultUrl, String source) {
        List<Tenant> tenants = new ArrayList<>();
        for (Map<String, String> record : records) {
            String name = first(record, NAME_KEYS);
            String schema = record.get("schema");
            if (name == null || schema == null) {
                throw new GearshiftException(ErrorCode.USAGE, source + " must give every tenant a name (column tenant,"
                        + " name or app) and a schema; got columns " + record.keySet());
            }
            String url = first(record, URL_KEYS);
            String database = record.get("database");
            if (url == null && database != null) {
                url = database.contains("://") ? database : withDatabase(defaultUrl, database, name);
            }
            if (url == null) {
                url = defaultUrl;
            }
            if (url == null) {
                throw new GearshiftException(ErrorCode.USAGE, "tenant " + name + " has no url or database, and no"
                        + " default URL is given", Remedy.URL);
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            record.forEach((k, v) -> {
                if (!RESERVED.contains(k) && v != null) {
                    attributes.put(k, v);
                }
            });
            tenants.add(new Tenant(name, url, schema, attributes));
        }
        return tenants;
    }

    private static String first(Map<String, String> record, List<String> keys) {
        return keys.stream().map(record::get).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
    }

    /** The default URL with its database name replaced. */
    static String withDatabase(String defaultUrl, String database, String tenant) {
        if (defaultUrl == null) {
            throw new GearshiftException(ErrorCode.USAGE, "tenant " + tenant + " names database '" + database
                    + "' but no default URL gives the server it is on", Remedy.URL);
        }
        return defaultUrl.replaceFirst("^([a-z:]*//[^/?#]*/)[^?#]*", "$1" + database);
    }
}
