CREATE TABLE accounts (id bigint, email text);
