CREATE TABLE invoices (id integer);
