package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.fleet.TenantOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pace of progress lines outside a terminal, on a clock the test moves: no test waits for time to pass. */
class FleetProgressTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();
    private final TenantOutcome outcome = new TenantOutcome("t", "t", TenantOutcome.State.DONE, 1, "", null,
            Duration.ZERO);

    private FleetCommands.Progress progress(boolean terminal) {
        return new FleetCommands.Progress(new PrintStream(err, true, StandardCharsets.UTF_8), false, 100, false,
                terminal, Duration.ofSeconds(10), now::get);
    }

    private String printed() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void at(long seconds) {
        now.set(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void aLineEveryTenthOfTheTenantsOrEveryIntervalWhicheverComesFirst() {
        FleetCommands.Progress progress = progress(false);
        for (int done = 1; done <= 9; done++) {
            at(done);
            progress.finished(outcome, done, 0, 100);
        }
        assertThat(printed()).isEmpty();
        at(9);
        progress.finished(outcome, 10, 0, 100);
        assertThat(printed()).isEqualTo("Progress: 10/100 finished, 0 failed, 90 remaining, ETA 81s, 9s elapsed\n");

        err.reset();
        at(18);
        progress.tick();
        progress.finished(outcome, 11, 1, 100);
        assertThat(printed()).as("fewer than 10 tenants and 10 s since the last line").isEmpty();
        at(19);
        progress.tick();
        assertThat(printed()).isEqualTo("Progress: 11/100 finished, 1 failed, 89 remaining, ETA 154s, 19s elapsed\n");
        progress.tick();
        at(28);
        progress.tick();
        assertThat(printed()).as("one line per interval").hasLineCount(1);
        at(29);
        progress.finished(outcome, 12, 1, 100);
        assertThat(printed()).hasLineCount(2).endsWith("Progress: 12/100 finished, 1 failed, 88 remaining, ETA 213s,"
                + " 29s elapsed\n");
    }

    @Test
    void onATerminalTheBarAloneShowsProgress() {
        FleetCommands.Progress progress = progress(true);
        at(30);
        progress.finished(outcome, 50, 0, 100);
        progress.tick();
        assertThat(printed()).startsWith("\r[###############...............] 50/100 finished").doesNotContain("Progress:")
                .doesNotContain("\n");
    }
}
