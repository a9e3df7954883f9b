package dev.gearshift.junit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code classpath:broken}: the down of {@code app/2} drops the column its up added, but not the index. */
class BrokenDownTest {

    @RegisterExtension
    static final GearshiftExtension DATABASE = GearshiftExtension.of(b -> b.migrations("classpath:broken"), "app");

    @Test
    void upDownUpFailsNamingTheMigrationAndWhatItLeaves(GearshiftDatabase database) {
        assertThatThrownBy(database::assertUpDownUp).isInstanceOf(AssertionError.class)
                .hasMessageContaining("app/2_note_authors")
                .hasMessageContaining("notes_body_idx");
    }
}
