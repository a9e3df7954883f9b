ALTER TABLE notes ADD COLUMN author text NOT NULL DEFAULT 'anonymous';
CREATE INDEX notes_author_idx ON notes (author);
