-- Verify pgattest:unknowns/unknowns_history on pg

BEGIN;

SELECT id, tenant_id, valid_from, valid_to, system_from, system_to FROM unknowns.unknowns_history WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM periods.system_versioning
                    WHERE table_name = 'unknowns.unknowns'::regclass
                      AND history_table_name = 'unknowns.unknowns_history'::regclass) THEN
        RAISE EXCEPTION 'unknowns.unknowns is not system-versioned into unknowns.unknowns_history';
    END IF;
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'unknowns.unknowns_history'::regclass) THEN
        RAISE EXCEPTION 'row-level security is not enabled and forced on unknowns.unknowns_history';
    END IF;
    IF has_table_privilege('pgattest_app', 'unknowns.unknowns_history', 'INSERT') THEN
        RAISE EXCEPTION 'no role may write unknowns.unknowns_history';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_class WHERE oid = 'unknowns.unknowns_with_history'::regclass
                                          AND 'security_invoker=true' = ANY (reloptions)) THEN
        RAISE EXCEPTION 'unknowns.unknowns_with_history must run with the caller''s rights';
    END IF;
END
$verify$;

ROLLBACK;
