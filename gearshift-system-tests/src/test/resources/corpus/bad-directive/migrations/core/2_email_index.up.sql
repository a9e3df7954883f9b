-- Build it without blocking writes.
-- gearshift:no-transacton
CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);
