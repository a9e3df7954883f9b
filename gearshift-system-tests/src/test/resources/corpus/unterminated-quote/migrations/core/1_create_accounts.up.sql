CREATE TABLE accounts (id integer, note text);
