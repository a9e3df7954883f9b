-- The plans a tenant can subscribe to.
CREATE TABLE plans (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    features    jsonb NOT NULL DEFAULT '{}'
);

COMMENT ON TABLE plans IS 'Subscription plans; see 2_seed_plans for the rows';
