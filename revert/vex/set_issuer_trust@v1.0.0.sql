-- Revert pgattest:vex/set_issuer_trust from pg

BEGIN;

DROP FUNCTION vex.set_issuer_trust(text, integer, numeric);

COMMIT;
