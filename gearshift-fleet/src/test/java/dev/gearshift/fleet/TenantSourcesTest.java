package dev.gearshift.fleet;

import static dev.gearshift.fleet.FleetFixtures.applied;
import static dev.gearshift.fleet.FleetFixtures.exampleAppliedOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where tenants come from (a YAML or CSV file, a query on a configuration database) and which of them a run
 * takes: filters on attributes, names, and a host override; and the errors for input that makes no sense.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantSourcesTest {

    private static TestDatabase server;
    /** Tenant schemas live in a database of this class's own (see FleetFailuresTest). */
    private static TestDatabase db;
    private static String database;

    private String prefix;
    private Path temp;

    @BeforeAll
    static void database(TestDatabase test) throws Exception {
        server = test;
        FleetFixtures.ensureAppRole(server);
        database = FleetFixtures.createDatabase(server);
        db = new TestDatabase(FleetFixtures.withDatabase(server, database));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        FleetFixtures.dropDatabase(server, database);
    }

    @BeforeEach
    void setUp(@TempDir Path temp) {
        this.temp = temp;
        this.prefix = FleetFixtures.prefix();
    }

    @AfterEach
    void cleanUp() throws Exception {
        FleetFixtures.dropSchemas(server.url(), prefix);
    }

    private static void usageError(ThrowingCallable call, String... fragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GearshiftException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.USAGE);
            assertThat(e.getMessage()).contains(fragments);
        });
    }

    private FleetResult up(List<Tenant> tenants) {
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(2).maxFailures(0)
                .build()) {
            return fleet.up(Target.latest());
        }
    }

    @Test
    void aYamlFileWithAttributesAndAFilterMigratesOnlyTheMatchingTenants() throws Exception {
        Path file = temp.resolve("tenants.yaml");
        FleetFixtures.write(file, "tenants:\n"
                + "  - name: acme\n    schema: " + prefix + "acme\n    url: " + db.url() + "\n    auth_version: live\n"
                + "    region: eu\n"
                + "  - name: globex\n    schema: " + prefix + "globex\n    url: " + db.url() + "\n    auth_version: beta\n"
                + "  - tenant: initech\n    schema: " + prefix + "initech\n    auth_version: live\n");

        List<Tenant> all = Tenants.fromFile(file, db.url());
        assertThat(all).extracting(Tenant::name).containsExactly("acme", "globex", "initech");
        assertThat(all.get(0).attributes()).isEqualTo(Map.of("auth_version", "live", "region", "eu"));
        assertThat(all.get(2).url()).as("no url: the default").isEqualTo(db.url());

        List<Tenant> live = new TenantSelection(Map.of("auth_version", "live"), List.of(), Optional.empty()).apply(all);
        assertThat(live).extracting(Tenant::name).containsExactly("acme", "initech");
        assertThat(new TenantSelection(Map.of("auth_version", "live", "region", "eu"), List.of(), Optional.empty())
                .apply(all)).extracting(Tenant::name).containsExactly("acme");

        FleetResult result = up(live);
        assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
        assertThat(applied(db.url(), prefix + "acme")).isEqualTo(exampleAppliedOnce());
        assertThat(applied(db.url(), prefix + "initech")).isEqualTo(exampleAppliedOnce());
        assertThat(db.schemaExists(prefix + "globex")).as("the beta tenant is not touched").isFalse();
    }

    @Test
    void aCsvFileNamesDatabasesOnTheDefaultServer() throws Exception {
        Path file = temp.resolve("tenants.csv");
        String serverDatabase = FleetFixtures.databaseOf(server);
        FleetFixtures.write(file, "tenant,schema,database,auth_version\n"
                + "one," + prefix + "one," + database + ",live\n"
                + "two," + prefix + "two," + database + ",beta\n"
                + "three," + prefix + "three," + serverDatabase + ",live\n");

        List<Tenant> all = Tenants.fromFile(file, server.url());
        assertThat(all).extracting(Tenant::url).containsExactly(db.url(), db.url(), server.url());
        assertThat(all).extracting(t -> t.attributes().get("auth_version")).containsExactly("live", "beta", "live");

        List<Tenant> chosen = new TenantSelection(Map.of("auth_version", "live"), List.of("one"), Optional.empty())
                .apply(all);
        assertThat(chosen).extracting(Tenant::name).containsExactly("one");
        FleetResult result = up(chosen);
        assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
        assertThat(applied(db.url(), prefix + "one")).isEqualTo(exampleAppliedOnce());
        assertThat(db.schemaExists(prefix + "two")).isFalse();
        assertThat(server.schemaExists(prefix + "three")).isFalse();
    }

    @Test
    void unknownFilterKeysDuplicateNamesAndUnknownTenantNamesAreUsageErrors() {
        List<Tenant> tenants = List.of(new Tenant("a", db.url(), prefix + "a", Map.of("auth_version", "live")),
                new Tenant("b", db.url(), prefix + "b", Map.of("auth_version", "beta")));

        usageError(() -> new TenantSelection(Map.of("auth_verison", "live"), List.of(), Optional.empty()).apply(tenants),
                "unknown filter key 'auth_verison'", "auth_version");
        usageError(() -> new TenantSelection(Map.of(), List.of("a", "c"), Optional.empty()).apply(tenants),
                "unknown tenants [c]");
        List<Tenant> twice = new ArrayList<>(tenants);
        twice.add(new Tenant("a", db.url(), prefix + "other", Map.of("auth_version", "live")));
        usageError(() -> TenantSelection.all().apply(twice), "unique", "[a]");

        // A filter value nobody has is no error: it selects nothing.
        assertThat(new TenantSelection(Map.of("auth_version", "gamma"), List.of(), Optional.empty()).apply(tenants))
                .isEmpty();
    }

    @Test
    void duplicateNamesInAFileAreAUsageError() {
        Path file = temp.resolve("tenants.csv");
        FleetFixtures.write(file, "name,schema\nsame," + prefix + "x\nsame," + prefix + "y\n");
        List<Tenant> tenants = Tenants.fromFile(file, db.url());
        usageError(() -> TenantSelection.all().apply(tenants), "[same]");
    }

    @Test
    void aFleetRefusesTwoTenantsOfTheSameName() throws Exception {
        // The same schema names in two databases: concatenated, two tenants are called alike. Running them would
        // migrate one of them twice and the other never; the fleet must refuse the list instead.
        String other = FleetFixtures.createDatabase(server);
        try {
            String otherUrl = FleetFixtures.withDatabase(server, other);
            FleetFixtures.createSchemas(db.url(), prefix, 2);
            FleetFixtures.createSchemas(otherUrl, prefix, 2);
            List<Tenant> tenants = new ArrayList<>(Tenants.schemasLike(db.url(), null, null, prefix + "%"));
            tenants.addAll(Tenants.schemasLike(otherUrl, null, null, prefix + "%"));
            assertThat(tenants).hasSize(4);

            usageError(() -> Fleet.configure(FleetFixtures.project(db)).tenants(tenants).build(), "unique",
                    prefix + "0000");
            assertThat(FleetFixtures.relations(db.url(), prefix + "0000")).isEmpty();
            assertThat(FleetFixtures.relations(otherUrl, prefix + "0000")).isEmpty();
        } finally {
            FleetFixtures.dropDatabase(server, other);
        }
    }

    @Test
    void aHostOverrideReplacesTheHostOfEveryTenantUrlAndKeepsTheRest() throws Exception {
        String real = FleetFixtures.hostAndPort(db);
        String jdbc = FleetFixtures.withHost(db, "nonexistent.invalid:5432");
        String user = FleetFixtures.userOf(db);
        String postgres = "postgres://" + user + "@nonexistent.invalid:5432/" + database + "?sslmode=disable";
        List<Tenant> tenants = List.of(new Tenant("jdbc", jdbc, prefix + "jdbc", Map.of()),
                new Tenant("pg", postgres, prefix + "pg", Map.of()));

        List<Tenant> overridden = new TenantSelection(Map.of(), List.of(), Optional.of(real)).apply(tenants);

        assertThat(overridden.get(0).url()).isEqualTo(db.url());
        assertThat(overridden.get(1).url()).isEqualTo("postgres://" + user + "@" + real + "/" + database
                + "?sslmode=disable");
        assertThat(TenantSelection.withHost(new Tenant("x", "postgres://app:s3cret@old-host:5432/db?sslmode=require",
                "x", Map.of()), "new-host").url()).isEqualTo("postgres://app:s3cret@new-host/db?sslmode=require");
        assertThat(TenantSelection.withHost(new Tenant("x", "jdbc:postgresql://old:1/db?user=u", "x", Map.of()),
                "new:2").url()).isEqualTo("jdbc:postgresql://new:2/db?user=u");

        FleetResult result = up(overridden);
        assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
        assertThat(applied(db.url(), prefix + "jdbc")).isEqualTo(exampleAppliedOnce());
        assertThat(applied(db.url(), prefix + "pg")).isEqualTo(exampleAppliedOnce());
    }

    @Test
    void tenantsFromAConfigurationQueryWithADatabaseColumn() throws Exception {
        String config = prefix + "config";
        String serverDatabase = FleetFixtures.databaseOf(server);
        // The Skygear seed's app table: one row per app, its schema, its database, and attributes.
        server.execute("CREATE SCHEMA " + config);
        server.execute("CREATE TABLE " + config + ".app (id serial PRIMARY KEY, name text NOT NULL, schema text NOT NULL,"
                + " database text, auth_version text NOT NULL)");
        server.execute("INSERT INTO " + config + ".app (name, schema, database, auth_version) VALUES"
                + " ('shop', '" + prefix + "shop', '" + database + "', 'live'),"
                + " ('blog', '" + prefix + "blog', '" + database + "', 'beta'),"
                + " ('wiki', '" + prefix + "wiki', '" + serverDatabase + "', 'beta'),"
                + " ('mail', '" + prefix + "mail', NULL, 'live')");

        List<Tenant> all = Tenants.fromQuery(server.url(), null, null,
                "SELECT name, schema, database, auth_version FROM " + config + ".app ORDER BY id", db.url());

        assertThat(all).extracting(Tenant::name).containsExactly("shop", "blog", "wiki", "mail");
        assertThat(all).extracting(Tenant::url).containsExactly(db.url(), db.url(), server.url(), db.url());
        assertThat(all).allSatisfy(t -> assertThat(t.attributes()).containsOnlyKeys("auth_version"));

        List<Tenant> live = new TenantSelection(Map.of("auth_version", "live"), List.of(), Optional.empty()).apply(all);
        // A selection lists its tenants by name, as every front end shows them, whatever the query's ORDER BY.
        assertThat(live).extracting(Tenant::name).containsExactly("mail", "shop");
        FleetResult result = up(live);
        assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
        assertThat(applied(db.url(), prefix + "shop")).isEqualTo(exampleAppliedOnce());
        assertThat(applied(db.url(), prefix + "mail")).isEqualTo(exampleAppliedOnce());
        assertThat(db.schemaExists(prefix + "blog")).isFalse();
        assertThat(server.schemaExists(prefix + "wiki")).isFalse();
    }

    @Test
    void aConfigurationQueryThatFailsOrLacksColumnsIsAClearError() throws Exception {
        String config = prefix + "config";
        server.execute("CREATE SCHEMA " + config);
        server.execute("CREATE TABLE " + config + ".app (name text, schema text)");
        server.execute("INSERT INTO " + config + ".app VALUES ('shop', 'shop')");

        usageError(() -> Tenants.fromQuery(server.url(), null, null, "SELECT name, schema FROM " + config + ".apps",
                db.url()), "the tenants query failed", config + ".apps\" does not exist");
        usageError(() -> Tenants.fromQuery(server.url(), null, null, "SELEC name FROM " + config + ".app", db.url()),
                "the tenants query failed", "syntax error");
        usageError(() -> Tenants.fromQuery(server.url(), null, null, "SELECT name FROM " + config + ".app", db.url()),
                "must give every tenant a name", "schema", "[name]");
        usageError(() -> Tenants.fromQuery(server.url(), null, null, "SELECT schema FROM " + config + ".app", db.url()),
                "must give every tenant a name", "[schema]");

        String closed = FleetFixtures.withHost(server, "127.0.0.1:" + FleetFixtures.closedPort());
        assertThatThrownBy(() -> Tenants.fromQuery(closed, null, null, "SELECT 1", db.url()))
                .isInstanceOfSatisfying(GearshiftException.class, e ->
                        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CONNECTION));
    }

    @Test
    void aFileWithoutNamesOrSchemasIsAUsageError() {
        Path csv = temp.resolve("bad.csv");
        FleetFixtures.write(csv, "name,url\nshop," + db.url() + "\n");
        usageError(() -> Tenants.fromFile(csv, null), "bad.csv", "schema");
        Path ragged = temp.resolve("ragged.csv");
        FleetFixtures.write(ragged, "name,schema\nshop,shop,extra\n");
        usageError(() -> Tenants.fromFile(ragged, null), "ragged.csv:2");
        Path yaml = temp.resolve("bad.yaml");
        FleetFixtures.write(yaml, "tenants: {name: shop}\n");
        usageError(() -> Tenants.fromFile(yaml, null), "expected a list of tenants");
        Path noUrl = temp.resolve("nourl.yaml");
        FleetFixtures.write(noUrl, "- {name: shop, schema: shop}\n");
        usageError(() -> Tenants.fromFile(noUrl, null), "tenant shop has no url");
    }
}
