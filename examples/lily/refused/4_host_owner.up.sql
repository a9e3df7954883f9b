-- Not a patch: a new column on an existing table, even nullable, changes what major 0 instances read
-- (SELECT * grows). Copied into v0/patches by the tests, and refused there. It belongs in a new major.
ALTER TABLE hosts ADD COLUMN owner text;
