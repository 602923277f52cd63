-- Deploy pgattest:vex_rekor_linkage to pg
-- requires: vex_observations
-- requires: rekor_entries
-- The Rekor linkage of VEX (the seeds' V20260117__vex_rekor_linkage): which
-- transparency-log entry proves each observation and hub statement, and verification
-- metadata on the stored entries.
--
-- Idempotent: every step checks before it acts (ADD COLUMN IF NOT EXISTS, CREATE INDEX
-- IF NOT EXISTS, constraints added only when missing), so applying this script again,
-- to a database that has it, with linked rows, changes nothing. Its revert is
-- non-destructive: it parks the links in _pgattest.vex_rekor_linkage_parked before
-- dropping the columns, and this script restores them from there (then drops it).

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE proofchain.rekor_entries
    ADD COLUMN IF NOT EXISTS verified_at        timestamptz,
    ADD COLUMN IF NOT EXISTS verifier_version   text,
    ADD COLUMN IF NOT EXISTS verification_error text;

DO $linkage$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['vex.observations', 'vexhub.statements', 'vexhub.documents'] LOOP
        EXECUTE format('ALTER TABLE %s
                            ADD COLUMN IF NOT EXISTS rekor_uuid            text,
                            ADD COLUMN IF NOT EXISTS rekor_log_index       bigint,
                            ADD COLUMN IF NOT EXISTS rekor_integrated_time timestamptz,
                            ADD COLUMN IF NOT EXISTS rekor_entry_id        uuid,
                            ADD COLUMN IF NOT EXISTS rekor_linked_at       timestamptz', t);
        IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = t::regclass AND conname = 'rekor_entry_fk') THEN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT rekor_entry_fk FOREIGN KEY (tenant_id, rekor_entry_id)
                            REFERENCES proofchain.rekor_entries (tenant_id, id)', t);
        END IF;
        -- A link is whole: an entry id with its uuid, index and time, or nothing.
        IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = t::regclass AND conname = 'rekor_link_whole') THEN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT rekor_link_whole CHECK (
                                (rekor_entry_id IS NULL) = (rekor_uuid IS NULL)
                                AND (rekor_entry_id IS NULL) = (rekor_log_index IS NULL)
                                AND (rekor_entry_id IS NULL) = (rekor_linked_at IS NULL))', t);
        END IF;
    END LOOP;
END
$linkage$;

CREATE INDEX IF NOT EXISTS observations_rekor_uuid ON vex.observations (tenant_id, rekor_uuid) WHERE rekor_uuid IS NOT NULL;
CREATE INDEX IF NOT EXISTS observations_rekor_log_index ON vex.observations (tenant_id, rekor_log_index) WHERE rekor_log_index IS NOT NULL;
CREATE INDEX IF NOT EXISTS observations_rekor_entry ON vex.observations (tenant_id, rekor_entry_id) WHERE rekor_entry_id IS NOT NULL;
-- The linker's queue: unlinked observations in (created_at, id) order.
CREATE INDEX IF NOT EXISTS observations_unlinked ON vex.observations (created_at, id) WHERE rekor_entry_id IS NULL;
CREATE INDEX IF NOT EXISTS statements_rekor_uuid ON vexhub.statements (tenant_id, rekor_uuid) WHERE rekor_uuid IS NOT NULL;
CREATE INDEX IF NOT EXISTS statements_rekor_entry ON vexhub.statements (tenant_id, rekor_entry_id) WHERE rekor_entry_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_rekor_uuid ON vexhub.documents (tenant_id, rekor_uuid) WHERE rekor_uuid IS NOT NULL;

COMMENT ON COLUMN vex.observations.rekor_entry_id IS
    'The Rekor entry that proves this observation (with its uuid, global log index and integrated time copied for lookups, and when the link was made); NULL while the observation waits in vex.pending_rekor_links. Set once, by vex.link_rekor.';
COMMENT ON COLUMN vexhub.statements.rekor_entry_id IS 'The Rekor entry that proves this hub statement (set with its observation''s link).';
COMMENT ON COLUMN vexhub.documents.rekor_entry_id IS 'The Rekor entry that proves the document as a whole, when it was logged whole.';
COMMENT ON COLUMN proofchain.rekor_entries.verifier_version IS 'Version of the PL/Python verification library (_pgattest.pylib_version()) that last verified the entry; verification_error says why the last re-verification failed (NULL when it passed).';

-- Links parked by a revert of this change come back.
RESET ROLE;
DO $restore$
DECLARE
    t text;
BEGIN
    IF to_regclass('_pgattest.vex_rekor_linkage_parked') IS NOT NULL THEN
        -- Restoring is not a change: neither the immutability triggers nor updated_at fire.
        ALTER TABLE vex.observations DISABLE TRIGGER observations_immutable;
        ALTER TABLE vexhub.statements DISABLE TRIGGER statements_immutable;
        FOREACH t IN ARRAY ARRAY['vex.observations', 'vexhub.statements', 'vexhub.documents'] LOOP
            EXECUTE format('ALTER TABLE %s DISABLE TRIGGER touch_updated_at', t);
            EXECUTE format('UPDATE %s x
                               SET rekor_uuid = p.rekor_uuid, rekor_log_index = p.rekor_log_index,
                                   rekor_integrated_time = p.rekor_integrated_time, rekor_entry_id = p.rekor_entry_id,
                                   rekor_linked_at = p.rekor_linked_at
                              FROM _pgattest.vex_rekor_linkage_parked p
                             WHERE p.table_name = %L AND x.tenant_id = p.tenant_id AND x.id = p.id
                               AND x.rekor_entry_id IS NULL', t, t);
            EXECUTE format('ALTER TABLE %s ENABLE TRIGGER touch_updated_at', t);
        END LOOP;
        ALTER TABLE proofchain.rekor_entries DISABLE TRIGGER touch_updated_at;
        UPDATE proofchain.rekor_entries r
           SET verifier_version = p.verifier_version, verification_error = p.verification_error
          FROM _pgattest.vex_rekor_linkage_parked p
         WHERE p.table_name = 'proofchain.rekor_entries' AND r.tenant_id = p.tenant_id AND r.id = p.id;
        ALTER TABLE proofchain.rekor_entries ENABLE TRIGGER touch_updated_at;
        ALTER TABLE vex.observations ENABLE TRIGGER observations_immutable;
        ALTER TABLE vexhub.statements ENABLE TRIGGER statements_immutable;
        DROP TABLE _pgattest.vex_rekor_linkage_parked;
    END IF;
END
$restore$;

COMMIT;
