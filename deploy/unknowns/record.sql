-- Deploy pgattest:unknowns/record to pg
-- requires: core/require_tenant unknowns/unknowns _pgattest/check_unknown_state

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- SECURITY DEFINER: pgattest_app holds only SELECT on unknowns.unknowns. The owner is
-- subject to the forced row-level security, so this stays within the caller's tenant.
CREATE OR REPLACE FUNCTION unknowns.record(kind text, subject text, reason text, details jsonb DEFAULT '{}',
                                           valid_from timestamptz DEFAULT now(),
                                           valid_to timestamptz DEFAULT 'infinity')
RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    new_id uuid := gen_random_uuid();
BEGIN
    PERFORM _pgattest.check_unknown_state(kind, subject, reason, details, NULL, valid_from, valid_to);
    INSERT INTO unknowns.unknowns (id, tenant_id, valid_from, valid_to, kind, subject, reason, details)
    VALUES (new_id, tenant, record.valid_from, record.valid_to, record.kind, record.subject, record.reason, record.details);
    RETURN new_id;
END
$$;

COMMENT ON FUNCTION unknowns.record(text, text, text, jsonb, timestamptz, timestamptz) IS
    'Records a new open unknown of the current tenant: kind, subject (artifact digest or package URL), reason and details (a JSON object), holding in the world from valid_from (default now) until valid_to (default infinity: still holds). Returns its id. Raises 42501 without a tenant, 22004 for a NULL argument, 22023 for a bad kind, subject, reason, details type or an empty valid period, 54000 for details over 64 kB.';

REVOKE ALL ON FUNCTION unknowns.record(text, text, text, jsonb, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION unknowns.record(text, text, text, jsonb, timestamptz, timestamptz) TO pgattest_app;

COMMIT;
