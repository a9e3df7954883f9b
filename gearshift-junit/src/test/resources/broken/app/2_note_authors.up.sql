ALTER TABLE notes ADD COLUMN author text;
CREATE INDEX notes_body_idx ON notes (body);
