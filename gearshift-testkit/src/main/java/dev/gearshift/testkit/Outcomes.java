package dev.gearshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on what Gearshift answers: its refusals and the rows of its history. */
public final class Outcomes {

    private Outcomes() {
    }

    public static GearshiftException failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a GearshiftException").isInstanceOf(GearshiftException.class);
        return (GearshiftException) thrown;
    }

    /** Asserts the call fails with {@code code} and, when given, a problem with {@code problemCode}. */
    public static GearshiftException failure(ThrowingCallable call, ErrorCode code, String problemCode) {
        GearshiftException e = failure(call);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        if (problemCode != null) {
            assertThat(e.problems()).as(e.getMessage()).extracting(Problem::code).contains(problemCode);
        }
        return e;
    }

    /**
     * Runs {@code call}, asserts it is refused with these codes and message fragments, and that {@code state} (a
     * picture of the target: its objects and history) is as it was.
     */
    public static GearshiftException refusedUnchanged(Supplier<String> state, ThrowingCallable call, ErrorCode code,
                                                      String problemCode, String... fragments) {
        String before = state.get();

        GearshiftException e = failure(call, code, problemCode);

        if (fragments.length > 0) {
            assertThat(e.getMessage()).contains(fragments);
        }
        assertThat(state.get()).as("the target after the refusal").isEqualTo(before);
        return e;
    }

    public static List<String> codes(GearshiftException e) {
        return e.problems().stream().map(Problem::code).toList();
    }

    /** Each history row as {@code module/version action outcome}. */
    public static List<String> outcomes(List<HistoryEntry> history) {
        return history.stream().map(h -> h.module() + "/" + h.version().orElseThrow() + " " + h.action() + " " + h.outcome()).toList();
    }

    /** What a run applied, as {@code module/version}. */
    public static List<String> ids(Result result) {
        return result.applied().stream().map(a -> a.module() + "/" + a.version().orElseThrow()).toList();
    }
}
