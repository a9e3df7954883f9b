-- gearshift:no-transaction
-- Built without blocking writes to tenants; PostgreSQL cannot do that inside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_email_idx ON tenants (lower(email));
