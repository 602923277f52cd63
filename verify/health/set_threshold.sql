-- Verify pgattest:health/set_threshold on pg

BEGIN;

DO $verify$
BEGIN
    IF (health.set_threshold('queue:dead', 2, 3)).warn_above IS DISTINCT FROM 2::float8 THEN
        RAISE EXCEPTION 'health.set_threshold() does not store the threshold';
    END IF;
    -- Where lower is worse, warn is at least fail.
    IF (health.set_threshold('transparencyLog:lastConsistencyFailureAge', 7200, 3600)).fail_above IS DISTINCT FROM 3600::float8 THEN
        RAISE EXCEPTION 'health.set_threshold() does not store the bounds of a check where lower is worse';
    END IF;
    IF NOT has_function_privilege('pgattest_admin', 'health.set_threshold(text, double precision, double precision)', 'EXECUTE')
       OR has_function_privilege('pgattest_monitor', 'health.set_threshold(text, double precision, double precision)', 'EXECUTE') THEN
        RAISE EXCEPTION 'health.set_threshold() is for pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
