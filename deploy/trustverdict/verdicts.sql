-- Deploy pgattest:trustverdict/verdicts to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: _pgattest/trust_verdicts_immutable proofchain/trust_anchors
-- Trust verdicts: an issuer's signed judgement of an artifact (score, decision, policy,
-- evidence), received as SLSA Verification Summary Attestations, content-addressed and
-- kept as history: a newer verdict of the same issuer for the same subject supersedes
-- the older one; a deletion is a tombstone.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE trustverdict.verdicts (
    id               uuid         NOT NULL DEFAULT gen_random_uuid(),
    tenant_id        text         NOT NULL REFERENCES core.tenants,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    content_id       text         NOT NULL CHECK (content_id ~ '^sha256:[0-9a-f]{64}$'),
    subject_digest   text         NOT NULL CHECK (subject_digest ~ '^sha256:[0-9a-f]{64}$'),
    issuer           text         NOT NULL CHECK (length(issuer) BETWEEN 1 AND 512),
    score            numeric(5,4) NOT NULL CHECK (score BETWEEN 0 AND 1),
    decision         text         NOT NULL CHECK (decision IN ('pass', 'warn', 'fail')),
    policy_digest    text         CHECK (policy_digest ~ '^sha256:[0-9a-f]{64}$'),
    evidence_ids     text[]       NOT NULL DEFAULT '{}'
                     CHECK (array_to_string(evidence_ids, ',', '') ~ '^(sha256:[0-9a-f]{64}(,sha256:[0-9a-f]{64})*)?$'),
    verified_at      timestamptz  NOT NULL,
    body_text        text         NOT NULL,
    body             jsonb        NOT NULL,
    envelope         jsonb        NOT NULL,
    trust_anchor_id  uuid         NOT NULL,
    ledger_seq       bigint       NOT NULL,
    supersedes       uuid,
    superseded_at    timestamptz,
    superseded_by    uuid,
    deleted_at       timestamptz,
    deletion_reason  text         CHECK (length(deletion_reason) BETWEEN 1 AND 1024),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, content_id),
    FOREIGN KEY (tenant_id, trust_anchor_id) REFERENCES proofchain.trust_anchors (tenant_id, id),
    FOREIGN KEY (tenant_id, supersedes) REFERENCES trustverdict.verdicts (tenant_id, id),
    -- Deferred: the superseded row is marked before its successor is inserted (one current
    -- verdict per subject and issuer at every moment, verdicts_current).
    FOREIGN KEY (tenant_id, superseded_by) REFERENCES trustverdict.verdicts (tenant_id, id) DEFERRABLE INITIALLY DEFERRED,
    CHECK ((superseded_at IS NULL) = (superseded_by IS NULL)),
    CHECK ((deleted_at IS NULL) = (deletion_reason IS NULL))
);
SELECT _pgattest.enable_tenancy('trustverdict.verdicts');
-- One current verdict per issuer and subject; also the supersession's lookup.
CREATE UNIQUE INDEX verdicts_current ON trustverdict.verdicts (tenant_id, subject_digest, issuer)
    WHERE superseded_at IS NULL AND deleted_at IS NULL;
-- trustverdict.query's keyset order (newest first): current verdicts (the default) on their
-- own, so a page deep in the keyset does not walk the superseded history; with history, all;
-- by subject or issuer.
CREATE INDEX verdicts_current_stored ON trustverdict.verdicts (tenant_id, created_at, id)
    WHERE superseded_at IS NULL AND deleted_at IS NULL;
CREATE INDEX verdicts_stored ON trustverdict.verdicts (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX verdicts_subject ON trustverdict.verdicts (tenant_id, subject_digest, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX verdicts_issuer ON trustverdict.verdicts (tenant_id, issuer, created_at, id) WHERE deleted_at IS NULL;

CREATE TRIGGER verdicts_immutable BEFORE UPDATE OR DELETE ON trustverdict.verdicts
    FOR EACH ROW EXECUTE FUNCTION _pgattest.trust_verdicts_immutable();

COMMENT ON TABLE trustverdict.verdicts IS
    'Trust verdicts: an issuer''s judgement of a subject (artifact digest): score from 0 to 1, decision (pass, warn, fail), the policy digest and the evidence (content ids of the attestations it read), received as a DSSE-signed SLSA Verification Summary Attestation (trustverdict.store) verified with a trust anchor of the tenant. content_id is ''sha256:'' and the SHA-256 of the RFC 8785 form of the statement (body_text as received, body its JSONB copy): storing the same verdict again gives the same id. Immutable history: a newer verdict of the same issuer for the same subject supersedes the current one (superseded_at, superseded_by; supersedes on the newer row); trustverdict.delete leaves a tombstone (deleted_at, deletion_reason). Every store and delete appends a ledger entry (ledger_seq is the store''s).';
COMMENT ON COLUMN trustverdict.verdicts.issuer IS 'The verifier that issued the verdict (the VSA''s predicate.verifier.id).';
COMMENT ON COLUMN trustverdict.verdicts.verified_at IS 'When the issuer verified (the VSA''s predicate.timeVerified).';
COMMENT ON COLUMN trustverdict.verdicts.ledger_seq IS 'The verdict ledger entry (verdict.ledger_entries.seq) that recorded the store.';

GRANT SELECT ON trustverdict.verdicts TO pgattest_app, pgattest_admin;

COMMIT;
