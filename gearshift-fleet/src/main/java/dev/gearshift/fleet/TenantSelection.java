package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tenants of a registry a run covers: every filter must hold ({@code --filter auth_version=live}), and
 * when names are given only those; {@code hostOverride} replaces the host (and port) of every tenant's URL,
 * keeping user, database and parameters (the Skygear seed's HOSTNAME_OVERRIDE). The tenants come out in
 * {@link Tenant#byName()} order, whatever order the registry listed them in.
 */
public record TenantSelection(Map<String, String> filters, List<String> names, Optional<String> hostOverride) {

    private static final Pattern HOST = Pattern.compile("^([a-z:]*//(?:[^/@?#]*@)?)([^/?#]*)(.*)$");

    public TenantSelection {
        filters = Map.copyOf(filters);
        names = List.copyOf(names);
    }

    public static TenantSelection all() {
        return new TenantSelection(Map.of(), List.of(), Optional.empty());
    }

    public List<Tenant> apply(List<Tenant> tenants) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (Tenant tenant : tenants) {
            if (!seen.add(tenant.name())) {
                duplicates.add(tenant.name());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "tenant names must be unique; repeated: " + duplicates);
        }
        for (String key : filters.keySet()) {
            if (!tenants.isEmpty() && tenants.stream().noneMatch(t -> t.attributes().containsKey(key))) {
                Set<String> known = new java.util.TreeSet<>();
                tenants.forEach(t -> known.addAll(t.attributes().keySet()));
                throw new GearshiftException(ErrorCode.USAGE, "unknown filter key '" + key
                        + "': no tenant has that attribute; attributes: " + known);
            }
        }
        List<String> unknown = names.stream().filter(n -> !seen.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "unknown tenants " + unknown);
        }
        List<Tenant> selected = new ArrayList<>();
        for (Tenant tenant : tenants) {
            boolean matches = filters.entrySet().stream()
                    .allMatch(f -> f.getValue().equals(tenant.attributes().get(f.getKey())));
            if (matches && (names.isEmpty() || names.contains(tenant.name()))) {
                selected.add(hostOverride.map(host -> withHost(tenant, host)).orElse(tenant));
            }
        }
        selected.sort(Tenant.byName());
        return selected;
    }

    static Tenant withHost(Tenant tenant, String host) {
        Matcher matcher = HOST.matcher(tenant.url());
        if (!matcher.matches()) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot override the host of tenant " + tenant.name()
                    + ": its URL has no //host part");
        }
        return new Tenant(tenant.name(), matcher.group(1) + host + matcher.group(3), tenant.schema(),
                new LinkedHashMap<>(tenant.attributes()));
    }
}
