-- Revert pgattest:_pgattest/ingest_document from pg

BEGIN;

DROP FUNCTION _pgattest.ingest_document(text, text, text);

COMMIT;
