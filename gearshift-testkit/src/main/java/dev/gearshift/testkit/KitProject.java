package dev.gearshift.testkit;

import dev.gearshift.Gearshift;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A migrations project in a directory, written script by script by a test, and the fresh target it migrates.
 * Scripts are named by their path in the migrations directory without the store's extension:
 * {@code up("core/1_plans", fixture.create("plans"))} writes {@code core/1_plans.up.sql} for a SQL store.
 */
public final class KitProject {

    private final StoreFixture store;
    private final Path root;
    private final Path migrations;
    private final String target;

    KitProject(StoreFixture store, Path root) {
        this.store = store;
        this.root = root;
        this.migrations = root.resolve("migrations");
        this.target = store.newTarget();
        try {
            Files.createDirectories(migrations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String target() {
        return target;
    }

    public Path root() {
        return root;
    }

    public KitProject up(String migration, String script) {
        return write(migration + ".up", script);
    }

    public KitProject down(String migration, String script) {
        return write(migration + ".down", script);
    }

    public KitProject verify(String migration, String script) {
        return write(migration + ".verify", script);
    }

    /** Writes a script by its name without extension, {@code a/1_one.up}: for names the engine must refuse. */
    public KitProject write(String script, String text) {
        try {
            Path file = file(script);
            Files.createDirectories(file.getParent());
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KitProject delete(String script) {
        try {
            Files.delete(file(script));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code gearshift.yaml} beside the migrations directory. */
    public KitProject yaml(String text) {
        try {
            Files.writeString(root.resolve("gearshift.yaml"), text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String script) {
        try {
            return Files.readString(file(script));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script's file: {@code a/1_one.up} is {@code a/1_one.up.sql} for a SQL store. */
    public Path file(String script) {
        return migrations.resolve(script + "." + store.scriptExtension());
    }

    /** How the engine names a module's directory in messages. */
    public String moduleLocation(String module) {
        return migrations.resolve(module).toString();
    }

    /** How the engine names a script in messages: its path as given to it. */
    public String location(String script) {
        return file(script).toString();
    }

    /** A script's file name, {@code 1_one.up.sql}. */
    public String fileName(String script) {
        return file(script).getFileName().toString();
    }

    public Gearshift.Builder configure() {
        return withProject(store.configure(target));
    }

    /** A migrator the store can tell apart by {@code migrator}: see {@link StoreFixture#configure(String, String)}. */
    public Gearshift.Builder configure(String migrator) {
        return withProject(store.configure(target, migrator));
    }

    private Gearshift.Builder withProject(Gearshift.Builder builder) {
        return builder.project(root).migrations(migrations);
    }

    public Gearshift gearshift() {
        return configure().build();
    }

    public boolean targetExists() {
        return store.targetExists(target);
    }

    public boolean exists(String object) {
        return store.objectExists(target, object);
    }

    public List<String> values(String object) {
        return store.values(target, object);
    }

    public String snapshot() {
        return store.snapshot(target);
    }

    /** The history as the store holds it, read without Gearshift. */
    public List<String> historyRows() {
        return store.storedHistory(target, Gearshift.HISTORY_TABLE);
    }
}
