-- Deploy pgattest:_pgattest/observation_link to pg
-- requires: schemas
-- One link to make: an observation and the Rekor entry that proves it. The linking
-- routine takes an array of these, so a completion links all its observations in one
-- set-based call.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TYPE _pgattest.observation_link AS (
    tenant_id      text,
    observation_id uuid,
    rekor_entry_id uuid
);

COMMENT ON TYPE _pgattest.observation_link IS
    'An observation (vex.observations.id) and the stored Rekor entry (proofchain.rekor_entries.id) of one tenant that proves it: what _pgattest.link_observations takes, one row per link. The tenant is part of both keys, so each is one primary-key probe.';

COMMIT;
