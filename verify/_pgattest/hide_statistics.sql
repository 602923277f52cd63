-- Verify pgattest:_pgattest/hide_statistics on pg

BEGIN;

SELECT '_pgattest.hide_statistics(regclass)'::regprocedure;

DO $verify$
DECLARE
    leaking text;
BEGIN
    SELECT string_agg(format('%s.%s', a.attrelid::regclass, a.attname), ', ') INTO leaking
      FROM pg_policy p JOIN pg_attribute a ON a.attrelid = p.polrelid
     WHERE p.polname = 'tenant_isolation' AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> 0;
    IF leaking IS NOT NULL THEN
        RAISE EXCEPTION 'tenant-table columns with planner statistics: %', left(leaking, 200);
    END IF;
    IF has_function_privilege('public', '_pgattest.hide_statistics(regclass)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.hide_statistics must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
