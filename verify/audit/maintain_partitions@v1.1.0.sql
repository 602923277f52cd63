-- Verify pgattest:audit/maintain_partitions on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'audit.maintain_partitions(integer, integer)', 'execute') THEN
        RAISE EXCEPTION 'the worker cannot run audit.maintain_partitions()';
    END IF;
END
$verify$;

ROLLBACK;
