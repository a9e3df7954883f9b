-- Northwind Traders, after Microsoft's sample database as ported to PostgreSQL: structure only, written for
-- Gearshift's tests. Unqualified names: it loads into whatever schema is first on the search path.

CREATE TABLE categories (
    category_id smallint PRIMARY KEY,
    category_name character varying(15) NOT NULL,
    description text,
    picture bytea
);

CREATE TABLE customer_demographics (
    customer_type_id character varying(5) PRIMARY KEY,
    customer_desc text
);

CREATE TABLE customers (
    customer_id character varying(5) PRIMARY KEY,
    company_name character varying(40) NOT NULL,
    contact_name character varying(30),
    contact_title character varying(30),
    address character varying(60),
    city character varying(15),
    region character varying(15),
    postal_code character varying(10),
    country character varying(15),
    phone character varying(24),
    fax character varying(24)
);

CREATE TABLE customer_customer_demo (
    customer_id character varying(5) NOT NULL REFERENCES customers,
    customer_type_id character varying(5) NOT NULL REFERENCES customer_demographics,
    PRIMARY KEY (customer_id, customer_type_id)
);

CREATE TABLE employees (
    employee_id smallint PRIMARY KEY,
    last_name character varying(20) NOT NULL,
    first_name character varying(10) NOT NULL,
    title character varying(30),
    title_of_courtesy character varying(25),
    birth_date date,
    hire_date date,
    address character varying(60),
    city character varying(15),
    region character varying(15),
    postal_code character varying(10),
    country character varying(15),
    home_phone character varying(24),
    extension character varying(4),
    photo bytea,
    notes text,
    reports_to smallint REFERENCES employees,
    photo_path character varying(255),
    CONSTRAINT employees_hired_after_birth CHECK (hire_date > birth_date)
);

CREATE TABLE region (
    region_id smallint PRIMARY KEY,
    region_description character(50) NOT NULL
);

CREATE TABLE territories (
    territory_id character varying(20) PRIMARY KEY,
    territory_description character(50) NOT NULL,
    region_id smallint NOT NULL REFERENCES region
);

CREATE TABLE employee_territories (
    employee_id smallint NOT NULL REFERENCES employees,
    territory_id character varying(20) NOT NULL REFERENCES territories,
    PRIMARY KEY (employee_id, territory_id)
);

CREATE TABLE shippers (
    shipper_id smallint PRIMARY KEY,
    company_name character varying(40) NOT NULL,
    phone character varying(24)
);

CREATE TABLE suppliers (
    supplier_id smallint PRIMARY KEY,
    company_name character varying(40) NOT NULL,
    contact_name character varying(30),
    contact_title character varying(30),
    address character varying(60),
    city character varying(15),
    region character varying(15),
    postal_code character varying(10),
    country character varying(15),
    phone character varying(24),
    fax character varying(24),
    homepage text
);

CREATE TABLE products (
    product_id smallint PRIMARY KEY,
    product_name character varying(40) NOT NULL,
    supplier_id smallint REFERENCES suppliers,
    category_id smallint REFERENCES categories,
    quantity_per_unit character varying(20),
    unit_price real DEFAULT 0 CHECK (unit_price >= 0),
    units_in_stock smallint DEFAULT 0,
    units_on_order smallint DEFAULT 0,
    reorder_level smallint DEFAULT 0,
    discontinued integer NOT NULL
);
CREATE INDEX products_name ON products (product_name);

CREATE TABLE orders (
    order_id smallint PRIMARY KEY,
    customer_id character varying(5) REFERENCES customers,
    employee_id smallint REFERENCES employees,
    order_date date,
    required_date date,
    shipped_date date,
    ship_via smallint REFERENCES shippers,
    freight real,
    ship_name character varying(40),
    ship_address character varying(60),
    ship_city character varying(15),
    ship_region character varying(15),
    ship_postal_code character varying(10),
    ship_country character varying(15)
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_shipped ON orders (shipped_date) WHERE shipped_date IS NOT NULL;

CREATE TABLE order_details (
    order_id smallint NOT NULL REFERENCES orders ON DELETE CASCADE,
    product_id smallint NOT NULL REFERENCES products,
    unit_price real NOT NULL,
    quantity smallint NOT NULL CHECK (quantity > 0),
    discount real NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 1),
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE us_states (
    state_id smallint PRIMARY KEY,
    state_name character varying(100),
    state_abbr character varying(2) UNIQUE,
    state_region character varying(50)
);

COMMENT ON TABLE order_details IS 'One line of an order';
COMMENT ON COLUMN products.discontinued IS '1 when no longer sold';

CREATE VIEW order_subtotals AS
    SELECT order_id, sum(unit_price * quantity * (1 - discount)) AS subtotal
    FROM order_details
    GROUP BY order_id;

CREATE VIEW products_above_average_price AS
    SELECT product_name, unit_price FROM products
    WHERE unit_price > (SELECT avg(unit_price) FROM products);

CREATE FUNCTION order_total(p_order smallint) RETURNS double precision LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT sum(unit_price * quantity * (1 - discount)) FROM order_details WHERE order_id = p_order;
END;

CREATE VIEW invoices AS
    SELECT o.order_id, c.company_name AS customer, e.first_name || ' ' || e.last_name AS salesperson,
           o.shipped_date, s.company_name AS shipper, order_total(o.order_id) AS total
    FROM orders o
    JOIN customers c ON c.customer_id = o.customer_id
    JOIN employees e ON e.employee_id = o.employee_id
    JOIN shippers s ON s.shipper_id = o.ship_via;

GRANT SELECT ON invoices TO gs_reader;
GRANT SELECT, INSERT, UPDATE ON orders, order_details TO gs_writer;
GRANT SELECT (customer_id, company_name, city, country) ON customers TO gs_reader;
