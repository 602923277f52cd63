-- Verify pgattest:proofchain/rfc6962_leaf_hash on pg

BEGIN;

DO $verify$
BEGIN
    IF encode(proofchain.rfc6962_leaf_hash(''), 'hex') <> '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d' THEN
        RAISE EXCEPTION 'rfc6962_leaf_hash of the empty string is wrong';
    END IF;
END
$verify$;

ROLLBACK;
