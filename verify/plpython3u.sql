-- Verify pgattest:plpython3u on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_language WHERE lanname = 'plpython3u') THEN
        RAISE EXCEPTION 'language plpython3u is not installed';
    END IF;
END
$verify$;

ROLLBACK;
