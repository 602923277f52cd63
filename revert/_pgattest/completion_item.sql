-- Revert pgattest:_pgattest/completion_item from pg

BEGIN;

DROP TYPE _pgattest.completion_item;

COMMIT;
