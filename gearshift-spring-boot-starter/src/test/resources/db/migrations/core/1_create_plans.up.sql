CREATE TABLE plans (code text PRIMARY KEY, seats int NOT NULL);
INSERT INTO plans VALUES ('free', 1), ('team', ${team_seats});
