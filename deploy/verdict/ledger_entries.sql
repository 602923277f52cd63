-- Deploy pgattest:verdict/ledger_entries to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: _pgattest/ledger_append_only
-- The verdict ledger: every decision a tenant records, in a per-tenant gapless sequence,
-- each entry chained to the previous one by hash and a leaf of the tenant's RFC 9162
-- tree. entry_hash is the RFC 9162 leaf hash SHA-256(0x00 || bytes) of the entry's
-- canonical bytes, a fixed binary layout (_pgattest.ledger_leaf), never a JSON text
-- form: the same row gives the same bytes on any server, in any encoding.
--
-- Written only by verdict.append (and the trust-verdict functions) under a per-tenant
-- lock; append-only for every role: UPDATE, DELETE and TRUNCATE are revoked from the
-- owner too and rejected by triggers (23PA3).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE verdict.ledger_entries (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id          text        NOT NULL REFERENCES core.tenants,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    seq                bigint      NOT NULL CHECK (seq >= 1),
    kind               text        NOT NULL CHECK (kind IN ('decision', 'trust_verdict_stored', 'trust_verdict_deleted')),
    -- Digest checks written as length plus an unbounded class: a '{64}' bound makes the
    -- regex engine build a large automaton at every row (several times the insert's cost).
    subject_digest     text        NOT NULL CHECK (length(subject_digest) = 71 AND subject_digest ~ '^sha256:[0-9a-f]*$'),
    decision           text        NOT NULL CHECK (decision IN ('pass', 'warn', 'fail')),
    reason             text        NOT NULL CHECK (length(reason) <= 4096),
    policy_digest      text        CHECK (length(policy_digest) = 71 AND policy_digest ~ '^sha256:[0-9a-f]*$'),
    -- Proof references, typed; no NULL elements and no ',' in an element, so the canonical
    -- bytes can join them with ','. (The content ids' form is checked by the append.)
    rekor_entry_ids    uuid[]      NOT NULL DEFAULT '{}' CHECK (array_position(rekor_entry_ids, NULL) IS NULL),
    spine_ids          uuid[]      NOT NULL DEFAULT '{}' CHECK (array_position(spine_ids, NULL) IS NULL),
    envelope_ids       uuid[]      NOT NULL DEFAULT '{}' CHECK (array_position(envelope_ids, NULL) IS NULL),
    vex_content_ids    text[]      NOT NULL DEFAULT '{}'
                       CHECK (array_position(vex_content_ids, NULL) IS NULL AND strpos(array_to_string(vex_content_ids, ''), ',') = 0),
    trust_verdict_ids  text[]      NOT NULL DEFAULT '{}'
                       CHECK (array_position(trust_verdict_ids, NULL) IS NULL AND strpos(array_to_string(trust_verdict_ids, ''), ',') = 0),
    recorded_at        timestamptz NOT NULL,
    prev_hash          bytea       NOT NULL CHECK (length(prev_hash) = 32),
    entry_hash         bytea       NOT NULL CHECK (length(entry_hash) = 32),
    PRIMARY KEY (tenant_id, seq),
    UNIQUE (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('verdict.ledger_entries');
-- verdict.current and verdict.history: a subject's entries newest first.
CREATE INDEX ledger_entries_subject ON verdict.ledger_entries (tenant_id, subject_digest, seq);

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON verdict.ledger_entries
    FOR EACH ROW EXECUTE FUNCTION _pgattest.ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON verdict.ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.ledger_append_only();

COMMENT ON TABLE verdict.ledger_entries IS
    'The verdict ledger: one row per decision about a subject (an artifact digest), per tenant, in a gapless sequence (seq from 1). Each entry names the previous entry''s hash (prev_hash; 32 zero bytes for seq 1) and its own, entry_hash = SHA-256(0x00 || _pgattest.ledger_leaf(...)), the RFC 9162 leaf hash of its canonical bytes, so the entries are the leaves of a per-tenant Merkle tree (verdict.checkpoint, verdict.inclusion_proof, verdict.consistency_proof). Append-only for every role (23PA3); written by verdict.append and the trustverdict functions; checked by verdict.verify.';
COMMENT ON COLUMN verdict.ledger_entries.seq IS 'The entry''s position in the tenant''s ledger, from 1, without gaps; leaf index seq - 1 of the tenant''s tree.';
COMMENT ON COLUMN verdict.ledger_entries.kind IS 'decision (verdict.append), trust_verdict_stored or trust_verdict_deleted (written by trustverdict.store and trustverdict.delete).';
COMMENT ON COLUMN verdict.ledger_entries.recorded_at IS 'When the entry was appended (clock time under the tenant''s lock, never before the previous entry''s), to the microsecond as hashed.';
COMMENT ON COLUMN verdict.ledger_entries.vex_content_ids IS 'Content ids of VEX statements the decision relied on (vex.observations.content_id, vex.verdict_id).';
COMMENT ON COLUMN verdict.ledger_entries.trust_verdict_ids IS 'Content ids of trust verdicts (trustverdict.verdicts.content_id) the entry records or relied on.';

-- Append-only for everyone: the owner's own UPDATE, DELETE and TRUNCATE go as well.
REVOKE UPDATE, DELETE, TRUNCATE ON verdict.ledger_entries FROM pgattest_owner;
GRANT SELECT ON verdict.ledger_entries TO pgattest_app, pgattest_admin;

COMMIT;
