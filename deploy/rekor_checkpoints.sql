-- Deploy pgattest:rekor_checkpoints to pg
-- requires: transparency_logs
-- Checkpoints are public log state shared by all tenants (global tables, on the
-- catalog tests' allow-list). Every stored checkpoint was verified with the log key.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.rekor_checkpoints (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    log_id      text        NOT NULL REFERENCES attestor.transparency_logs,
    origin      text        NOT NULL,
    tree_size   bigint      NOT NULL CHECK (tree_size >= 0),
    root_hash   bytea       NOT NULL CHECK (length(root_hash) = 32),
    note        text        NOT NULL,
    signatures  jsonb       NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT now(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- One root per size: a second root for the same size is a split view, which never
    -- lands here (see attestor.split_views).
    UNIQUE (log_id, tree_size)
);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON attestor.rekor_checkpoints
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE attestor.rekor_checkpoints IS
    'Every checkpoint (C2SP signed note) seen per transparency log, verified with the log''s registered key before it is stored; one root per tree size. Written by attestor.record_checkpoint and attestor.complete_submission.';
COMMENT ON COLUMN attestor.rekor_checkpoints.note IS 'The signed note exactly as received: re-verifiable offline with the log key.';

CREATE TABLE attestor.split_views (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    log_id             text        NOT NULL REFERENCES attestor.transparency_logs,
    tree_size          bigint      NOT NULL,
    checkpoint_id      bigint      NOT NULL REFERENCES attestor.rekor_checkpoints,
    conflicting_root   bytea       NOT NULL,
    conflicting_note   text        NOT NULL,
    detected_at        timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (log_id, tree_size, conflicting_root)
);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON attestor.split_views
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE attestor.split_views IS
    'Evidence of split views: a validly signed checkpoint whose root differs from the stored one for the same log and size, or that fails a consistency proof. Either proves the log showed different histories to different clients. The log is marked (transparency_logs.split_view_at) and nothing verifies against it afterwards.';

GRANT SELECT ON attestor.rekor_checkpoints, attestor.split_views TO pgattest_app, pgattest_worker, pgattest_admin;

-- Verifies a note with a registered log's key and returns its parsed form; raises
-- 22023 when the log is unknown or the signature does not verify.
CREATE FUNCTION _pgattest.verified_checkpoint(log_id text, note text,
                                              OUT origin text, OUT tree_size bigint, OUT root_hash bytea,
                                              OUT signatures jsonb)
RETURNS record
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    log attestor.transparency_logs;
BEGIN
    SELECT * INTO log FROM attestor.transparency_logs l WHERE l.log_id = verified_checkpoint.log_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown transparency log %', log_id
            USING ERRCODE = '22023', HINT = 'Register it with attestor.register_transparency_log first.';
    END IF;
    IF log.split_view_at IS NOT NULL THEN
        RAISE EXCEPTION 'transparency log % has a recorded split view (%)', log_id, log.split_view_at
            USING ERRCODE = '23PA1', HINT = 'See attestor.split_views; nothing is accepted from this log until an operator resolves it.';
    END IF;
    SELECT c.origin, c.tree_size, c.root_hash, c.signatures INTO origin, tree_size, root_hash, signatures
      FROM proofchain.parse_checkpoint(note) c;
    IF NOT proofchain.verify_checkpoint(note, log.key_name, _pgattest.der_to_pem(log.public_key)) THEN
        RAISE EXCEPTION 'checkpoint for size % is not signed by the key of log %', tree_size, log_id
            USING ERRCODE = '22023', HINT = 'The note must carry a valid signature named ' || log.key_name || ' by the registered log key.';
    END IF;
END
$$;

-- Stores a verified checkpoint, or records a split view and raises.
CREATE FUNCTION _pgattest.store_checkpoint(log_id text, note text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    existing attestor.rekor_checkpoints;
    new_id bigint;
BEGIN
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    INSERT INTO attestor.rekor_checkpoints AS c (log_id, origin, tree_size, root_hash, note, signatures)
    VALUES (log_id, cp.origin, cp.tree_size, cp.root_hash, note, cp.signatures)
    ON CONFLICT ON CONSTRAINT rekor_checkpoints_log_id_tree_size_key DO NOTHING
    RETURNING c.id INTO new_id;
    IF new_id IS NOT NULL THEN
        RETURN new_id;
    END IF;
    SELECT * INTO existing FROM attestor.rekor_checkpoints c
     WHERE c.log_id = store_checkpoint.log_id AND c.tree_size = cp.tree_size;
    IF existing.root_hash = cp.root_hash THEN
        RETURN existing.id;
    END IF;
    RAISE EXCEPTION 'split view: log % signed two roots for tree size % (stored %, now %)',
                    log_id, cp.tree_size, encode(existing.root_hash, 'hex'), encode(cp.root_hash, 'hex')
        USING ERRCODE = '23PA1',
              DETAIL = format('stored checkpoint %s; conflicting note: %s', existing.id, note),
              HINT = 'Call attestor.record_split_view(log_id, note) in a new transaction to keep the evidence; the log must be investigated.';
END
$$;

CREATE FUNCTION attestor.record_checkpoint(log_id text, note text, consistency_proof bytea[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    prev attestor.rekor_checkpoints;
BEGIN
    IF log_id IS NULL OR note IS NULL THEN
        RAISE EXCEPTION 'log_id and note are required' USING ERRCODE = '22004', HINT = 'Pass the log id and the checkpoint note.';
    END IF;
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    IF consistency_proof IS NOT NULL THEN
        SELECT * INTO prev FROM attestor.rekor_checkpoints c
         WHERE c.log_id = record_checkpoint.log_id AND c.tree_size <= cp.tree_size
         ORDER BY c.tree_size DESC LIMIT 1;
        IF FOUND AND NOT proofchain.verify_consistency(prev.tree_size, cp.tree_size, prev.root_hash,
                                                       cp.root_hash, consistency_proof) THEN
            RAISE EXCEPTION 'checkpoint of log % at size % is not consistent with the stored one at size %',
                            log_id, cp.tree_size, prev.tree_size
                USING ERRCODE = '23PA1',
                      DETAIL = format('stored checkpoint %s; note: %s', prev.id, note),
                      HINT = 'Either the proof is wrong or the log forked; call attestor.record_split_view(log_id, note, consistency_proof) to keep the evidence.';
        END IF;
    END IF;
    RETURN _pgattest.store_checkpoint(log_id, note);
END
$$;

COMMENT ON FUNCTION attestor.record_checkpoint(text, text, bytea[]) IS
    'Verifies a checkpoint (C2SP signed note) with the registered key of the log and stores it, returning its id (the existing id when already stored). With consistency_proof, also verifies it against the latest stored checkpoint of a size not above the new one. Raises 22023 for an unknown log, a bad signature or a malformed note; 23PA1 (split view) when the log signed a different root for a stored size or the consistency proof fails: the transaction is rolled back, so the caller keeps the evidence with attestor.record_split_view in a new one. For pgattest_worker and pgattest_admin.';

CREATE FUNCTION attestor.record_split_view(log_id text, note text, consistency_proof bytea[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    prev attestor.rekor_checkpoints;
    evidence bigint;
BEGIN
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    SELECT * INTO prev FROM attestor.rekor_checkpoints c
     WHERE c.log_id = record_split_view.log_id AND c.tree_size = cp.tree_size AND c.root_hash <> cp.root_hash;
    IF NOT FOUND AND consistency_proof IS NOT NULL THEN
        SELECT * INTO prev FROM attestor.rekor_checkpoints c
         WHERE c.log_id = record_split_view.log_id AND c.tree_size <= cp.tree_size
         ORDER BY c.tree_size DESC LIMIT 1;
        IF FOUND AND proofchain.verify_consistency(prev.tree_size, cp.tree_size, prev.root_hash, cp.root_hash,
                                                   consistency_proof) THEN
            prev := NULL;
        END IF;
    END IF;
    IF prev.id IS NULL THEN
        RAISE EXCEPTION 'no split view: the checkpoint of log % at size % agrees with what is stored', log_id, cp.tree_size
            USING ERRCODE = '22023', HINT = 'Store it with attestor.record_checkpoint instead.';
    END IF;
    INSERT INTO attestor.split_views AS s (log_id, tree_size, checkpoint_id, conflicting_root, conflicting_note)
    VALUES (log_id, cp.tree_size, prev.id, cp.root_hash, note)
    ON CONFLICT ON CONSTRAINT split_views_log_id_tree_size_conflicting_root_key DO UPDATE SET detected_at = s.detected_at
    RETURNING s.id INTO evidence;
    UPDATE attestor.transparency_logs l SET split_view_at = coalesce(l.split_view_at, now())
     WHERE l.log_id = record_split_view.log_id;
    PERFORM pg_notify('pgattest_alerts', format('split view in log %s at size %s', log_id, cp.tree_size));
    RETURN evidence;
END
$$;

COMMENT ON FUNCTION attestor.record_split_view(text, text, bytea[]) IS
    'Keeps the evidence of a split view: a checkpoint validly signed by the log whose root differs from the stored one at the same size (or fails the given consistency proof against the stored one). Stores it in attestor.split_views, marks the log (nothing verifies against it afterwards), notifies channel pgattest_alerts, and returns the evidence id. Raises 22023 when there is no conflict to record. For pgattest_worker and pgattest_admin.';

ALTER FUNCTION _pgattest.verified_checkpoint(text, text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.verified_checkpoint(text, text), _pgattest.store_checkpoint(text, text),
    attestor.record_checkpoint(text, text, bytea[]), attestor.record_split_view(text, text, bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.record_checkpoint(text, text, bytea[]), attestor.record_split_view(text, text, bytea[])
    TO pgattest_worker, pgattest_admin;
-- complete_submission (owned by pgattest_system) stores the checkpoint it verified.
GRANT EXECUTE ON FUNCTION _pgattest.verified_checkpoint(text, text), _pgattest.store_checkpoint(text, text) TO pgattest_system;
GRANT SELECT, INSERT ON attestor.rekor_checkpoints TO pgattest_system;
GRANT SELECT ON attestor.transparency_logs TO pgattest_system;
GRANT EXECUTE ON FUNCTION proofchain.parse_checkpoint(text), proofchain.verify_checkpoint(text, text, text),
    proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) TO pgattest_system;

COMMIT;
