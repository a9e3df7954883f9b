package dev.gearshift.diff.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Orders nodes so that each comes after the nodes it must follow; among the nodes that are free to go, the
 * smallest by {@code priority} goes first, so the output reads in a stable, familiar order (types, tables,
 * constraints, views...). Nodes caught in a cycle come last, in priority order, and are reported.
 */
final class TopologicalOrder {

    private TopologicalOrder() {
    }

    record Result<T>(List<T> order, List<T> cyclic) {
    }

    /** @param after for each node, the nodes that must come before it (others are ignored) */
    static <T> Result<T> sort(Collection<T> nodes, Map<T, Set<T>> after, Comparator<T> priority) {
        Set<T> all = new HashSet<>(nodes);
        Map<T, Integer> waiting = new HashMap<>();
        Map<T, List<T>> followers = new HashMap<>();
        for (T node : all) {
            int count = 0;
            for (T before : after.getOrDefault(node, Set.of())) {
                if (all.contains(before) && !before.equals(node)) {
                    followers.computeIfAbsent(before, k -> new ArrayList<>()).add(node);
                    count++;
                }
            }
            waiting.put(node, count);
        }
        PriorityQueue<T> ready = new PriorityQueue<>(priority);
        waiting.forEach((node, count) -> {
            if (count == 0) {
                ready.add(node);
            }
        });
        List<T> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            T node = ready.poll();
            order.add(node);
            for (T follower : followers.getOrDefault(node, List.of())) {
                if (waiting.merge(follower, -1, Integer::sum) == 0) {
                    ready.add(follower);
                }
            }
        }
        List<T> cyclic = all.stream().filter(n -> waiting.get(n) > 0).sorted(priority).toList();
        order.addAll(cyclic);
        return new Result<>(order, cyclic);
    }
}
