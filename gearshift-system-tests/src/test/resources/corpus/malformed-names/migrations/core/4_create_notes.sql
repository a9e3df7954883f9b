CREATE TABLE notes (id integer);
