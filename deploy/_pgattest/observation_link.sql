-- Deploy pgattest:_pgattest/observation_link to pg
-- requires: schemas
-- One link to make: an observation and the Rekor entry that proves it. The linking
-- routine takes an array of these, so a completion links all its observations in one
-- set-based call.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TYPE _pgattest.observation_link AS (
    observation_id uuid,
    rekor_entry_id uuid
);

COMMENT ON TYPE _pgattest.observation_link IS
    'An observation (vex.observations.id) and the stored Rekor entry (proofchain.rekor_entries.id) that proves it: what _pgattest.link_observations takes, one row per link.';

COMMIT;
