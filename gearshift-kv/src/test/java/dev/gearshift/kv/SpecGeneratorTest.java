package dev.gearshift.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearshift.GearshiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecGeneratorTest {

    @TempDir
    Path dir;

    private static final String ALL = """
            package com.example.kv;

            import dev.gearshift.kv.Spec;
            import java.util.List;

            public final class All {
                public static final List<Spec> SPECS = List.of(
                        new M0001AddBucketFoo(),
                        // applied in production since 1.2
                        new M0002AddBucketBar()
                );
            }
            """;

    @Test
    void writesTheNextNumberedSpecAndRegistersItAtTheEndOfTheList() throws Exception {
        Path all = Files.writeString(dir.resolve("All.java"), ALL);

        SpecGenerator.Generated generated = SpecGenerator.create(all, "add index foo");

        assertThat(generated.className()).isEqualTo("M0003AddIndexFoo");
        assertThat(Files.readString(generated.spec())).contains("package com.example.kv;",
                "public final class M0003AddIndexFoo implements Spec", "return \"add index foo\";");
        assertThat(Files.readString(all)).contains("            new M0001AddBucketFoo(),\n"
                + "            // applied in production since 1.2\n"
                + "            new M0002AddBucketBar(),\n"
                + "            new M0003AddIndexFoo()\n"
                + "    );");
        assertThat(SpecGenerator.create(all, "add index baz").className()).isEqualTo("M0004AddIndexBaz");
    }

    @Test
    void refusesAListFileItCannotSafelyEditAndWritesNothing() throws Exception {
        Path all = Files.writeString(dir.resolve("All.java"),
                ALL.replace("new M0002AddBucketBar()", "Specs.createBuckets(\"add bucket bar\", \"bar\")"));
        String before = Files.readString(all);

        GearshiftException e = catchThrowableOfType(GearshiftException.class,
                () -> SpecGenerator.create(all, "add index foo"));

        assertThat(e.getMessage()).contains("cannot safely edit", all + ":10", "new M0001Name(),");
        assertThat(Files.readString(all)).isEqualTo(before);
        assertThat(dir.resolve("M0003AddIndexFoo.java")).doesNotExist();
    }
}
