package bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * What `liquibase update` / `liquibase status` amount to, through the same command API the Liquibase CLI calls,
 * in one fresh JVM per call:
 * <pre>
 * java -cp 'target/lib/*:target/classes' bench.LiquibaseRunner update|status --url JDBC_URL --dir DIR
 *      --changelog changelog.xml (--schema S | --schemas-like 'tenant_%') [--threads N]
 * </pre>
 * Every schema is one `update` command with its own connection (currentSchema and defaultSchemaName set to the
 * schema, so the SQL and the DATABASECHANGELOG tables land there), as a user looping over tenants does.
 */
public final class LiquibaseRunner {
    public static void main(String[] args) throws Exception {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        String command = args[0];
        String url = Targets.arg(args, "--url", null);
        Path dir = Path.of(Targets.arg(args, "--dir", "."));
        String changelog = Targets.arg(args, "--changelog", "changelog.xml");
        int threads = Integer.parseInt(Targets.arg(args, "--threads", "1"));
        List<String> schemas = Targets.schemas(url, Targets.arg(args, "--schema", null),
                Targets.arg(args, "--schemas-like", null));
        int failures = Targets.forEach(schemas, threads, schema -> {
            String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(dir)), () -> {
                new CommandScope(command)
                        .addArgumentValue("url", schemaUrl)
                        .addArgumentValue("defaultSchemaName", schema)
                        .addArgumentValue("changelogFile", changelog)
                        .execute();
            });
        });
        System.out.println("liquibase " + command + ": " + schemas.size() + " schemas, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
