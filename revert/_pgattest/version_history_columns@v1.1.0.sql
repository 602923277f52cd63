-- Revert pgattest:_pgattest/version_history_columns from pg

BEGIN;

DROP EVENT TRIGGER pgattest_version_history_columns;
DROP FUNCTION _pgattest.version_history_columns();

COMMIT;
