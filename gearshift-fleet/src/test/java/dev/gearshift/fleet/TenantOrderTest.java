package dev.gearshift.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tenants are listed by name with their numbers counted, by whichever front end lists them. */
class TenantOrderTest {

    private static Tenant tenant(String name) {
        return new Tenant(name, "postgres://db/app", name, Map.of());
    }

    private static List<String> sorted(String... names) {
        return Stream.of(names).map(TenantOrderTest::tenant).sorted(Tenant.byName()).map(Tenant::name).toList();
    }

    @Test
    void numbersInNamesCountAsNumbers() {
        assertThat(sorted("t_10", "t_2", "t_1", "t_100", "t_9")).containsExactly("t_1", "t_2", "t_9", "t_10", "t_100");
        assertThat(sorted("eu_10_b", "eu_2_b", "eu_2_a", "us_1")).containsExactly("eu_2_a", "eu_2_b", "eu_10_b",
                "us_1");
        assertThat(sorted("t_1a", "t_1", "t")).containsExactly("t", "t_1", "t_1a");
        assertThat(sorted("t_18446744073709551617", "t_18446744073709551616"))
                .containsExactly("t_18446744073709551616", "t_18446744073709551617");
        assertThat(sorted("t_01", "t_1", "t_001")).as("equal as numbers: distinct all the same")
                .hasSize(3).doesNotHaveDuplicates();
        assertThat(Tenant.byName().compare(tenant("t_01"), tenant("t_1"))).isNotZero();
    }

    @Test
    void aSelectionListsItsTenantsInThatOrderWhateverTheRegistrysOrder() {
        List<Tenant> registry = List.of(tenant("t_10"), tenant("t_2"), tenant("t_1"));

        assertThat(TenantSelection.all().apply(registry)).extracting(Tenant::name).containsExactly("t_1", "t_2", "t_10");
    }
}
