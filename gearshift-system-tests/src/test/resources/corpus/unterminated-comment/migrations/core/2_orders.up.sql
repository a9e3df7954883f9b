CREATE TABLE orders (id integer);
/* Orders keep their accounts.
   /* nested comments need their own end */
   but this one has none
ALTER TABLE orders ADD COLUMN account_id integer;
