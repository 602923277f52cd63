-- Verify pgattest:health/set_threshold on pg

BEGIN;

DO $verify$
BEGIN
    IF (health.set_threshold('queue:dead', 2, 3)).warn_above IS DISTINCT FROM 2::float8 THEN
        RAISE EXCEPTION 'health.set_threshold() does not store the threshold';
    END IF;
    IF NOT has_function_privilege('pgattest_admin', 'health.set_threshold(text, double precision, double precision)', 'EXECUTE')
       OR has_function_privilege('pgattest_monitor', 'health.set_threshold(text, double precision, double precision)', 'EXECUTE') THEN
        RAISE EXCEPTION 'health.set_threshold() is for pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
