-- Verify pgattest:_pgattest/audit_table on pg

BEGIN;

SELECT '_pgattest.audit_table(regclass)'::regprocedure;

ROLLBACK;
