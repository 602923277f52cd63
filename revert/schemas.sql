-- Revert pgattest:schemas from pg

BEGIN;

ALTER DEFAULT PRIVILEGES FOR ROLE pgattest_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE pgattest_owner GRANT USAGE ON TYPES TO PUBLIC;

-- RESTRICT (the default): a schema that still holds objects means a later change
-- was not reverted, and that must fail loudly rather than cascade data away.
DROP SCHEMA _pgattest, health, audit, triage, unknowns, watchlist, trustverdict,
            verdict, vexhub, vex, proofchain, attestor, core;

COMMIT;
