-- Deploy pgattest:attestor/rekor_submission_queue to pg
-- requires: core/tenants _pgattest/enable_tenancy attestor/transparency_logs proofchain/dsse_envelopes
-- requires: proofchain/rekor_entries
-- The durable queue between attestor.submit_envelope and the transparency log.
--
-- States: pending -> claimed -> submitted, or claimed -> failed (retry later) -> claimed
-- ..., or -> dead (out of attempts, or not retryable; an admin may requeue). A claimed
-- row's lease ends at next_attempt_at, so one predicate, "state in (pending, failed,
-- claimed) and next_attempt_at <= now()", finds new work, retries due and expired
-- leases alike, through one partial index.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.rekor_submission_queue (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id        text        NOT NULL REFERENCES core.tenants,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    envelope_id      uuid        NOT NULL,
    log_id           text        NOT NULL REFERENCES attestor.transparency_logs,
    state            text        NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'claimed', 'submitted', 'failed', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    claim_token      uuid,
    last_error       text,
    rekor_entry_id   uuid,
    submitted_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    -- Idempotency: one queue row per envelope and log.
    UNIQUE (tenant_id, envelope_id, log_id),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id),
    FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    CHECK ((state = 'claimed') = (claim_token IS NOT NULL AND lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CHECK ((state = 'submitted') = (rekor_entry_id IS NOT NULL AND submitted_at IS NOT NULL))
);
SELECT _pgattest.enable_tenancy('attestor.rekor_submission_queue');
-- Per-tenant heads (fair pass) and the global oldest-first order (fill pass).
CREATE INDEX rekor_submission_queue_ready_by_tenant ON attestor.rekor_submission_queue (tenant_id, next_attempt_at, created_at)
    WHERE state IN ('pending', 'failed', 'claimed');
CREATE INDEX rekor_submission_queue_ready ON attestor.rekor_submission_queue (next_attempt_at, created_at)
    WHERE state IN ('pending', 'failed', 'claimed');
-- Workers address items by id alone.
CREATE INDEX rekor_submission_queue_id ON attestor.rekor_submission_queue (id);

COMMENT ON TABLE attestor.rekor_submission_queue IS
    'One row per envelope to submit to a transparency log. States: pending, claimed (leased to a worker until lease_expires_at), submitted (rekor_entry_id set, only after the entry verified), failed (to retry at next_attempt_at, with exponential backoff and jitter) and dead (out of attempts or not retryable; attestor.requeue_submission revives it). Written only through the attestor functions.';
COMMENT ON COLUMN attestor.rekor_submission_queue.next_attempt_at IS 'When the row may next be claimed: now for new work, the backoff time after a failure, the lease expiry while claimed.';
COMMENT ON COLUMN attestor.rekor_submission_queue.claim_token IS 'Proof of the current lease: complete_submission and fail_submission must present it; a worker whose lease expired and was re-claimed holds a stale token.';

GRANT SELECT ON attestor.rekor_submission_queue TO pgattest_app, pgattest_admin;
-- The queue is worked across tenants by pgattest_system's functions (claim, fail and the
-- completion, three changes): reading and updating it is this table's grant to them.
GRANT SELECT, UPDATE ON attestor.rekor_submission_queue TO pgattest_system;

COMMIT;
