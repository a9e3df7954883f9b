package dev.gearshift.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Usage errors worded for people: the argument and the command it was given to, and other tools' commands. */
final class UsageErrors {

    /**
     * golang-migrate's and Flyway's commands that Gearshift has under another shape. Pointers, not aliases: each
     * means something a little different here, and a near miss should be read before it runs.
     */
    static final Map<String, String> OTHER_TOOLS = Map.of(
            "goto", "golang-migrate's 'goto V' is 'gearshift up --to V' (forwards) or 'gearshift down --to V'"
                    + " (backwards) here, with --module M when the project has several modules; 'gearshift status'"
                    + " shows where each module stands",
            "force", "golang-migrate's 'force V' has two Gearshift answers: 'gearshift repair' clears a migration"
                    + " that failed half-way (golang-migrate's dirty flag), 'gearshift baseline --version V' records"
                    + " the versions up to V as applied without running them",
            "undo", "Flyway's 'undo' is 'gearshift down' here: it reverts the last applied migration"
                    + " ('down N' the last N)",
            "drop", "golang-migrate's 'drop' has no Gearshift equivalent: 'gearshift down --all' reverts every"
                    + " applied migration through its down script",
            "clean", "Flyway's 'clean' has no Gearshift equivalent: 'gearshift down --all' reverts every applied"
                    + " migration through its down script");

    private UsageErrors() {
    }

    /**
     * picocli's message in our voice. A missing group of options names only what to add (picocli prints the
     * group's whole synopsis, optional options included). For arguments it did not match, picocli's "Unmatched
     * argument at index 3" counts the global options too, an index nobody can use, so the argument and its
     * command are named instead.
     */
    static String message(ParameterException e) {
        if (e.getArgSpec() instanceof PositionalParamSpec positional && e.getValue() != null
                && e.getMessage().startsWith("Invalid value for positional parameter")) {
            // "Invalid value for positional parameter at index 0 (N): 'foo' is not an int": the index is the
            // parameter's, which nobody counts; its label says more
            int colon = e.getMessage().indexOf("): ");
            String reason = colon < 0 ? e.getMessage() : e.getMessage().substring(colon + 3);
            return "invalid " + positional.paramLabel() + " '" + e.getValue() + "' for '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + "': " + reason;
        }
        if (e instanceof MissingParameterException missing) {
            ArgGroupSpec group = outermostGroup(missing.getMissing());
            if (group != null) {
                return "missing " + required(group);
            }
        }
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            // picocli starts some of its messages with its own "Error: "; ours say "error: " already
            String message = String.valueOf(e.getMessage());
            return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
        }
        List<String> arguments = unmatched.getUnmatched();
        CommandSpec command = e.getCommandLine().getCommandSpec();
        String first = arguments.get(0);
        String quoted = arguments.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "));
        String plural = arguments.size() > 1 ? "s " : " ";
        if (unmatched.isUnknownOption()) {
            return "unknown option" + plural + quoted + " for '" + command.qualifiedName() + "'";
        }
        if (command.parent() == null) {
            String pointer = OTHER_TOOLS.get(first);
            // the command's own arguments follow it: the command is what went wrong
            return "unknown command '" + first + "'" + (pointer != null ? ": " + pointer : "");
        }
        return "unknown argument" + plural + quoted + " for '" + command.qualifiedName() + "'";
    }

    /** True for another tool's command that {@link #message} points to: picocli's guesses would only distract. */
    static boolean isOtherToolsCommand(ParameterException e) {
        return e instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && e.getCommandLine().getCommandSpec().parent() == null && !unmatched.getUnmatched().isEmpty()
                && OTHER_TOOLS.containsKey(unmatched.getUnmatched().get(0));
    }

    /** The group the missing arguments belong to, if they all belong to one. */
    private static ArgGroupSpec outermostGroup(List<ArgSpec> missing) {
        ArgGroupSpec outermost = null;
        for (ArgSpec arg : missing) {
            ArgGroupSpec group = arg.group();
            while (group != null && group.parentGroup() != null) {
                group = group.parentGroup();
            }
            if (group == null || outermost != null && outermost != group) {
                return null;
            }
            outermost = group;
        }
        return outermost;
    }

    /** What a group needs, without its optional options: "--a X", "one of --a X, --b Y", joined by "and". */
    private static String required(ArgGroupSpec group) {
        List<String> parts = new java.util.ArrayList<>();
        for (ArgSpec arg : group.args()) {
            if (group.exclusive() || arg.required()) {
                parts.add(arg instanceof OptionSpec option ? option.longestName()
                        + (option.arity().max() > 0 ? " " + option.paramLabel() : "") : arg.paramLabel());
            }
        }
        for (ArgGroupSpec subgroup : group.subgroups()) {
            if (subgroup.multiplicity().min() > 0) {
                parts.add(required(subgroup));
            }
        }
        return group.exclusive() && parts.size() > 1 ? "one of " + String.join(", ", parts)
                : String.join(" and ", parts);
    }
}
