-- Revert pgattest:attestor/record_split_view from pg

BEGIN;

DROP FUNCTION attestor.record_split_view(text, text, bytea[]);

COMMIT;
