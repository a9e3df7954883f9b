package dev.gearshift;

import dev.gearshift.internal.engine.Engine;
import dev.gearshift.internal.engine.EngineConfig;
import dev.gearshift.internal.engine.SchemaNames;
import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.source.JavaFileCompiler;
import dev.gearshift.spi.Store;
import dev.gearshift.spi.StoreProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A project: its migrations and options, read once, with no target. {@link #target} binds it to a database and
 * schema, of any kind of store, as often as needed: how a fleet runs one project over thousands of tenants, or
 * a service over the databases it serves. Scripts are parsed once per kind of store they run on.
 *
 * <pre>{@code
 * Project project = Gearshift.configure().project(Path.of(".")).buildProject();
 * Result result = project.target("postgres://app@db/saas", null, null, "tenant_0042").up();
 * }</pre>
 */
public final class Project {

    private final Function<StoreProvider, MigrationSet> loader;
    private final Map<String, MigrationSet> loaded;
    /** The installed kinds of store, found once: a fleet asks for one per tenant. */
    private final List<StoreProvider> providers;
    private final StoreProvider kind;
    private final Optional<String> schema;
    private final Settings settings;

    /**
     * The options that apply to every target.
     *
     * @param schema the default target schema (gearshift.yaml's {@code schema:}), used when a target names none
     */
    record Settings(boolean createSchema, Map<String, String> placeholders, StoreProvider.Options storeOptions,
                    Duration migratorWait, int ddlLockRetries, boolean waitForGuards, boolean dryRun,
                    boolean singleTransaction, boolean outOfOrder, boolean verifyAfterUp, Optional<Path> backup,
                    JavaFileCompiler compiler) {

        Settings withDryRun(boolean dryRun) {
            return new Settings(createSchema, placeholders, storeOptions, migratorWait, ddlLockRetries, waitForGuards,
                    dryRun, singleTransaction, outOfOrder, verifyAfterUp, backup, compiler);
        }
    }

    Project(Function<StoreProvider, MigrationSet> loader, StoreProvider kind, Optional<String> schema,
            Settings settings) {
        this(loader, new ConcurrentHashMap<>(), providers(), kind, schema, settings);
        // Read now, so that a project that cannot be read fails where it is built, not at its first target.
        migrations(kind);
    }

    private Project(Function<StoreProvider, MigrationSet> loader, Map<String, MigrationSet> loaded,
                    List<StoreProvider> providers, StoreProvider kind, Optional<String> schema, Settings settings) {
        this.loader = loader;
        this.loaded = loaded;
        this.providers = providers;
        this.kind = kind;
        this.schema = schema;
        this.settings = settings;
    }

    /** The same project, whose {@code up} and {@code down} roll everything back at the end (or, with false, not). */
    public Project withDryRun(boolean dryRun) {
        return new Project(loader, loaded, providers, kind, schema, settings.withDryRun(dryRun));
    }

    /** The project's modules, in dependency order. */
    public List<String> modules() {
        return migrations(kind).modules().stream().map(dev.gearshift.internal.model.Module::name).toList();
    }

    /**
     * The modules declared {@code versioning: major-patch}, each with its latest major, and the versions of that
     * major in order: its base ({@code M}) and patches ({@code M.1}, {@code M.2}, ...).
     */
    public Map<String, List<Version>> majorPatchModules() {
        MigrationSet set = migrations(kind);
        Map<String, List<Version>> modules = new java.util.LinkedHashMap<>();
        set.modules().stream().filter(m -> set.majors().containsKey(m.name())).forEach(m -> modules.put(m.name(),
                m.migrations().stream().flatMap(x -> x.version().stream()).toList()));
        return modules;
    }

    /** The schema a target names when it names none (gearshift.yaml's {@code schema:}); empty: the connection's. */
    public Optional<String> defaultSchema() {
        return schema;
    }

    /** The history table's name, in every target schema. */
    public String historyTable() {
        return settings.storeOptions().historyTable();
    }

    /**
     * Refuses, with {@link ErrorCode#USAGE}, a schema name the project's kind of store cannot hold as given: empty,
     * with a control character, or longer than the store keeps (PostgreSQL: 63 bytes). Every target is checked so
     * before it is used; this is for a front end that checks names before it has a target, such as the patterns of
     * names a service allows.
     */
    public void checkSchemaName(String schema) {
        SchemaNames.check(kind, schema);
    }

    /**
     * This project against a database, by its URL ({@code jdbc:postgresql://...}, {@code postgres://...}) and
     * optional credentials; {@code schema} null: the project's default, else the connection's.
     */
    public Gearshift target(String url, String user, String password, String schema) {
        return target(kindOf(providers, url), StoreProvider.Endpoint.of(url, user, password, schemaOr(schema)));
    }

    /**
     * This project against connections the caller pools, to the database at {@code url} (which chooses the kind
     * of store; null: asks the DataSource). {@code description} names the target in messages.
     */
    public Gearshift target(String url, DataSource connections, String description, String schema) {
        StoreProvider targetKind = url != null ? kindOf(providers, url) : kindOf(providers, connections);
        return target(targetKind, StoreProvider.Endpoint.of(connections, description, schemaOr(schema)));
    }

    /**
     * The status of many schemas of one database, read in one query per 100 schemas (and one more): a fleet's
     * status costs a few round trips per database, not several per tenant.
     */
    public Map<String, Status> statusOfSchemas(String url, DataSource connections, String description,
                                               List<String> schemas) {
        StoreProvider targetKind = url != null ? kindOf(providers, url) : kindOf(providers, connections);
        return engine(targetKind, targetKind.open(StoreProvider.Endpoint.of(connections, description,
                Optional.empty()), settings.storeOptions())).statusOfSchemas(schemas);
    }

    Gearshift target(StoreProvider targetKind, StoreProvider.Endpoint endpoint) {
        endpoint.schema().ifPresent(name -> SchemaNames.check(targetKind, name));
        Store store = targetKind.open(endpoint, settings.storeOptions());
        return new Gearshift(this, engine(targetKind, store), store.display());
    }

    private Engine engine(StoreProvider targetKind, Store store) {
        return new Engine(new EngineConfig(targetKind, store, migrations(targetKind), settings.createSchema(),
                settings.placeholders(), settings.migratorWait(), settings.storeOptions().ddlLockWait(),
                settings.ddlLockRetries(), settings.waitForGuards(), settings.dryRun(), settings.singleTransaction(),
                settings.outOfOrder(), settings.verifyAfterUp(), Gearshift.version(), settings.compiler(),
                settings.backup()));
    }

    private Optional<String> schemaOr(String given) {
        return given != null ? Optional.of(given) : schema;
    }

    private MigrationSet migrations(StoreProvider targetKind) {
        return loaded.computeIfAbsent(targetKind.name(), name -> loader.apply(targetKind));
    }

    static StoreProvider kindOf(String url) {
        return kindOf(providers(), url);
    }

    static StoreProvider kindOf(DataSource dataSource) {
        return kindOf(providers(), dataSource);
    }

    private static StoreProvider kindOf(List<StoreProvider> providers, String url) {
        for (StoreProvider provider : providers) {
            if (provider.accepts(url)) {
                return provider;
            }
        }
        throw new GearshiftException(ErrorCode.USAGE, "no store understands '" + Secrets.mask(url)
                + "'; use jdbc:postgresql://host/db or postgres://user@host:port/db");
    }

    private static StoreProvider kindOf(List<StoreProvider> providers, DataSource dataSource) {
        for (StoreProvider provider : providers) {
            if (provider.accepts(dataSource)) {
                return provider;
            }
        }
        throw new GearshiftException(ErrorCode.USAGE, "no store understands the configured DataSource");
    }

    /** The one kind of store installed, for a project built without a target. */
    static StoreProvider onlyKind() {
        List<StoreProvider> all = providers();
        if (all.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "no store is installed: add gearshift-postgres");
        }
        return all.get(0);
    }

    private static List<StoreProvider> providers() {
        return ServiceLoader.load(StoreProvider.class, Project.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }
}
