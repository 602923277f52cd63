-- Verify pgattest:verdict/ledger_entries on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, seq, kind, subject_digest, decision, reason, policy_digest,
       rekor_entry_ids, spine_ids, envelope_ids, vex_content_ids, trust_verdict_ids, recorded_at, prev_hash, entry_hash
  FROM verdict.ledger_entries WHERE false;

DO $verify$
BEGIN
    IF (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'verdict.ledger_entries'::regclass AND tgenabled = 'O'
          AND tgfoid = '_pgattest.ledger_append_only()'::regprocedure
          AND tgname IN ('ledger_entries_append_only', 'ledger_entries_no_truncate')) <> 2 THEN
        RAISE EXCEPTION 'verdict.ledger_entries is not protected by its append-only triggers';
    END IF;
    IF has_table_privilege('pgattest_owner', 'verdict.ledger_entries', 'UPDATE')
       OR has_table_privilege('pgattest_owner', 'verdict.ledger_entries', 'DELETE')
       OR has_table_privilege('pgattest_owner', 'verdict.ledger_entries', 'TRUNCATE')
       OR has_table_privilege('pgattest_app', 'verdict.ledger_entries', 'INSERT')
       OR NOT has_table_privilege('pgattest_app', 'verdict.ledger_entries', 'SELECT') THEN
        RAISE EXCEPTION 'verdict.ledger_entries is not granted as designed (append-only, read-only for pgattest_app)';
    END IF;
    IF to_regclass('verdict.ledger_entries_subject') IS NULL THEN
        RAISE EXCEPTION 'verdict.ledger_entries lacks its subject index';
    END IF;
END
$verify$;

ROLLBACK;
