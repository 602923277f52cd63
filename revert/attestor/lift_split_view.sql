-- Revert pgattest:attestor/lift_split_view from pg

BEGIN;

DROP FUNCTION attestor.lift_split_view(text, text);

COMMIT;
