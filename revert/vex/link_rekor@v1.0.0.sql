-- Revert pgattest:vex/link_rekor from pg

BEGIN;

DROP FUNCTION vex.link_rekor(uuid, text);
DROP FUNCTION vex.link_rekor(uuid, uuid);

COMMIT;
