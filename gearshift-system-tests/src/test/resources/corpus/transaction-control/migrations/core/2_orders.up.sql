BEGIN;
CREATE TABLE orders (id integer);
COMMIT;
