CREATE TABLE payments (id integer);
