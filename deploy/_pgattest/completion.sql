-- Deploy pgattest:_pgattest/completion to pg
-- requires: roles schemas
-- One item of a batch as a worker presents it for completion: the batch is one array of
-- these rows, not three arrays kept aligned by position.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TYPE _pgattest.completion AS (
    submission_id uuid,
    claim_token   uuid,
    tlog_entry    jsonb
);

COMMENT ON TYPE _pgattest.completion IS
    'One completion of a claimed submission (the submission_id and claim_token from attestor.claim_submissions, the log''s entry): what _pgattest.complete_claimed takes, one row per item.';

COMMIT;
