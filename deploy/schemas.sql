-- Deploy pgattest:schemas to pg
-- requires: roles
-- Every module schema exists from the start, empty, so later changes only add to
-- them. _pgattest holds internals: nothing in it is part of the public API.

BEGIN;

CREATE SCHEMA core        AUTHORIZATION pgattest_owner;
CREATE SCHEMA attestor    AUTHORIZATION pgattest_owner;
CREATE SCHEMA proofchain  AUTHORIZATION pgattest_owner;
CREATE SCHEMA vex         AUTHORIZATION pgattest_owner;
CREATE SCHEMA vexhub      AUTHORIZATION pgattest_owner;
CREATE SCHEMA verdict     AUTHORIZATION pgattest_owner;
CREATE SCHEMA trustverdict AUTHORIZATION pgattest_owner;
CREATE SCHEMA watchlist   AUTHORIZATION pgattest_owner;
CREATE SCHEMA unknowns    AUTHORIZATION pgattest_owner;
CREATE SCHEMA triage      AUTHORIZATION pgattest_owner;
CREATE SCHEMA audit       AUTHORIZATION pgattest_owner;
CREATE SCHEMA health      AUTHORIZATION pgattest_owner;
CREATE SCHEMA _pgattest   AUTHORIZATION pgattest_owner;

COMMENT ON SCHEMA core         IS 'pgattest: tenants and the tenant context shared by every module.';
COMMENT ON SCHEMA attestor     IS 'pgattest: transparency logs, checkpoints and the Rekor submission queue.';
COMMENT ON SCHEMA proofchain   IS 'pgattest: DSSE envelopes, SBOM entries, proof spines, trust anchors, Rekor entries and the verification functions.';
COMMENT ON SCHEMA vex          IS 'pgattest: VEX observations, deltas and merge traces.';
COMMENT ON SCHEMA vexhub       IS 'pgattest: aggregated third-party VEX documents and statements.';
COMMENT ON SCHEMA verdict      IS 'pgattest: the append-only, hash-chained verdict ledger.';
COMMENT ON SCHEMA trustverdict IS 'pgattest: trust verdicts.';
COMMENT ON SCHEMA watchlist    IS 'pgattest: watchlists.';
COMMENT ON SCHEMA unknowns     IS 'pgattest: Unknowns with full temporal history.';
COMMENT ON SCHEMA triage       IS 'pgattest: materialized triage views.';
COMMENT ON SCHEMA audit        IS 'pgattest: the audit log.';
COMMENT ON SCHEMA health       IS 'pgattest: health and self-check functions.';
COMMENT ON SCHEMA _pgattest    IS 'pgattest internals: helpers and the PL/Python library loader. Not a public API.';

-- Schemas owned by a role carry no PUBLIC grants; the client roles and pgattest_system
-- get USAGE (which alone exposes nothing: every object still needs its own grant).
GRANT USAGE ON SCHEMA core, attestor, proofchain, vex, vexhub, verdict, trustverdict,
                      watchlist, unknowns, triage, audit, health, _pgattest
    TO pgattest_app, pgattest_worker, pgattest_admin, pgattest_system;

-- PostgreSQL grants EXECUTE on every new function to PUBLIC; objects the owner
-- creates from here on start closed instead, and each change grants what it means to.
ALTER DEFAULT PRIVILEGES FOR ROLE pgattest_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE pgattest_owner REVOKE USAGE ON TYPES FROM PUBLIC;

COMMIT;
