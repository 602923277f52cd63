-- Verify pgattest:trustverdict/verdicts on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, content_id, subject_digest, issuer, score, decision, policy_digest,
       evidence_ids, verified_at, body_text, body, envelope, trust_anchor_id, ledger_seq, supersedes, superseded_at,
       superseded_by, deleted_at, deletion_reason
  FROM trustverdict.verdicts WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'trustverdict.verdicts'::regclass AND tgname = 'verdicts_immutable'
                      AND tgenabled = 'O') THEN
        RAISE EXCEPTION 'trustverdict.verdicts is not protected by its immutability trigger';
    END IF;
    IF to_regclass('trustverdict.verdicts_current') IS NULL OR to_regclass('trustverdict.verdicts_stored') IS NULL THEN
        RAISE EXCEPTION 'trustverdict.verdicts lacks its indexes';
    END IF;
    IF has_table_privilege('pgattest_app', 'trustverdict.verdicts', 'INSERT') THEN
        RAISE EXCEPTION 'trustverdict.verdicts must be written only through trustverdict.store';
    END IF;
END
$verify$;

ROLLBACK;
