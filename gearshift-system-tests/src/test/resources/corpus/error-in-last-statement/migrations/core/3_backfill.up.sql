CREATE TABLE invoices (id integer);
INSERT INTO invoices VALUES (1), (2);
INSERT INTO accounts (id, email) VALUES (1, 'a@example.com');
UPDATE orders
   SET account_id = 1
 WHERE acount_id IS NULL;
