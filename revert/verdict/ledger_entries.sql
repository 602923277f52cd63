-- Revert pgattest:verdict/ledger_entries from pg

BEGIN;

DROP TABLE verdict.ledger_entries;

COMMIT;
