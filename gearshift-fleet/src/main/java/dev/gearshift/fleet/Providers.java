package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import dev.gearshift.spi.RunStore;
import dev.gearshift.spi.TenantRegistry;
import java.util.ServiceLoader;
import java.util.function.BiPredicate;

/**
 * Finds the run store and tenant registry for a URL among those on the class path: the fleet names no store
 * module; the CLI and the service bring them.
 */
final class Providers {

    private Providers() {
    }

    static RunStore runStore(String url, String user, String password) {
        return find(RunStore.Provider.class, RunStore.Provider::accepts, url, "keeps fleet runs in")
                .open(url, user, password);
    }

    static TenantRegistry tenantRegistry(String url, String user, String password) {
        return find(TenantRegistry.Provider.class, TenantRegistry.Provider::accepts, url, "lists tenants of")
                .open(url, user, password);
    }

    private static <P> P find(Class<P> type, BiPredicate<P, String> accepts, String url, String what) {
        for (P provider : ServiceLoader.load(type, Providers.class.getClassLoader())) {
            if (accepts.test(provider, url)) {
                return provider;
            }
        }
        throw new GearshiftException(ErrorCode.USAGE, "no store on the class path " + what + " '" + Secrets.mask(url)
                + "'; use jdbc:postgresql://host/db or postgres://user@host:port/db");
    }
}
