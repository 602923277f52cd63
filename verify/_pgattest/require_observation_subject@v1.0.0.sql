-- Verify pgattest:_pgattest/require_observation_subject on pg

BEGIN;

DO $verify$
DECLARE
    obs vex.observations;
BEGIN
    obs.tenant_id := 'verify-no-such-tenant';
    obs.id := '00000000-0000-0000-0000-000000000000';
    obs.content_id := 'sha256:' || repeat('0', 64);
    BEGIN
        PERFORM _pgattest.require_observation_subject('00000000-0000-0000-0000-000000000000', obs);
        RAISE EXCEPTION 'no error' USING ERRCODE = 'P0001';
    EXCEPTION WHEN invalid_parameter_value THEN
        NULL;  -- an envelope that names nothing names no observation
    WHEN raise_exception THEN
        RAISE EXCEPTION '_pgattest.require_observation_subject accepted an envelope that does not name the observation';
    END;
    IF has_function_privilege('public', '_pgattest.require_observation_subject(uuid, vex.observations)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.require_observation_subject must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
