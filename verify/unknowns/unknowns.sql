-- Verify pgattest:unknowns/unknowns on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, valid_from, valid_to, kind, subject, reason, details, resolution,
       system_from, system_to
  FROM unknowns.unknowns WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM periods.periods
                    WHERE table_name = 'unknowns.unknowns'::regclass AND period_name = 'system_time') THEN
        RAISE EXCEPTION 'unknowns.unknowns has no SYSTEM_TIME period';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'unknowns_valid_periods_disjoint'
                    AND conrelid = 'unknowns.unknowns'::regclass AND contype = 'x') THEN
        RAISE EXCEPTION 'unknowns.unknowns lacks the exclusion constraint on valid periods';
    END IF;
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'unknowns.unknowns'::regclass) THEN
        RAISE EXCEPTION 'row-level security is not enabled and forced on unknowns.unknowns';
    END IF;
    IF has_table_privilege('pgattest_app', 'unknowns.unknowns', 'INSERT') THEN
        RAISE EXCEPTION 'pgattest_app must write unknowns only through the unknowns functions';
    END IF;
END
$verify$;

ROLLBACK;
