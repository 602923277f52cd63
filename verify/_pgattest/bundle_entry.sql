-- Verify pgattest:_pgattest/bundle_entry on pg

BEGIN;

DO $verify$
DECLARE
    e proofchain.rekor_entries;
    b jsonb;
BEGIN
    e.log_id := repeat('00', 32);
    e.shard_log_index := 5;
    e.tree_size := 6;
    e.kind := 'dsse';
    e.kind_version := '0.0.1';
    e.canonicalized_body := '\x7b7d';
    e.root_hash := '\x00'::bytea;
    e.inclusion_hashes := '{}';
    b := _pgattest.bundle_entry(e, 'note');
    -- No global index: the shard's index stands in; no timestamp: no promise.
    IF b ->> 'logIndex' <> '5' OR b -> 'inclusionProof' ->> 'treeSize' <> '6'
       OR b ->> 'canonicalizedBody' <> 'e30=' OR b -> 'inclusionProof' -> 'checkpoint' ->> 'envelope' <> 'note'
       OR b ? 'inclusionPromise' THEN
        RAISE EXCEPTION '_pgattest.bundle_entry does not give the bundle form: %', b;
    END IF;
    IF has_function_privilege('pgattest_app', '_pgattest.bundle_entry(proofchain.rekor_entries, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.bundle_entry must not be executable by the client roles';
    END IF;
END
$verify$;

ROLLBACK;
