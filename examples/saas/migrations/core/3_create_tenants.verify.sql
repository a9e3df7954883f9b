-- Fails (raises) unless the table and the slug function work as intended.
SELECT id, slug, plan_code, email, created_at FROM tenants WHERE false;
DO $$
BEGIN
    IF normalize_slug('  Hello World; Inc. ') <> 'hello-world-inc' THEN
        RAISE EXCEPTION 'normalize_slug is broken: %', normalize_slug('  Hello World; Inc. ');
    END IF;
END
$$;
