package dev.gearshift.cli;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.server.GearshiftServer;
import dev.gearshift.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gearshift serve --config server.yaml}: the migration service (HTTP API, dashboard, metrics). Runs until
 * stopped; SIGTERM or Ctrl-C shut it down gracefully. Everything it serves is in the configuration file
 * (docs/SERVER.md), not in the global options.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the migration service: POST /migrate, fleet runs with live progress, a dashboard and"
                + " Prometheus metrics, as configured in server.yaml.",
                "Stop it with SIGTERM or Ctrl-C: running migrations finish, new ones are refused.",
                "Configuration reference: docs/SERVER.md"})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "server.yaml",
            description = "The service's configuration (default: server.yaml)")
    Path config;

    @Option(names = "--hash-token", description = "Read a token from standard input, print the sha256 to write in"
            + " the configuration's tokens, and exit")
    boolean hashToken;

    @Override
    public Integer call() throws Exception {
        if (hashToken) {
            return printHash();
        }
        GearshiftServer server = GearshiftServer.start(ServerConfig.read(config));
        Thread shutdown = new Thread(server::close, "gearshift-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        server.awaitShutdown();
        return 0;
    }

    private int printHash() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String token = in.readLine();
        if (token == null || token.isBlank()) {
            throw new GearshiftException(ErrorCode.USAGE, "--hash-token reads the token from standard input; got"
                    + " nothing");
        }
        main.out.println(GearshiftServer.hashToken(token.strip()));
        return 0;
    }
}
