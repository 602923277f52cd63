-- Revert pgattest:audit/maintain_partitions from pg

BEGIN;

DROP FUNCTION audit.maintain_partitions(integer, integer);

COMMIT;
