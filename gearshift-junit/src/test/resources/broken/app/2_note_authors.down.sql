-- forgets the index the up made
ALTER TABLE notes DROP COLUMN author;
