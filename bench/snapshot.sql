-- A catalog snapshot of every schema LIKE :'pattern', one line per fact: "<schema>\t<fact>", the schema's own name
-- replaced by S inside each fact. bench/run hashes the sorted facts of each schema and compares tools.
-- Each tool's own bookkeeping is left out: gearshift_history, flyway_schema_history, databasechangelog,
-- databasechangeloglock, with their indexes, constraints and sequences.
-- psql -X -At -F '	' -v pattern='tenant_%' -f snapshot.sql
WITH ns AS (
    SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE :'pattern'
), tool AS (
    SELECT c.oid FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
    WHERE c.relname IN ('gearshift_history', 'flyway_schema_history', 'databasechangelog', 'databasechangeloglock')
), rel AS (
    SELECT c.oid, c.relname, c.relkind, ns.nspname
    FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
    WHERE c.oid NOT IN (SELECT oid FROM tool)
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid AND i.indrelid IN (SELECT oid FROM tool))
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                      AND d.refobjid IN (SELECT oid FROM tool))
), fn AS (
    SELECT p.oid, p.proname, ns.nspname FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
), facts AS (
    SELECT nspname, 'rel ' || relname || ' ' || relkind::text AS fact FROM rel
    UNION ALL
    SELECT r.nspname, 'col ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    FROM rel r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE r.relkind IN ('r', 'v', 'p')
    UNION ALL
    SELECT r.nspname, 'con ' || r.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
    FROM rel r JOIN pg_catalog.pg_constraint co ON co.conrelid = r.oid
    UNION ALL
    SELECT r.nspname, 'idx ' || pg_get_indexdef(r.oid) FROM rel r WHERE r.relkind = 'i'
    UNION ALL
    SELECT r.nspname, 'view ' || r.relname || ' ' || pg_get_viewdef(r.oid) FROM rel r WHERE r.relkind = 'v'
    UNION ALL
    SELECT r.nspname, 'trg ' || pg_get_triggerdef(t.oid)
    FROM rel r JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
    UNION ALL
    SELECT f.nspname, 'fn ' || f.proname || ' ' || md5(replace(pg_get_functiondef(f.oid), f.nspname || '.', 'S.')) FROM fn f
    UNION ALL
    SELECT r.nspname, 'comment ' || r.relname || '.' || ds.objsubid::text || ' ' || ds.description
    FROM rel r JOIN pg_catalog.pg_description ds ON ds.objoid = r.oid AND ds.classoid = 'pg_class'::regclass
    UNION ALL
    SELECT f.nspname, 'comment ' || f.proname || '() ' || ds.description
    FROM fn f JOIN pg_catalog.pg_description ds ON ds.objoid = f.oid AND ds.classoid = 'pg_proc'::regclass
    UNION ALL
    -- Rows: a count and a hash of every value except timestamps (now() differs from run to run).
    SELECT r.nspname, 'rows ' || r.relname || ' ' || (xpath('/row/h/text()', query_to_xml(format(
               'SELECT count(*) || '' '' || md5(coalesce(string_agg(v, ''|'' ORDER BY v), '''')) AS h'
               || ' FROM (SELECT concat_ws('','', %s) AS v FROM %I.%I) x',
               (SELECT string_agg(quote_ident(a.attname) || '::text', ', ' ORDER BY a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.atttypid NOT IN ('timestamptz'::regtype, 'timestamp'::regtype)),
               r.nspname, r.relname), false, true, '')))[1]::text
    FROM rel r WHERE r.relkind = 'r'
)
SELECT nspname, replace(replace(fact, nspname || '.', 'S.'), E'\n', ' ') FROM facts ORDER BY 1, 2;
