package dev.gearshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Versions as ordered keys: parsed, printed and compared as Flyway's dotted versions, integers as before. */
class VersionTest {

    @Provide
    Arbitrary<List<Long>> segments() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).edgeCases(e -> e.add(0L, 1L, 10L))
                .list().ofMinSize(1).ofMaxSize(5);
    }

    private static String text(List<Long> segments) {
        return segments.stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    @Property
    void printsWhatItParsesBack(@ForAll("segments") List<Long> segments) {
        Version version = Version.parse(text(segments));
        assertThat(Version.parse(version.toString())).isEqualTo(version);
        assertThat(version.compareTo(new Version(segments))).isZero();
    }

    @Property
    void ordersSegmentBySegmentNumerically(@ForAll("segments") List<Long> a, @ForAll("segments") List<Long> b) {
        int expected = 0;
        for (int i = 0; i < Math.max(a.size(), b.size()) && expected == 0; i++) {
            expected = Long.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
        }
        int actual = Version.parse(text(a)).compareTo(Version.parse(text(b)));
        assertThat(Integer.signum(actual)).isEqualTo(Integer.signum(expected));
        // Consistent with equals, so that a sorted map of versions and a hash map agree.
        assertThat(actual == 0).isEqualTo(Version.parse(text(a)).equals(Version.parse(text(b))));
    }

    @Property
    void integersKeepTheirOrderAndValue(@ForAll @LongRange(min = 0) long a, @ForAll @LongRange(min = 0) long b) {
        assertThat(Integer.signum(Version.of(a).compareTo(Version.of(b)))).isEqualTo(Integer.signum(Long.compare(a, b)));
        assertThat(Version.of(a).isInteger()).isTrue();
        assertThat(Version.of(a).longValue()).isEqualTo(a);
        assertThat(Version.of(a).toString()).isEqualTo(Long.toString(a));
        assertThat(Version.parse(Long.toString(a))).isEqualTo(Version.of(a));
    }

    @Test
    void readsTheVersionsOfOtherTools() {
        assertThat(Version.parse("20240101120000")).isEqualTo(Version.of(20240101120000L));
        assertThat(Version.parse("0001")).isEqualTo(Version.of(1));
        assertThat(Version.parse("0.28").toString()).isEqualTo("0.28");
        assertThat(Version.parse("01.002.3").toString()).isEqualTo("1.2.3");
        assertThat(Version.parse("1.9")).isLessThan(Version.parse("1.10"));
        assertThat(Version.parse("1.2")).isLessThan(Version.parse("1.2.1"));
        assertThat(Version.parse("1.2.3")).isLessThan(Version.of(2));
        assertThat(Version.parse("0.28")).isLessThan(Version.parse("1.0"));
    }

    @Test
    void trailingZeroSegmentsAreTheSameVersion() {
        assertThat(Version.parse("1.2.0")).isEqualTo(Version.parse("1.2")).hasToString("1.2");
        assertThat(Version.parse("2.0")).isEqualTo(Version.of(2)).hasToString("2");
        assertThat(Version.parse("2.0").isInteger()).isTrue();
        assertThat(Version.parse("0.0")).isEqualTo(Version.of(0));
    }

    @Test
    void refusesWhatIsNoVersion() {
        for (String bad : List.of("", ".", "1.", ".1", "1..2", "v1", "1.2a", "-1", "1,2", " 1", "99999999999999999999")) {
            assertThatThrownBy(() -> Version.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a version");
        }
        assertThatThrownBy(() -> Version.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.parse("1.2").longValue()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void targetsKeepTakingIntegers() {
        assertThat(Target.version(7).version()).contains(Version.of(7));
        assertThat(Target.zero().version()).contains(Version.of(0));
        assertThatThrownBy(() -> Target.version(-1)).isInstanceOf(GearshiftException.class)
                .hasMessage("version must be 0 or positive, got -1");
    }

    @Test
    void namesRepeatableMigrationsApart() {
        assertThat(Version.migrationId("core", Optional.of(Version.parse("1.2")), "plans")).isEqualTo("core/1.2_plans");
        assertThat(Version.migrationId("core", Optional.empty(), "views")).isEqualTo("core/R_views");
    }

    @Test
    void printsIntegersAsJsonNumbersAndOthersAsText() {
        assertThat(JsonShapes.version(Version.of(7))).isEqualTo(7L);
        assertThat(JsonShapes.version(Version.parse("1.2.3"))).isEqualTo("1.2.3");
    }
}
