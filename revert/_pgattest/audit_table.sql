-- Revert pgattest:_pgattest/audit_table from pg

BEGIN;

DROP FUNCTION _pgattest.audit_table(regclass);

COMMIT;
