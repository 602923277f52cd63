-- Verify pgattest:btree_gist on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'btree_gist') THEN
        RAISE EXCEPTION 'extension btree_gist is not installed';
    END IF;
END
$verify$;

ROLLBACK;
