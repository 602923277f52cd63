-- Deploy pgattest:_pgattest/completion_item to pg
-- requires: roles schemas
-- A claimed item of a completion as the verifier and the store read it, one typed row
-- per item: the queue's facts about it, the entry the worker presented and the envelope
-- as proofchain.dsse_envelopes stores it. PL/Python receives an array of these as a list
-- of dicts (the verifier reads submission_id, log_id, tlog_entry and the envelope's
-- columns; the store reads tenant_id, envelope_id and log_id).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TYPE _pgattest.completion_item AS (
    submission_id uuid,
    tenant_id     text,
    envelope_id   uuid,
    log_id        text,
    tlog_entry    jsonb,
    payload_type  text,
    payload       bytea,
    signatures    jsonb
);

COMMENT ON TYPE _pgattest.completion_item IS
    'A claimed submission being completed: its queue row''s tenant_id, envelope_id and log_id, the tlog_entry presented for it, and its envelope''s stored payload_type, payload and signatures. _pgattest.complete_claimed builds one per item and _pgattest.verify_stored_completions verifies them.';

COMMIT;
