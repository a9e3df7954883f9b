package dev.gearshift.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a database of its own, migrated to the latest version: a {@link GearshiftDatabase}, a
 * {@link javax.sql.DataSource} or a {@link dev.gearshift.Gearshift} parameter reaches it. The migrations run once per
 * test run into a template database, which each class then gets a copy of ({@code CREATE DATABASE ... TEMPLATE}).
 * The server is the one at {@code GEARSHIFT_TEST_PG_URL} (a JDBC URL of a user who may create databases), else an
 * embedded PostgreSQL started once for the run.
 *
 * <pre>{@code
 * @GearshiftTest(project = "src/main/resources/db")      // or migrations = "classpath:db/migrations"
 * class OrdersTest {
 *     @Test
 *     void savesAnOrder(DataSource dataSource) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(GearshiftExtension.class)
public @interface GearshiftTest {

    /** A {@code gearshift.yaml}, or the directory holding one (modules, placeholders, schema); empty: none. */
    String project() default "";

    /**
     * Where the migrations are: {@code classpath:db/migrations} or a directory. Empty: the project's, or
     * {@code classpath:db/migrations} when no project is given.
     */
    String migrations() default "";

    /** The schema migrated; empty: the project's, else the connection's ({@code public}). */
    String schema() default "";

    /** Placeholders as {@code name=value}, over the project's. */
    String[] placeholders() default {};
}
