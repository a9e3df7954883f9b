INSERT INTO accounts VALUES (1, 'it''s fine');
INSERT INTO accounts VALUES (2, 'never closed);
CREATE TABLE later (id integer);
