DROP TRIGGER tenants_normalize ON tenants;
DROP FUNCTION tenants_normalize();
DROP FUNCTION normalize_slug(text);
DROP TABLE tenants;
