CREATE TABLE zero (id integer);
