-- Revert pgattest:_pgattest/audit_changes from pg

BEGIN;

DROP FUNCTION _pgattest.audit_changes();

COMMIT;
