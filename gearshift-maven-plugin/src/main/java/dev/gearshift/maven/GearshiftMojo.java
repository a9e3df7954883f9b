package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Target;
import dev.gearshift.Version;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * What every goal shares: the project and the target, from the plugin's configuration (or {@code -Dgearshift.*}),
 * then a {@code settings.xml} server for credentials, then the CLI's environment variables ({@code GEARSHIFT_URL},
 * {@code GEARSHIFT_USER}, {@code GEARSHIFT_PASSWORD}), then {@code gearshift.yaml}. Passwords are never logged:
 * targets are shown masked.
 */
public abstract class GearshiftMojo extends AbstractMojo {

    private static final String PLACEHOLDER = "gearshift.placeholder.";

    /** {@code jdbc:postgresql://...} or {@code postgres://...}. */
    @Parameter(property = "gearshift.url")
    String url;

    @Parameter(property = "gearshift.user")
    String user;

    @Parameter(property = "gearshift.password")
    String password;

    /** The id of a {@code settings.xml} server whose username and password connect. */
    @Parameter(property = "gearshift.serverId")
    String serverId;

    @Parameter(property = "gearshift.schema")
    String schema;

    @Parameter(property = "gearshift.createSchema")
    Boolean createSchema;

    /** The directory holding {@code gearshift.yaml} (or the file); without one, its {@code migrations} folder. */
    @Parameter(property = "gearshift.project", defaultValue = "${project.basedir}")
    File project;

    /** {@code classpath:...} or a directory; default: the project's. */
    @Parameter(property = "gearshift.migrations")
    String migrations;

    /** Also given on the command line, one by one: {@code -Dgearshift.placeholder.NAME=value}. */
    @Parameter
    Map<String, String> placeholders;

    @Parameter(defaultValue = "${session}", readonly = true)
    MavenSession session;

    @Parameter(property = "gearshift.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${settings}", readonly = true)
    Settings settings;

    /** Maven's own: a server password encrypted with {@code mvn --encrypt-password} is decrypted here. */
    @Component
    SettingsDecrypter decrypter;

    /** The connection as resolved from configuration, settings.xml and environment; null where none gave it. */
    String resolvedUrl;
    String resolvedUser;
    String resolvedPassword;

    @Override
    public final void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("gearshift.skip is set: nothing done");
            return;
        }
        try {
            resolveConnection();
            run(buildsGearshift() ? gearshift() : null);
        } catch (GearshiftException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    abstract void run(Gearshift gearshift) throws MojoFailureException;

    /**
     * False for a goal that connects by itself, or not at all (diff between files): it runs with a null
     * {@link Gearshift} and the resolved connection fields, so that it needs no target.
     */
    boolean buildsGearshift() {
        return true;
    }

    /** Fills the resolved connection fields from configuration, settings.xml and environment. */
    private void resolveConnection() throws MojoFailureException {
        Server server = null;
        if (serverId != null) {
            server = settings == null ? null : settings.getServer(serverId);
            if (server == null) {
                throw new MojoFailureException("there is no server '" + serverId + "' in settings.xml");
            }
            SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
            if (!decrypted.getProblems().isEmpty()) {
                throw new MojoFailureException("cannot decrypt the password of server '" + serverId + "': "
                        + decrypted.getProblems().get(0).getMessage());
            }
            server = decrypted.getServer();
        }
        resolvedUrl = firstOf(url, System.getenv("GEARSHIFT_URL"));
        resolvedUser = firstOf(user, server == null ? null : server.getUsername(), System.getenv("GEARSHIFT_USER"));
        resolvedPassword = firstOf(password, server == null ? null : server.getPassword(),
                System.getenv("GEARSHIFT_PASSWORD"));
    }

    private Gearshift gearshift() {
        Gearshift.Builder builder = sources().apply(Gearshift.configure());
        if (resolvedUrl != null) {
            builder.url(resolvedUrl);
        }
        if (resolvedUser != null) {
            builder.user(resolvedUser);
        }
        if (resolvedPassword != null) {
            builder.password(resolvedPassword);
        }
        if (schema != null) {
            builder.schema(schema);
        }
        if (createSchema != null) {
            builder.createSchema(createSchema);
        }
        Gearshift gearshift = builder.build();
        getLog().info("Target " + gearshift.target());
        return gearshift;
    }

    /** The project's migrations and placeholders, without a target: what a shadow database runs too. */
    UnaryOperator<Gearshift.Builder> sources() {
        return builder -> {
            builder.project(project.toPath());
            if (migrations != null) {
                builder.migrations(migrations.startsWith("classpath:") ? migrations
                        : project.toPath().resolve(migrations).toString());
            }
            placeholderValues().forEach(builder::placeholder);
            return builder;
        };
    }

    /** The configuration's placeholders, then those given with {@code -Dgearshift.placeholder.NAME=value}. */
    Map<String, String> placeholderValues() {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        if (placeholders != null) {
            values.putAll(placeholders);
        }
        if (session != null) {
            session.getUserProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PLACEHOLDER))
                    .forEach(k -> values.put(k.substring(PLACEHOLDER.length()),
                            session.getUserProperties().getProperty(k)));
        }
        return values;
    }

    /** {@code 7} or {@code 1.2.3}; null: none. */
    static Target target(String version, String module) {
        Target target = version == null || version.isBlank() ? Target.latest() : Target.version(Version.parse(version));
        return module == null || module.isBlank() ? target : target.module(module);
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** A goal's report, written where its output parameter says (directories made as needed). */
    static void writeFile(Path file, String text) throws MojoFailureException {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new MojoFailureException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
