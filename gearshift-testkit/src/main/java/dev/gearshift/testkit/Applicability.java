package dev.gearshift.testkit;

import dev.gearshift.spi.Capability;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables a kit test whose {@link Requires} names a capability the store's fixture does not declare, with the
 * reason "not applicable: store lacks X" (JUnit reports it among the skipped tests, reason included), and prints
 * one line per class naming every test that was not applicable.
 */
final class Applicability implements ExecutionCondition, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Applicability.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<StoreContract> contract = context.getTestInstance()
                .filter(StoreContract.class::isInstance).map(StoreContract.class::cast);
        if (contract.isEmpty() || context.getTestMethod().isEmpty()) {
            // A class is judged test by test, once its fixture (made with the test instance) can say what it has.
            return ConditionEvaluationResult.enabled("judged per test");
        }
        Set<Capability> needed = EnumSet.noneOf(Capability.class);
        context.getTestMethod().map(m -> m.getAnnotation(Requires.class))
                .ifPresent(r -> needed.addAll(Arrays.asList(r.value())));
        context.getTestClass().map(c -> c.getAnnotation(Requires.class))
                .ifPresent(r -> needed.addAll(Arrays.asList(r.value())));
        needed.removeAll(contract.get().fixture().capabilities());
        if (needed.isEmpty()) {
            return ConditionEvaluationResult.enabled("the store has what the test needs");
        }
        String lacking = String.join(", ", needed.stream().map(Enum::name).toList());
        notApplicable(context).add(context.getRequiredTestMethod().getName() + " (lacks " + lacking + ")");
        return ConditionEvaluationResult.disabled("not applicable: store lacks " + lacking);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Set<String> tests = notApplicable(context);
        String store = context.getRequiredTestClass().getSimpleName();
        System.out.println(tests.isEmpty() ? store + ": every behaviour applies"
                : store + ": " + tests.size() + " not applicable: " + String.join("; ", tests));
    }

    /** The tests of the class found not applicable so far, kept in the class's own store. */
    @SuppressWarnings("unchecked")
    private static Set<String> notApplicable(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("notApplicable",
                key -> new CopyOnWriteArraySet<String>(), Set.class);
    }
}
