package dev.gearshift.internal.engine;

import dev.gearshift.spi.SqlStatement;
import java.util.Map;

/** Replaces {@code ${name}} with configured values; names that are not configured are left as written. */
final class Placeholders {

    private Placeholders() {
    }

    static String apply(String text, Map<String, String> values) {
        if (values.isEmpty() || !text.contains("${")) {
            return text;
        }
        String result = text;
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.replace("${" + value.getKey() + "}", value.getValue());
        }
        return result;
    }

    static SqlStatement apply(SqlStatement statement, Map<String, String> values) {
        String sql = apply(statement.sql(), values);
        return sql.equals(statement.sql()) ? statement
                : new SqlStatement(sql, statement.line(), statement.column(), statement.copyData());
    }
}
