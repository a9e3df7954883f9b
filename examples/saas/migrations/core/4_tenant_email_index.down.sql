-- gearshift:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS tenants_email_idx;
