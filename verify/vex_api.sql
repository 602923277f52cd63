-- Verify pgattest:vex_api on pg

BEGIN;

SELECT change_kind, old_observation_id, new_observation_id, old_status, new_status, reason_code,
       old_rekor_entry_id, new_rekor_entry_id FROM vex.delta_changes WHERE false;
SELECT effective_status, winner_observation_id, sources, trace_digest FROM vex.merge_traces WHERE false;

DO $verify$
BEGIN
    IF vex.verdict_id('{"b": 1, "a": [true]}') <> vex.verdict_id('{"a":[true],"b":1}') THEN
        RAISE EXCEPTION 'vex.verdict_id depends on key order';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'vex.ingest_openvex(text, text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_worker', 'vex.pending_rekor_links(integer)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'vex.pending_rekor_links(integer)', 'EXECUTE') THEN
        RAISE EXCEPTION 'the VEX functions are not granted as designed';
    END IF;
END
$verify$;

ROLLBACK;
