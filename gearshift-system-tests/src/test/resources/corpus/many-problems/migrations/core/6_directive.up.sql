-- gearshift:sett lock_timeout=1s
CREATE TABLE d (id integer);
