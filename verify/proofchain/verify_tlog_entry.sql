-- Verify pgattest:proofchain/verify_tlog_entry on pg

BEGIN;

DO $verify$
DECLARE
    unknown_log constant jsonb := '{"logIndex": "1", "logId": {"keyId": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
              "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"}, "integratedTime": "1",
              "canonicalizedBody": "e30=",
              "inclusionProof": {"logIndex": "0", "rootHash": "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                                 "treeSize": "1", "hashes": [],
                                 "checkpoint": {"envelope": "x\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 x AAAAAGZha2U=\n"}}}';
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_tlog_entry(jsonb, jsonb)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'proofchain.verify_tlog_entry(jsonb, jsonb, boolean, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_tlog_entry';
    END IF;
    -- An entry whose log is not in the trusted root is well-formed and unverified, and
    -- the report has the Rekor v2 binding checks.
    IF (proofchain.verify_tlog_entry(unknown_log, '{"tlogs": []}') ->> 'verified')::boolean IS DISTINCT FROM false
       OR (proofchain.verify_tlog_entry(unknown_log, '{"tlogs": []}', true, now()) ->> 'verified')::boolean IS DISTINCT FROM false
       OR NOT proofchain.verify_tlog_entry(unknown_log, '{"tlogs": []}') -> 'checks' ? 'log_index_matches_proof' THEN
        RAISE EXCEPTION 'proofchain.verify_tlog_entry verified an entry from an unknown log, or is the old version';
    END IF;
END
$verify$;

ROLLBACK;
