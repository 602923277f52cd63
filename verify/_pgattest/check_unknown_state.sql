-- Verify pgattest:_pgattest/check_unknown_state on pg

BEGIN;

SELECT '_pgattest.check_unknown_state(text, text, text, jsonb, text, timestamptz, timestamptz)'::regprocedure;
SELECT _pgattest.check_unknown_state('missing_sbom', 'pkg:npm/x@1', 'r', '{}', NULL, now(), 'infinity');
DO $verify$
BEGIN
    PERFORM _pgattest.check_unknown_state('nonsense', 'pkg:npm/x@1', 'r', '{}', NULL, now(), 'infinity');
    RAISE EXCEPTION 'check_unknown_state accepted a bad kind';
EXCEPTION WHEN invalid_parameter_value THEN
    NULL;
END
$verify$;

ROLLBACK;
