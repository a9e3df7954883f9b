package dev.gearshift.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Sqitch's change and tag ids, computed from plan lines. The expected ids are what Sqitch 1.3.1 itself printed for
 * these plans ({@code sqitch plan --format raw}) and wrote into its registry ({@code sqitch deploy}).
 */
class SqitchRegistryTest {

    /** Every change line's id, in order, each chained to the one before. */
    private static List<String> ids(String project, Optional<String> uri, String... lines) {
        List<String> ids = new ArrayList<>();
        Optional<String> parent = Optional.empty();
        for (String line : lines) {
            String id = SqitchRegistry.changeId(project, uri, SqitchRegistry.parse(line).orElseThrow(), parent);
            ids.add(id);
            parent = Optional.of(id);
        }
        return ids;
    }

    @Test
    void computesChangeAndTagIdsAsSqitchDoes() {
        Optional<String> uri = Optional.of("https://example.com/flipr/");
        List<String> ids = ids("flipr", uri,
                "appschema 2013-12-30T23:19:45Z Marge N. O'Vera <marge@example.com> # Add the schema.",
                "users [appschema] 2013-12-30T23:49:00Z Marge N. O'Vera <marge@example.com> # Users.",
                "flips [appschema users] 2014-01-01T10:00:00Z Marge N. O'Vera <marge@example.com> # Flips.");
        assertThat(ids).containsExactly("84b426db5d7882574a1ad89fd2323d94de002843",
                "0b57aaa42601469c613e83cb9ce55c1abe7ddaa9", "c0da236c655d79672badd7234c47e758cbdc52d6");
        SqitchRegistry.Planned tag = SqitchRegistry.parse(
                "@v1.0.0-dev1 2013-12-31T00:00:00Z Marge N. O'Vera <marge@example.com> # Tag v1.0.0-dev1.").orElseThrow();
        assertThat(SqitchRegistry.tagId("flipr", uri, tag, ids.get(1)))
                .isEqualTo("10fc00e37cfa743f21d08d1423f4a3ff53f7c1de");
    }

    /** Non-ASCII names, a URI Sqitch canonicalises, escaped and "0" notes, a # in a note, a conflict, a tag dependency. */
    @Test
    void readsLinesAsSqitchDoes() {
        List<String> ids = ids("wídget", Optional.of("HTTPS://Example.COM:443"),
                "a 2020-01-02T03:04:05Z Zoë Q. Tester  <zoe@example.com>",
                "b [a] 2020-01-02T03:04:06Z Zoë <zoe@example.com> #  line one\\nline two \\\\ end  ",
                "c [a b@v1 !d] 2020-01-04T00:00:00Z Zoë <zoe@example.com> # 0",
                "d 2020-01-05T00:00:00Z Zoë <zoe@example.com> # with # hash");
        assertThat(ids).containsExactly("733acdfbfa9d2b7911d438ba6eebd7bef71596fb",
                "e5cb10f7afa8990698527b158e7eeb86be33d8b7", "bf4828461fa4f61329a76be3dd5a306321ff542a",
                "422feec4c395d4e00b29098ce5d2e1572317b9d8");
        assertThat(SqitchRegistry.parse("b [a] 2020-01-02T03:04:06Z Zoë <zoe@example.com> # x\\ny").orElseThrow().note())
                .isEqualTo("x\ny");
    }

    @Test
    void aLineWithoutTimestampOrPlannerHasNoId() {
        assertThat(SqitchRegistry.parse("users [appschema] # Users.")).isEmpty();
        assertThat(SqitchRegistry.parse("users 2013-12-30T23:49:00Z # Users.")).isEmpty();
        assertThat(SqitchRegistry.parse("@v1 Marge <m@example.com>")).isEmpty();
    }
}
