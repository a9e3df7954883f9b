CREATE TABLE orders (id integer, account_id integer REFERENCES accounts);
