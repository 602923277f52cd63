-- Revert pgattest:_pgattest/completion from pg

BEGIN;

DROP TYPE _pgattest.completion;

COMMIT;
