-- Revert pgattest:_pgattest/spine_root from pg

BEGIN;

DROP FUNCTION _pgattest.spine_root(text[]);

COMMIT;
