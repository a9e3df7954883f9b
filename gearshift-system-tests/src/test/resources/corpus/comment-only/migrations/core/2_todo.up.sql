-- TODO: add the orders table
/* CREATE TABLE orders (id integer); */

