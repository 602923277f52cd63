-- Verify pgattest:_pgattest/ingest_document on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_function_result('_pgattest.ingest_document(text, text, text)'::regprocedure)
       <> 'TABLE(observation_id uuid, content_id text)' THEN
        RAISE EXCEPTION '_pgattest.ingest_document must return (observation_id uuid, content_id text)';
    END IF;
    IF has_function_privilege('public', '_pgattest.ingest_document(text, text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.ingest_document must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
