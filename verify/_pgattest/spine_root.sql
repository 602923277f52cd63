-- Verify pgattest:_pgattest/spine_root on pg

BEGIN;

DO $verify$
BEGIN
    -- One segment: the root is its RFC 9162 leaf hash, SHA-256(0x00 || segment).
    IF _pgattest.spine_root(ARRAY['sbom:x']) <> sha256('\x00'::bytea || convert_to('sbom:x', 'UTF8')) THEN
        RAISE EXCEPTION '_pgattest.spine_root is not an RFC 9162 tree hash';
    END IF;
    -- Two segments: the node hash SHA-256(0x01 || leaf || leaf).
    IF _pgattest.spine_root(ARRAY['sbom:x', 'verdict:y'])
       <> sha256('\x01'::bytea || sha256('\x00'::bytea || convert_to('sbom:x', 'UTF8'))
                               || sha256('\x00'::bytea || convert_to('verdict:y', 'UTF8'))) THEN
        RAISE EXCEPTION '_pgattest.spine_root does not hash two segments as an RFC 9162 node';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = '_pgattest.spine_root(text[])'::regprocedure) <> 'pgattest_owner'::regrole THEN
        RAISE EXCEPTION '_pgattest.spine_root must be owned by pgattest_owner';
    END IF;
    IF has_function_privilege('pgattest_app', '_pgattest.spine_root(text[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.spine_root must not be executable by the client roles';
    END IF;
END
$verify$;

ROLLBACK;
