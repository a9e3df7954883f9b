CREATE TABLE accounts (id integer, email text);
