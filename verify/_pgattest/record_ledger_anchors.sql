-- Verify pgattest:_pgattest/record_ledger_anchors on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'proofchain.rekor_entries'::regclass
                    AND tgname = 'record_ledger_anchors' AND tgenabled = 'O'
                    AND tgfoid = '_pgattest.record_ledger_anchors()'::regprocedure) THEN
        RAISE EXCEPTION 'the trigger recording ledger anchors is missing or disabled';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_proc WHERE oid = '_pgattest.record_ledger_anchors()'::regprocedure
                      AND pg_get_userbyid(proowner) = 'pgattest_system' AND prosecdef
                      AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) THEN
        RAISE EXCEPTION 'the anchor trigger must run as pgattest_system with a pinned search_path';
    END IF;
    IF NOT has_table_privilege('pgattest_system', 'verdict.anchors', 'INSERT') THEN
        RAISE EXCEPTION 'pgattest_system cannot record anchors';
    END IF;
END
$verify$;

ROLLBACK;
