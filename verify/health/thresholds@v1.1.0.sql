-- Verify pgattest:health/thresholds on pg

BEGIN;

DO $verify$
BEGIN
    PERFORM check_key, warn_above, fail_above, unit, description, updated_at, updated_by FROM health.thresholds WHERE false;
    IF NOT EXISTS (SELECT FROM health.thresholds WHERE check_key = 'queue:dead') THEN
        RAISE EXCEPTION 'health.thresholds lacks its default rows';
    END IF;
    IF has_table_privilege('pgattest_app', 'health.thresholds', 'SELECT') OR has_table_privilege('public', 'health.thresholds', 'SELECT') THEN
        RAISE EXCEPTION 'health.thresholds is for monitors and admins only';
    END IF;
END
$verify$;

ROLLBACK;
