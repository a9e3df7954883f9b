-- The application role is shared by every tenant schema, so it is created once per server; tenants migrated
-- in parallel may race to create it, and the loser of the race carries on.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${app_role}') THEN
        CREATE ROLE ${app_role} NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE VIEW tenant_directory AS
    SELECT t.id, t.slug, t.plan_code, p.name AS plan_name, t.email
    FROM tenants t JOIN plans p ON p.code = t.plan_code;

-- Column grants: the application may list tenants but never read their e-mail addresses.
GRANT SELECT (id, slug, plan_code, plan_name) ON tenant_directory TO ${app_role};
