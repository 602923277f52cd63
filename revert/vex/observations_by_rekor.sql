-- Revert pgattest:vex/observations_by_rekor from pg

BEGIN;

DROP FUNCTION vex.observations_by_rekor(bigint, text);
DROP FUNCTION vex.observations_by_rekor(text);

COMMIT;
