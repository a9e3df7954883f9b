package dev.gearshift.jdbc;

import java.util.Properties;

/**
 * A resolved connection target.
 *
 * @param jdbcUrl    the URL handed to the driver, without credentials
 * @param properties driver properties, including {@code user} and {@code password} when given
 * @param display    a masked form of the URL that is safe to print
 */
public record JdbcTarget(String jdbcUrl, Properties properties, String display) {

    public JdbcTarget {
        Properties copy = new Properties();
        copy.putAll(properties);
        properties = copy;
    }

    @Override
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    @Override
    public String toString() {
        return display;
    }
}
