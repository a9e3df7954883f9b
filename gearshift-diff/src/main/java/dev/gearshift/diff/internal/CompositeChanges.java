package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * ALTER TYPE for composite types. Attributes are positional: dropping, retyping and adding at the end keep the
 * type; any other reordering means replacing it.
 */
final class CompositeChanges {

    private CompositeChanges() {
    }

    /** True when dropping, retyping and appending attributes yields exactly {@code to}'s order. */
    static boolean alterable(CompositeType from, CompositeType to) {
        Map<String, CompositeType.Attribute> target = byName(to);
        List<String> result = new ArrayList<>();
        for (CompositeType.Attribute attribute : from.attributes()) {
            if (target.containsKey(attribute.name())) {
                result.add(attribute.name());
            }
        }
        for (CompositeType.Attribute attribute : to.attributes()) {
            if (!result.contains(attribute.name())) {
                result.add(attribute.name());
            }
        }
        return result.equals(to.attributes().stream().map(CompositeType.Attribute::name).toList());
    }

    /** True when an attribute on both sides changes type or collation. */
    static boolean retypes(CompositeType from, CompositeType to) {
        Map<String, CompositeType.Attribute> after = byName(to);
        return from.attributes().stream().anyMatch(a -> after.containsKey(a.name())
                && (!after.get(a.name()).type().equals(a.type())
                || !Objects.equals(after.get(a.name()).collation(), a.collation())));
    }

    static List<Step> alter(CompositeType from, CompositeType to) {
        List<Step> steps = new ArrayList<>();
        String alter = "ALTER TYPE " + ident(to.name());
        Map<String, CompositeType.Attribute> before = byName(from);
        Map<String, CompositeType.Attribute> after = byName(to);
        for (CompositeType.Attribute attribute : from.attributes()) {
            CompositeType.Attribute target = after.get(attribute.name());
            if (target == null) {
                steps.add(Step.destructive(to.key(), alter + " DROP ATTRIBUTE " + ident(attribute.name()),
                        "drops attribute " + to.name() + "." + attribute.name() + " and its values"));
            } else if (!target.type().equals(attribute.type())
                    || !Objects.equals(target.collation(), attribute.collation())) {
                steps.add(Step.destructive(to.key(), alter + " ALTER ATTRIBUTE " + ident(attribute.name()) + " TYPE "
                        + typeOf(target), "changes the type of attribute " + to.name() + "." + attribute.name()));
            }
        }
        for (CompositeType.Attribute attribute : to.attributes()) {
            if (!before.containsKey(attribute.name())) {
                steps.add(Step.of(to.key(), alter + " ADD ATTRIBUTE " + ident(attribute.name()) + " "
                        + typeOf(attribute)));
            }
        }
        return steps;
    }

    private static String typeOf(CompositeType.Attribute attribute) {
        return attribute.type() + (attribute.collation() == null ? "" : " COLLATE " + attribute.collation());
    }

    private static Map<String, CompositeType.Attribute> byName(CompositeType type) {
        return type.attributes().stream().collect(Collectors.toMap(CompositeType.Attribute::name,
                Function.identity()));
    }
}
