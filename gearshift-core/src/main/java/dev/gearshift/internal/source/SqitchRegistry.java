package dev.gearshift.internal.source;

import dev.gearshift.internal.model.Migration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Sqitch's PostgreSQL registry (schema {@code sqitch}, or the one sqitch.conf names; release 1.1), kept as {@code sqitch deploy} and
 * {@code sqitch revert} keep it, so that Sqitch's own {@code status}, {@code verify} and {@code deploy} see what
 * Gearshift applied. A deployed change gets its {@code changes} row, its {@code dependencies}, the {@code tags}
 * planned right after it and a {@code deploy} event; a reverted one loses them and gets a {@code revert} event.
 * Change and tag ids are Sqitch's: SHA-1 over the planned line's details and its parent's id
 * (App::Sqitch::Plan::Change's {@code info}), so they are what Sqitch computes from the same plan. The committer is
 * the database user, at the client's host, as Sqitch's default is the system user at the host name.
 */
final class SqitchRegistry {

    private static final String NAME = "([^\\s\\[@#:\\\\]+)";
    private static final String PLANNED = "(?:(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)\\s*)?(?:([^<]+)[ \\t]+<([^>]+)>)?";
    private static final Pattern CHANGE = Pattern.compile("\\s*(?:[+-]\\s*)?" + NAME + "\\s*(?:\\[([^\\]]+)\\]\\s*)?" + PLANNED);
    private static final Pattern TAG = Pattern.compile("\\s*@" + NAME + "\\s*" + PLANNED);
    private static final Pattern PRAGMA = Pattern.compile("\\s*%\\s*([^\\s=]+)\\s*=\\s*(.+?)\\s*");
    /** How a plan escapes a note's line breaks and backslashes. */
    private static final Pattern ESCAPE = Pattern.compile("\\\\([\\\\nr])");
    private static final String COMMITTER = "current_user";
    private static final String COMMITTER_EMAIL = "current_user || '@' || coalesce(host(inet_client_addr()), 'localhost')";

    /** A tag or change line's details: when and by whom it was planned, and its note. */
    record Planned(String name, List<String> requires, List<String> conflicts, String at, String planner,
                   String email, String note) {
    }

    /** A change as planned, with the tags planned right after it, and its deploy script's SHA-1. */
    record Change(Planned line, List<Planned> tags, String scriptHash) {
    }

    /** Sqitch's registry schema when sqitch.conf names no other ({@code registry}). */
    static final String SCHEMA = dev.gearshift.internal.model.MigrationSet.SQITCH_REGISTRY;

    private SqitchRegistry() {
    }

    /** A registry's schema as an identifier: quoted, as Sqitch names it (its names are checked by {@link SqitchLayout}). */
    private static String quoted(String registry) {
        return "\"" + registry.replace("\"", "\"\"") + "\"";
    }

    /** A plan's pragma ({@code %project=flipr}, {@code %uri=...}), if declared. */
    static Optional<String> pragma(String plan, String name) {
        return plan.lines().map(PRAGMA::matcher).filter(m -> m.matches() && m.group(1).equals(name))
                .map(m -> m.group(2)).findFirst();
    }

    /**
     * A change or tag line read as Sqitch reads it: the note after the first {@code #}, trimmed and unescaped; empty
     * when the line lacks the timestamp or the planner, which Sqitch requires.
     */
    static Optional<Planned> parse(String line) {
        int hash = line.indexOf('#');
        String body = hash < 0 ? line : line.substring(0, hash);
        String note = hash < 0 ? "" : ESCAPE.matcher(line.substring(hash + 1).strip()).replaceAll(e -> Matcher
                .quoteReplacement(e.group(1).equals("n") ? "\n" : e.group(1).equals("r") ? "\r" : "\\"));
        Matcher m = (body.strip().startsWith("@") ? TAG : CHANGE).matcher(body.stripTrailing());
        if (!m.matches() || m.group(m.groupCount() - 2) == null || m.group(m.groupCount() - 1) == null) {
            return Optional.empty();
        }
        List<String> requires = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        if (m.pattern() == CHANGE && m.group(2) != null) {
            for (String dependency : m.group(2).strip().split("[ \\t]+")) {
                if (dependency.startsWith("!")) {
                    conflicts.add(dependency.substring(1));
                } else {
                    requires.add(dependency);
                }
            }
        }
        int g = m.groupCount();
        return Optional.of(new Planned(m.group(1), requires, conflicts, m.group(g - 2), m.group(g - 1), m.group(g),
                note));
    }

    /**
     * The migrations, each up also recording its change in the registry (creating the registry first if it is
     * missing), each down removing it; {@code planned} holds every change of the plan in order, so that each id
     * chains to its parent's.
     */
    static List<Migration> keep(List<Migration> migrations, String registry, String project, Optional<String> uri,
                                List<Change> planned) {
        String r = quoted(registry);
        Map<String, List<String>> deploys = new HashMap<>();
        Map<String, List<String>> reverts = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        Optional<String> parent = Optional.empty();
        for (Change change : planned) {
            String id = changeId(project, uri, change.line(), parent);
            ids.put(change.line().name(), id);
            deploys.put(change.line().name(), deploy(r, project, uri, change, id, ids));
            reverts.put(change.line().name(), revert(r, project, change));
            parent = Optional.of(id);
        }
        return migrations.stream().map(m -> deploys.containsKey(m.name())
                ? ToolHistory.keep(m, deploys.get(m.name()), reverts.get(m.name())) : m).toList();
    }

    /** Sqitch's change id: SHA-1 of {@code "change <length>\0"} and the change's info. */
    static String changeId(String project, Optional<String> uri, Planned change, Optional<String> parent) {
        StringBuilder info = new StringBuilder(head(project, uri)).append("change ").append(change.name()).append('\n');
        parent.ifPresent(p -> info.append("parent ").append(p).append('\n'));
        info.append("planner ").append(change.planner()).append(" <").append(change.email()).append(">\n")
                .append("date ").append(change.at());
        if (!change.requires().isEmpty()) {
            info.append("\nrequires\n  + ").append(String.join("\n  + ", change.requires()));
        }
        if (!change.conflicts().isEmpty()) {
            info.append("\nconflicts\n  - ").append(String.join("\n  - ", change.conflicts()));
        }
        return sha1("change", note(info, change.note()));
    }

    /** Sqitch's tag id: SHA-1 of {@code "tag <length>\0"} and the tag's info, which names its change's id. */
    static String tagId(String project, Optional<String> uri, Planned tag, String changeId) {
        StringBuilder info = new StringBuilder(head(project, uri)).append("tag @").append(tag.name()).append('\n')
                .append("change ").append(changeId).append('\n')
                .append("planner ").append(tag.planner()).append(" <").append(tag.email()).append(">\n")
                .append("date ").append(tag.at());
        return sha1("tag", note(info, tag.note()));
    }

    private static String head(String project, Optional<String> uri) {
        return "project " + project + "\n" + uri.map(u -> "uri " + canonical(u) + "\n").orElse("");
    }

    /** Perl's truth: a note of "0" is no note, to Sqitch. */
    private static String note(StringBuilder info, String note) {
        return note.isEmpty() || note.equals("0") ? info.toString() : info.append("\n\n").append(note).toString();
    }

    private static String sha1(String kind, String info) {
        byte[] content = info.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (kind + " " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(prefix, prefix.length + content.length);
        System.arraycopy(content, 0, all, prefix.length, content.length);
        return SqitchLayout.scriptHash(all);
    }

    /**
     * Perl's URI canonical form, for the usual URIs: lower-case scheme and host, no default port, and {@code /} as
     * the path of an http(s) URI without one.
     */
    static String canonical(String uri) {
        try {
            URI u = new URI(uri);
            if (u.getScheme() == null || u.getHost() == null) {
                return u.getScheme() == null ? uri
                        : u.getScheme().toLowerCase(Locale.ROOT) + uri.substring(u.getScheme().length());
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            boolean defaultPort = scheme.equals("http") && u.getPort() == 80 || scheme.equals("https") && u.getPort() == 443;
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            return scheme + "://" + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
                    + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 || defaultPort ? "" : ":" + u.getPort())
                    + (path.isEmpty() && web ? "/" : path)
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                    + (u.getRawFragment() == null ? "" : "#" + u.getRawFragment());
        } catch (URISyntaxException e) {
            return uri;
        }
    }

    private static List<String> deploy(String r, String project, Optional<String> uri, Change change, String id,
                                       Map<String, String> ids) {
        Planned line = change.line();
        String p = literal(project);
        List<String> sql = new ArrayList<>(registry(r));
        sql.add("INSERT INTO " + r + ".projects (project, uri, creator_name, creator_email) SELECT " + p + ", "
                + uri.map(SqitchRegistry::literal).orElse("NULL") + ", " + COMMITTER + ", " + COMMITTER_EMAIL
                + " WHERE NOT EXISTS (SELECT 1 FROM " + r + ".projects WHERE project = " + p + ")");
        sql.add("INSERT INTO " + r + ".changes (change_id, script_hash, change, project, note, committer_name,"
                + " committer_email, planned_at, planner_name, planner_email, committed_at) VALUES (" + literal(id)
                + ", " + literal(change.scriptHash()) + ", " + literal(line.name()) + ", " + p + ", "
                + literal(line.note()) + ", " + COMMITTER + ", " + COMMITTER_EMAIL + ", " + planned(line)
                + ", clock_timestamp())");
        for (String required : line.requires()) {
            String name = required.replaceFirst("@.*$", "");
            // Sqitch resolves a requirement to the change deployed under that name (the plan's id if in the same run)
            sql.add("INSERT INTO " + r + ".dependencies (change_id, type, dependency, dependency_id) VALUES ("
                    + literal(id) + ", 'require', " + literal(required) + ", coalesce((SELECT change_id FROM"
                    + " " + r + ".changes WHERE project = " + p + " AND change = " + literal(name) + " ORDER BY"
                    + " committed_at LIMIT 1), " + literal(ids.getOrDefault(name, "")) + "))");
        }
        for (String conflict : line.conflicts()) {
            sql.add("INSERT INTO " + r + ".dependencies (change_id, type, dependency, dependency_id) VALUES ("
                    + literal(id) + ", 'conflict', " + literal(conflict) + ", NULL)");
        }
        for (Planned tag : change.tags()) {
            sql.add("INSERT INTO " + r + ".tags (tag_id, tag, project, change_id, note, committer_name, committer_email,"
                    + " planned_at, planner_name, planner_email, committed_at) VALUES ("
                    + literal(tagId(project, uri, tag, id)) + ", " + literal("@" + tag.name()) + ", " + p + ", "
                    + literal(id) + ", " + literal(tag.note()) + ", " + COMMITTER + ", " + COMMITTER_EMAIL + ", "
                    + planned(tag) + ", clock_timestamp())");
        }
        sql.add("INSERT INTO " + r + ".events (event, change_id, change, project, note, tags, requires, conflicts,"
                + " committer_name, committer_email, planned_at, planner_name, planner_email, committed_at) VALUES"
                + " ('deploy', " + literal(id) + ", " + literal(line.name()) + ", " + p + ", " + literal(line.note())
                + ", " + array(change.tags().stream().map(t -> "@" + t.name()).toList()) + ", "
                + array(line.requires()) + ", " + array(line.conflicts()) + ", " + COMMITTER + ", " + COMMITTER_EMAIL
                + ", " + planned(line) + ", clock_timestamp())");
        return sql;
    }

    /**
     * As Sqitch's revert: the event names the tags and dependencies the registry held, then the change's tags and
     * row go (its dependencies with it). The change is found by name: the plan refuses reworks, so it is unique.
     */
    private static List<String> revert(String r, String project, Change change) {
        Planned line = change.line();
        String p = literal(project);
        List<String> sql = new ArrayList<>(registry(r));
        sql.add("INSERT INTO " + r + ".events (event, change_id, change, project, note, tags, requires, conflicts,"
                + " committer_name, committer_email, planned_at, planner_name, planner_email, committed_at)"
                + " SELECT 'revert', c.change_id, c.change, c.project, " + literal(line.note()) + ","
                + " ARRAY(SELECT tag FROM " + r + ".tags WHERE change_id = c.change_id),"
                + " ARRAY(SELECT dependency FROM " + r + ".dependencies WHERE change_id = c.change_id AND type = 'require'),"
                + " ARRAY(SELECT dependency FROM " + r + ".dependencies WHERE change_id = c.change_id AND type = 'conflict'),"
                + " " + COMMITTER + ", " + COMMITTER_EMAIL + ", " + planned(line) + ", clock_timestamp()"
                + " FROM " + r + ".changes c WHERE c.project = " + p + " AND c.change = " + literal(line.name()));
        String ids = "(SELECT change_id FROM " + r + ".changes WHERE project = " + p + " AND change = "
                + literal(line.name()) + ")";
        sql.add("DELETE FROM " + r + ".tags WHERE change_id IN " + ids);
        sql.add("DELETE FROM " + r + ".changes WHERE change_id IN " + ids);
        return sql;
    }

    private static String planned(Planned line) {
        return "timestamptz " + literal(line.at()) + ", " + literal(line.planner()) + ", " + literal(line.email());
    }

    private static String array(List<String> values) {
        return values.stream().map(SqitchRegistry::literal).collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
    }

    /** An escape string, so that a note's backslashes stay as they are whatever standard_conforming_strings says. */
    private static String literal(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * Sqitch's registry DDL (its pg.sql, registry release 1.1), run only where the registry is missing, with the
     * release row {@code sqitch deploy} writes when it creates it.
     */
    private static List<String> registry(String r) {
        return List.of("DO $registry$ BEGIN IF to_regclass('" + r + ".changes') IS NULL THEN\n"
                + "CREATE SCHEMA IF NOT EXISTS " + r + ";\n"
                + "COMMENT ON SCHEMA " + r + " IS 'Sqitch database deployment metadata v1.1.';\n"
                + "CREATE TABLE " + r + ".releases (version REAL PRIMARY KEY, installed_at TIMESTAMPTZ NOT NULL DEFAULT"
                + " clock_timestamp(), installer_name TEXT NOT NULL, installer_email TEXT NOT NULL);\n"
                + "CREATE TABLE " + r + ".projects (project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE, created_at TIMESTAMPTZ"
                + " NOT NULL DEFAULT clock_timestamp(), creator_name TEXT NOT NULL, creator_email TEXT NOT NULL);\n"
                + "CREATE TABLE " + r + ".changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT NULL,"
                + " project TEXT NOT NULL REFERENCES " + r + ".projects(project) ON UPDATE CASCADE, note TEXT NOT NULL"
                + " DEFAULT '', committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT"
                + " NULL, committer_email TEXT NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL,"
                + " planner_email TEXT NOT NULL, UNIQUE(project, script_hash));\n"
                + "CREATE TABLE " + r + ".tags (tag_id TEXT PRIMARY KEY, tag TEXT NOT NULL, project TEXT NOT NULL"
                + " REFERENCES " + r + ".projects(project) ON UPDATE CASCADE, change_id TEXT NOT NULL REFERENCES"
                + " " + r + ".changes(change_id) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '', committed_at"
                + " TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL, committer_email TEXT"
                + " NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT"
                + " NULL, UNIQUE(project, tag));\n"
                + "CREATE TABLE " + r + ".dependencies (change_id TEXT NOT NULL REFERENCES " + r + ".changes(change_id) ON"
                + " UPDATE CASCADE ON DELETE CASCADE, type TEXT NOT NULL, dependency TEXT NOT NULL, dependency_id TEXT"
                + " NULL REFERENCES " + r + ".changes(change_id) ON UPDATE CASCADE CONSTRAINT dependencies_check CHECK"
                + " ((type = 'require' AND dependency_id IS NOT NULL) OR (type = 'conflict' AND dependency_id IS"
                + " NULL)), PRIMARY KEY (change_id, dependency));\n"
                + "CREATE TABLE " + r + ".events (event TEXT NOT NULL CONSTRAINT events_event_check CHECK (event IN"
                + " ('deploy', 'revert', 'fail', 'merge')), change_id TEXT NOT NULL, change TEXT NOT NULL, project TEXT"
                + " NOT NULL REFERENCES " + r + ".projects(project) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '',"
                + " requires TEXT[] NOT NULL DEFAULT '{}', conflicts TEXT[] NOT NULL DEFAULT '{}', tags TEXT[] NOT"
                + " NULL DEFAULT '{}', committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name"
                + " TEXT NOT NULL, committer_email TEXT NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT"
                + " NOT NULL, planner_email TEXT NOT NULL, PRIMARY KEY (change_id, committed_at));\n"
                + "INSERT INTO " + r + ".releases (version, installer_name, installer_email) VALUES (1.1, " + COMMITTER
                + ", " + COMMITTER_EMAIL + ");\n"
                + "END IF; END $registry$");
    }
}
