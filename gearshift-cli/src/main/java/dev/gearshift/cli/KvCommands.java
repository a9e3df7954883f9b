package dev.gearshift.cli;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import dev.gearshift.kv.KvMigration;
import dev.gearshift.kv.KvMigrator;
import dev.gearshift.kv.KvStores;
import dev.gearshift.kv.Spec;
import dev.gearshift.kv.SpecGenerator;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gearshift kv <status|up|down|list|new>}: maintenance of an application's embedded key-value store while
 * the application is stopped, with the application's own spec list, loaded from the class path it is given.
 */
@Command(name = "kv", mixinStandardHelpOptions = true,
        description = "Migrate an embedded key-value store (H2 MVStore, RocksDB) with the application's spec list",
        subcommands = {KvCommands.Status.class, KvCommands.Up.class, KvCommands.Down.class, KvCommands.ListCommand.class,
                KvCommands.New.class})
final class KvCommands {

    @ParentCommand
    Main main;

    /** Which store, and the application's specs. */
    static final class Target {
        @Option(names = "--store", required = true, paramLabel = "mvstore:PATH|rocksdb:PATH",
                description = "The store: an MVStore file or a RocksDB directory")
        String store;

        @Option(names = "--specs", required = true, paramLabel = "CLASS",
                description = "The class holding the spec list: a static field SPECS or a static method specs()")
        String specs;

        @Option(names = "--classpath", paramLabel = "PATH", split = "${sys:path.separator}",
                description = "Jars and class folders of the application, where --specs is found")
        List<Path> classpath = new ArrayList<>();

        KvMigrator migrator(boolean mustExist) {
            if (mustExist && !KvStores.exists(store)) {
                throw new GearshiftException(ErrorCode.USAGE, "there is no store at " + store + ": check the path");
            }
            return KvMigrator.of(store, specs());
        }

        List<Spec> specs() {
            List<URL> urls = new ArrayList<>();
            for (Path path : classpath) {
                try {
                    urls.add(path.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new GearshiftException(ErrorCode.USAGE, "--classpath: " + path + ": " + e.getMessage(), e);
                }
            }
            ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), KvCommands.class.getClassLoader());
            try {
                Class<?> type = Class.forName(specs, true, loader);
                Object list;
                Optional<Field> field = java.util.Arrays.stream(type.getFields())
                        .filter(f -> f.getName().equals("SPECS") && Modifier.isStatic(f.getModifiers())).findFirst();
                if (field.isPresent()) {
                    list = field.get().get(null);
                } else {
                    Method method = type.getMethod("specs");
                    list = method.invoke(null);
                }
                List<Spec> specs = new ArrayList<>();
                for (Object spec : (List<?>) list) {
                    specs.add((Spec) spec);
                }
                return specs;
            } catch (ClassNotFoundException e) {
                throw new GearshiftException(ErrorCode.USAGE, "--specs: class " + specs + " is not on the class path"
                        + (classpath.isEmpty() ? "; give the application's jars with --classpath" : " " + classpath), e);
            } catch (NoSuchMethodException | ClassCastException e) {
                throw new GearshiftException(ErrorCode.USAGE, "--specs: " + specs + " has no static SPECS field nor"
                        + " static specs() method returning a List<Spec>", e);
            } catch (ReflectiveOperationException e) {
                throw new GearshiftException(ErrorCode.USAGE, "--specs: cannot read the spec list of " + specs + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            json.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return json;
    }

    private static String listJson(String store, List<KvMigration> migrations) {
        return Render.json(object("store", store, "migrations", migrations.stream().map(m -> object("id", m.id(),
                "name", m.name(), "state", m.state().id(), "started_at", m.startedAt().map(Instant::toString)
                        .orElse(null), "finished_at", m.finishedAt().map(Instant::toString).orElse(null))).toList()));
    }

    private static void printList(Main main, String store, List<KvMigration> migrations) {
        if (main.json) {
            main.out.println(listJson(store, migrations));
            return;
        }
        main.out.printf("%-4s %-8s %-31s %s%n", "ID", "STATE", "FINISHED", "NAME");
        for (KvMigration m : migrations) {
            main.out.printf("%-4d %-8s %-31s %s%n", m.id(), m.state().id(),
                    m.finishedAt().map(Instant::toString).orElse("-"), m.name());
        }
    }

    private static int printResult(Main main, String store, Result result) {
        List<String> names = result.applied().stream().map(Result.Applied::name).toList();
        if (main.json) {
            main.out.println(Render.json(object("store", store, "direction", result.direction().id(), "applied",
                    names)));
        } else if (names.isEmpty()) {
            main.out.println("Nothing to do: " + store + " is " + (result.direction().id().equals("up")
                    ? "up to date" : "at the start"));
        } else {
            names.forEach(n -> main.out.println(result.direction().id() + "  " + n));
        }
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "How many specs are applied and pending; exit 2 if the list does not match or one needs repair")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        KvCommands kv;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            KvMigrator migrator = target.migrator(true);
            migrator.check();
            List<KvMigration> list = migrator.list();
            long up = list.stream().filter(m -> m.state() == KvMigration.State.UP).count();
            List<KvMigration> started = list.stream().filter(m -> m.state() == KvMigration.State.STARTED).toList();
            long pending = list.size() - up - started.size();
            if (kv.main.json) {
                kv.main.out.println(Render.json(object("store", target.store, "applied", up, "pending", pending,
                        "started", started.size())));
            } else {
                kv.main.out.println(target.store + ": " + up + " applied, " + pending + " pending"
                        + (started.isEmpty() ? "" : ", " + started.size() + " started and never finished ("
                        + started.get(0).name() + "): check its work, then repair"));
            }
            return started.isEmpty() ? 0 : 2;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Apply every outstanding spec, in order")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        KvCommands kv;

        @Mixin
        Target target;

        @Option(names = "--backup", paramLabel = "PATH",
                description = "Before the first spec runs, write a copy of the store to PATH.pre-<migration>-upgrade.backup")
        Path backup;

        @Override
        public Integer call() {
            KvMigrator migrator = target.migrator(false);
            if (backup != null) {
                migrator = migrator.backupPath(backup);
            }
            return printResult(kv.main, target.store, migrator.up());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Revert applied specs from the highest: all,"
            + " or --steps N")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        KvCommands kv;

        @Mixin
        Target target;

        @Option(names = "--steps", paramLabel = "N", description = "Revert the last N applied specs only")
        Integer steps;

        @Override
        public Integer call() {
            KvMigrator migrator = target.migrator(true);
            return printResult(kv.main, target.store, steps == null ? migrator.down()
                    : migrator.down(dev.gearshift.Target.steps(steps)));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Each spec with its state and when it ran")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        KvCommands kv;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            printList(kv.main, target.store, target.migrator(true).list());
            return 0;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Write the next numbered spec class and register it at the end of the list file")
    static final class New implements Callable<Integer> {
        @ParentCommand
        KvCommands kv;

        @Option(names = "--list", required = true, paramLabel = "FILE", description = "The list file, e.g. src/main/java/com/example/kv/All.java")
        Path list;

        @Parameters(paramLabel = "NAME", description = "What the spec does, e.g. \"add index foo\"")
        String name;

        @Override
        public Integer call() {
            SpecGenerator.Generated generated = SpecGenerator.create(list, name);
            if (kv.main.json) {
                kv.main.out.println(Render.json(object("spec", generated.spec().toString(), "class",
                        generated.className(), "number", generated.number())));
            } else {
                kv.main.out.println("wrote " + generated.spec() + " and added " + generated.className() + " to "
                        + generated.list());
            }
            return 0;
        }
    }
}
