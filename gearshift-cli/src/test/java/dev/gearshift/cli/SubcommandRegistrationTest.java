package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Only the subcommand a command line names is built, unless help or an error needs them all. */
class SubcommandRegistrationTest {

    private static final CommandSpec MAIN = new CommandLine(new Main(System.out, System.err)).getCommandSpec();

    @Test
    void theNamesAreTheCommandsOwn() {
        Main.SUBCOMMANDS.forEach((name, command) ->
                assertThat(command.getAnnotation(Command.class).name()).as(command.getName()).isEqualTo(name));
    }

    @Test
    void theAliasesAreTheCommandsOwn() {
        Map<String, Class<?>> declared = new HashMap<>();
        Main.SUBCOMMANDS.values().forEach(command -> Arrays.stream(command.getAnnotation(Command.class).aliases())
                .forEach(alias -> declared.put(alias, command)));
        assertThat(Main.ALIASES).isEqualTo(declared).containsKeys("migrate", "info");
    }

    @Test
    void theNamedCommandAlone() {
        assertThat(registered("status")).containsExactly(Commands.StatusCommand.class);
        assertThat(registered("-C", "status", "--url", "up", "status")).containsExactly(Commands.StatusCommand.class);
        assertThat(registered("--url=postgres://x/y", "--json", "--set", "a=b", "fleet", "status"))
                .containsExactly(FleetCommands.class);
        assertThat(registered("--version")).isEmpty();
        assertThat(registered("-v")).isEmpty();
        assertThat(registered("version")).containsExactly(Commands.VersionCommand.class);
        assertThat(registered("--json", "migrate", "2")).containsExactly(Commands.Up.class);
        assertThat(registered("info")).containsExactly(Commands.StatusCommand.class);
    }

    @Test
    void everythingForHelpAndForWhatPicocliWillNotRecognise() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("--help"), List.of("-h", "status"),
                List.of("stauts"), List.of("--bogus", "status"), List.of("-Cdir", "status"), List.of("--", "status"),
                List.of("-C"), List.of("help"), List.of("help", "up"), List.of("-C", "x", "help", "migrate"))) {
            assertThat(registered(args.toArray(String[]::new))).as(args.toString())
                    .containsExactlyElementsOf(Main.SUBCOMMANDS.values());
        }
    }

    @Test
    void usageHelpListsEveryCommand() {
        Cli.Run help = Cli.run("--help");
        assertThat(help.exit()).isZero();
        Main.SUBCOMMANDS.keySet().forEach(name -> assertThat(help.out()).containsPattern("(?m)^  " + name + "[ ,]"));
    }

    private static List<Class<?>> registered(String... args) {
        return List.copyOf(Main.subcommandsFor(MAIN, args));
    }
}
