-- Seed data, loaded the way pg_dump writes it (tab-separated, \N for NULL).
COPY plans (code, name, price_cents) FROM stdin;
free	Free	0
team	Team; up to 10 seats	2900
business	Business "Pro"	9900
\.
