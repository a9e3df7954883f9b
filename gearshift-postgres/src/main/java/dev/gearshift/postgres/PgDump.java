package dev.gearshift.postgres;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.jdbc.Backup;
import dev.gearshift.jdbc.JdbcTarget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Backups with PostgreSQL's {@code pg_dump}: one schema, plain format, checked to hold that schema alone. */
final class PgDump implements Backup {

    /**
     * Runs {@code pg_dump} (from the PATH, or {@code GEARSHIFT_PG_DUMP}) on the target schema. Credentials go
     * through its environment, never its command line, where other users of the machine could read them.
     */
    @Override
    public void backup(JdbcTarget target, String schema, java.nio.file.Path file) {
        Matcher url = PostgresDialect.JDBC_URL.matcher(target.jdbcUrl());
        if (!url.matches()) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot back up " + target.display()
                    + ": only jdbc:postgresql://host[:port]/database URLs are supported");
        }
        String tool = Optional.ofNullable(System.getenv("GEARSHIFT_PG_DUMP")).orElse("pg_dump");
        // --strict-names: a pattern that matches no schema is an error, not an empty dump.
        ProcessBuilder dump = new ProcessBuilder(tool, "--schema=" + schemaPattern(schema), "--strict-names",
                "--file=" + file.toAbsolutePath(), "--no-password").redirectErrorStream(true);
        java.util.Map<String, String> environment = dump.environment();
        environment.put("PGHOST", url.group(1).isEmpty() ? "localhost" : url.group(1));
        environment.put("PGPORT", url.group(2) == null ? "5432" : url.group(2));
        environment.put("PGDATABASE", PostgresDialect.decode(url.group(3)));
        Properties properties = target.properties();
        java.util.Map<String, String> parameters = new java.util.HashMap<>();
        if (url.group(4) != null) {
            for (String pair : url.group(4).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(pair.substring(0, equals), PostgresDialect.decode(pair.substring(equals + 1)));
                }
            }
        }
        Optional.ofNullable(properties.getProperty("user", parameters.get("user"))).ifPresent(u -> environment.put("PGUSER", u));
        Optional.ofNullable(properties.getProperty("password", parameters.get("password")))
                .ifPresent(p -> environment.put("PGPASSWORD", p));
        Optional.ofNullable(parameters.get("sslmode")).ifPresent(m -> environment.put("PGSSLMODE", m));
        try {
            Process process = dump.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new GearshiftException(ErrorCode.USAGE, "the backup of " + schema + " with " + tool + " failed,"
                        + " so nothing was migrated: " + output);
            }
            requireOnly(schema, file, tool);
        } catch (java.io.IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot run " + tool + " for the backup (install the"
                    + " PostgreSQL client, or set GEARSHIFT_PG_DUMP): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GearshiftException(ErrorCode.USAGE, "the backup was interrupted", e);
        }
    }

    /** Refuses a dump that is not of {@code schema} alone, whatever pg_dump made of its pattern. */
    static void requireOnly(String schema, java.nio.file.Path file, String tool) {
        List<String> dumped;
        try {
            dumped = dumpedSchemas(file);
        } catch (java.io.IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read the backup " + file + " that " + tool
                    + " wrote, so nothing was migrated: " + e.getMessage(), e);
        }
        if (!dumped.equals(List.of(schema))) {
            throw new GearshiftException(ErrorCode.USAGE, "the backup " + file + " made by " + tool + " does not hold"
                    + " schema " + schema + " alone (it creates " + (dumped.isEmpty() ? "no schema" : dumped)
                    + "), so nothing was migrated; it is not a backup of " + schema + ": delete it");
        }
    }

    /**
     * pg_dump's {@code --schema} takes a pattern, where an unquoted name is folded to lower case and {@code *},
     * {@code ?} and {@code .} are special: {@code SecUpper} would dump {@code secupper}. Inside double quotes
     * every character is literal and {@code ""} is one quote, so this matches exactly one schema.
     */
    static String schemaPattern(String schema) {
        return '"' + schema.replace("\"", "\"\"") + '"';
    }

    private static final Pattern CREATE_SCHEMA = Pattern.compile("CREATE SCHEMA (\"(?:[^\"]|\"\")*\"|[^ ;]+);");

    /**
     * The schemas a plain-format dump creates, from its {@code CREATE SCHEMA} lines: pg_dump writes them before
     * any table, so reading stops at the first {@code COPY} (row data could hold any text).
     */
    static List<String> dumpedSchemas(java.nio.file.Path file) throws java.io.IOException {
        List<String> schemas = new java.util.ArrayList<>();
        try (java.io.BufferedReader lines = java.nio.file.Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null && !line.startsWith("COPY "); line = lines.readLine()) {
                Matcher create = CREATE_SCHEMA.matcher(line);
                if (create.matches()) {
                    String name = create.group(1);
                    schemas.add(name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
                            : name);
                }
            }
        }
        return schemas;
    }
}
