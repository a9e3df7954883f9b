package dev.gearshift.internal.source;

import dev.gearshift.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders modules so that every module comes after the modules it requires, keeping the given order otherwise. */
final class ModuleOrder {

    private ModuleOrder() {
    }

    static List<String> sort(Map<String, List<String>> requires, List<Problem> problems) {
        Set<String> done = new LinkedHashSet<>();
        Set<String> reported = new HashSet<>();
        for (String module : requires.keySet()) {
            visit(module, requires, done, new ArrayList<>(), reported, problems);
        }
        return new ArrayList<>(done);
    }

    private static void visit(String module, Map<String, List<String>> requires, Set<String> done,
                              List<String> path, Set<String> reported, List<Problem> problems) {
        if (done.contains(module)) {
            return;
        }
        int seen = path.indexOf(module);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(module);
            if (reported.add(String.join(",", new java.util.TreeSet<>(cycle)))) {
                problems.add(new Problem(Problem.DEPENDENCY_CYCLE, "gearshift.yaml",
                        "modules require each other in a cycle: " + String.join(" -> ", cycle)
                                + "; remove one of these 'requires'"));
            }
            return;
        }
        path.add(module);
        for (String required : requires.getOrDefault(module, List.of())) {
            if (!requires.containsKey(required)) {
                if (reported.add("unknown:" + module + ":" + required)) {
                    problems.add(new Problem(Problem.UNKNOWN_MODULE, "gearshift.yaml",
                            "module '" + module + "' requires '" + required + "', which has no folder and is not declared"));
                }
                continue;
            }
            visit(required, requires, done, path, reported, problems);
        }
        path.remove(path.size() - 1);
        done.add(module);
    }
}
