-- The closing tag is misspelled.
CREATE FUNCTION count_accounts() RETURNS bigint
    LANGUAGE sql AS $body$
    SELECT count(*) FROM accounts;
$bod$;
