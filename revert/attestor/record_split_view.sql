-- Revert pgattest:attestor/record_split_view from pg

BEGIN;
DROP FUNCTION attestor.record_split_view(text, text, bytea[], bigint);
COMMIT;

\ir ../../deploy/attestor/record_split_view@v1.0.0.sql
