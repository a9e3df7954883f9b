package dev.gearshift.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gearshift.*}: how the application's DataSource is migrated at start-up.
 *
 * @param enabled        migrate (or check, with {@code fail-on-pending}) at start-up
 * @param locations      where the migrations are, one folder per module: {@code classpath:...} (read in place from
 *                       the application's jars) or a directory
 * @param project        a {@code gearshift.yaml} (or its directory) for module dependencies, placeholders and
 *                       defaults; the properties here win over it
 * @param schema         the schema migrated, which holds the history table; default: the project's, else the
 *                       connection's
 * @param createSchema   create the schema when it does not exist
 * @param placeholders   {@code ${name}} replacements in scripts
 * @param settings       session settings for every migration, e.g. {@code statement_timeout: 5min}
 * @param failOnPending  do not migrate: refuse to start while a migration is pending (migrations run by a deploy
 *                       step, the CLI or the Maven plugin)
 * @param migratorWait   how long to wait for another migrator of the schema (another instance starting)
 * @param ddlLockTimeout how long a migration's statement waits for a table lock before it is retried
 * @param guard          hold the shared guard while the application runs, so that a migration started elsewhere
 *                       refuses (or waits) while this instance runs; off by default, see the README
 * @param historyTable   the history table's name
 */
@ConfigurationProperties(prefix = "gearshift")
public record GearshiftProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("classpath:db/migrations") List<String> locations,
                                  String project, String schema, Boolean createSchema,
                                  Map<String, String> placeholders, Map<String, String> settings,
                                  @DefaultValue("false") boolean failOnPending, Duration migratorWait,
                                  Duration ddlLockTimeout, @DefaultValue("false") boolean guard,
                                  String historyTable) {

    public GearshiftProperties {
        locations = locations == null ? List.of("classpath:db/migrations") : List.copyOf(locations);
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
