-- Verify pgattest:unknowns/unknowns on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, valid_from, valid_to, kind, subject, reason, details, resolution,
       system_from, system_to
  FROM unknowns.unknowns WHERE false;
SELECT id, tenant_id, valid_from, valid_to, system_from, system_to FROM unknowns.unknowns_history WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM periods.system_versioning
                    WHERE table_name = 'unknowns.unknowns'::regclass
                      AND history_table_name = 'unknowns.unknowns_history'::regclass) THEN
        RAISE EXCEPTION 'unknowns.unknowns is not system-versioned into unknowns.unknowns_history';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'unknowns_valid_periods_disjoint'
                    AND conrelid = 'unknowns.unknowns'::regclass AND contype = 'x') THEN
        RAISE EXCEPTION 'unknowns.unknowns lacks the exclusion constraint on valid periods';
    END IF;
    IF EXISTS (SELECT FROM pg_class WHERE oid IN ('unknowns.unknowns'::regclass, 'unknowns.unknowns_history'::regclass)
                AND NOT (relrowsecurity AND relforcerowsecurity)) THEN
        RAISE EXCEPTION 'row-level security is not enabled and forced on unknowns.unknowns and its history';
    END IF;
    IF has_table_privilege('pgattest_app', 'unknowns.unknowns', 'INSERT')
       OR has_table_privilege('pgattest_app', 'unknowns.unknowns_history', 'INSERT') THEN
        RAISE EXCEPTION 'pgattest_app must write unknowns only through the unknowns functions';
    END IF;
END
$verify$;

ROLLBACK;
