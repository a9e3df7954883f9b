package dev.gearshift.diff.internal;

/**
 * {@code CREATE COLLATION}. PostgreSQL cannot alter one (only refresh its version, which follows the operating
 * system's libraries and is not compared), so any change replaces it.
 *
 * @param provider      {@code libc}, {@code icu} or {@code builtin}
 * @param locale        the ICU or builtin locale, or null for libc
 * @param lcCollate     libc's LC_COLLATE, or null for the other providers
 * @param lcCtype       libc's LC_CTYPE, or null for the other providers
 * @param deterministic false for an ICU collation that compares unequal strings as equal
 * @param rules         ICU tailoring rules (PostgreSQL 16 and later), or null
 */
public record Collation(String name, String provider, String locale, String lcCollate, String lcCtype,
                        boolean deterministic, String rules, String comment) implements DbObject {

    @Override
    public Key key() {
        return Key.of(Kind.COLLATION, name);
    }

    public String createStatement() {
        StringBuilder text = new StringBuilder("CREATE COLLATION " + Sql.ident(name) + " (provider = " + provider);
        if (locale != null) {
            text.append(", locale = ").append(Sql.literal(locale));
        }
        if (lcCollate != null) {
            text.append(", lc_collate = ").append(Sql.literal(lcCollate));
        }
        if (lcCtype != null) {
            text.append(", lc_ctype = ").append(Sql.literal(lcCtype));
        }
        if (!deterministic) {
            text.append(", deterministic = false");
        }
        if (rules != null) {
            text.append(", rules = ").append(Sql.literal(rules));
        }
        return text.append(')').toString();
    }
}
