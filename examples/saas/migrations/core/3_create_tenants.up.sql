CREATE TABLE tenants (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE,
    plan_code  text NOT NULL REFERENCES plans (code),
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- "Hello World; Inc." -> 'hello-world-inc'. The body is dollar-quoted, so its semicolons
-- and quotes belong to the function, not to the script.
CREATE FUNCTION normalize_slug(raw text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN trim(both '-' from regexp_replace(lower(trim(raw)), '[^a-z0-9]+', '-', 'g'));
END;
$$;

CREATE FUNCTION tenants_normalize() RETURNS trigger
    LANGUAGE plpgsql AS $body$
BEGIN
    NEW.slug := normalize_slug(NEW.slug);  -- never store "Acme; Inc" as typed
    RETURN NEW;
END;
$body$;

CREATE TRIGGER tenants_normalize BEFORE INSERT OR UPDATE OF slug ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_normalize();
