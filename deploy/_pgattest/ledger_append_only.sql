-- Deploy pgattest:_pgattest/ledger_append_only to pg
-- requires: schemas
-- The verdict ledger and its anchors are append-only for everyone, the owner included:
-- the privileges are revoked (by the tables' changes) and these triggers reject what a
-- privilege would let through. A superuser can still disable triggers
-- (session_replication_role = replica, ALTER TABLE ... DISABLE TRIGGER): what is
-- written that way is found by verdict.verify, not prevented.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.ledger_append_only()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % rejected', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = '23PA3',
              HINT = 'Ledger entries and anchors are never changed or removed; append a new entry (verdict.append) instead.';
END
$$;

COMMENT ON FUNCTION _pgattest.ledger_append_only() IS
    'BEFORE UPDATE OR DELETE (row) and BEFORE TRUNCATE (statement) trigger of verdict.ledger_entries and verdict.anchors: rejects the change with 23PA3, whoever makes it.';
REVOKE ALL ON FUNCTION _pgattest.ledger_append_only() FROM PUBLIC;

COMMIT;
