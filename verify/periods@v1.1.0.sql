-- Verify pgattest:periods on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'periods') THEN
        RAISE EXCEPTION 'extension periods is not installed (Debian package postgresql-15-periods)';
    END IF;
END
$verify$;

ROLLBACK;
