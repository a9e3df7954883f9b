CREATE TABLE loose (id integer);
