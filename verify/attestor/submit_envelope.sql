-- Verify pgattest:attestor/submit_envelope on pg

BEGIN;

SELECT 'attestor.submit_envelope(jsonb, text)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'attestor.submit_envelope(jsonb, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.submit_envelope is not granted to pgattest_app';
    END IF;
    IF has_function_privilege('pgattest_worker', 'attestor.submit_envelope(jsonb, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.submit_envelope must not be granted to pgattest_worker';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.submit_envelope(jsonb, text)'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.submit_envelope must be SECURITY DEFINER';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.submit_envelope(jsonb, text)'::regprocedure) <> 'pgattest_owner'::regrole THEN
        RAISE EXCEPTION 'attestor.submit_envelope must be owned by pgattest_owner';
    END IF;
END
$verify$;

-- Issue 15 item 10: envelopes are looked up by their signed content.
DO $verify_digest$
BEGIN
    IF position('_pgattest.envelope_digest' IN (SELECT prosrc FROM pg_proc
                                                 WHERE oid = 'attestor.submit_envelope(jsonb, text)'::regprocedure)) = 0 THEN
        RAISE EXCEPTION 'attestor.submit_envelope does not identify envelopes by their signed content';
    END IF;
END
$verify_digest$;

ROLLBACK;
