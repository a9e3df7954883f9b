CREATE TABLE products (
    sku text PRIMARY KEY,
    name text NOT NULL,
    price_cents int NOT NULL CHECK (price_cents >= 0),
    currency text NOT NULL DEFAULT '${currency}'
);
INSERT INTO products (sku, name, price_cents) VALUES ('GS-1', 'Gearbox', 4900), ('GS-2', 'Clutch', 1900);
