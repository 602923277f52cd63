-- Deploy pgattest:submission_queue to pg
-- requires: rekor_entries
-- The durable queue between attestor.submit_envelope and the transparency log.
--
-- States: pending -> claimed -> submitted, or claimed -> failed (retry later) -> claimed
-- ..., or -> dead (out of attempts, or not retryable; an admin may requeue). A claimed
-- row's lease ends at next_attempt_at, so one predicate, "state in (pending, failed,
-- claimed) and next_attempt_at <= now()", finds new work, retries due and expired
-- leases alike, through one partial index.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.rekor_submission_queue (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id        text        NOT NULL REFERENCES core.tenants,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    envelope_id      uuid        NOT NULL,
    log_id           text        NOT NULL REFERENCES attestor.transparency_logs,
    state            text        NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'claimed', 'submitted', 'failed', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    claim_token      uuid,
    last_error       text,
    rekor_entry_id   uuid,
    submitted_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    -- Idempotency: one queue row per envelope and log.
    UNIQUE (tenant_id, envelope_id, log_id),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id),
    FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    CHECK ((state = 'claimed') = (claim_token IS NOT NULL AND lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CHECK ((state = 'submitted') = (rekor_entry_id IS NOT NULL AND submitted_at IS NOT NULL))
);
SELECT _pgattest.enable_tenancy('attestor.rekor_submission_queue');
-- Per-tenant heads (fair pass) and the global oldest-first order (fill pass).
CREATE INDEX rekor_submission_queue_ready_by_tenant ON attestor.rekor_submission_queue (tenant_id, next_attempt_at, created_at)
    WHERE state IN ('pending', 'failed', 'claimed');
CREATE INDEX rekor_submission_queue_ready ON attestor.rekor_submission_queue (next_attempt_at, created_at)
    WHERE state IN ('pending', 'failed', 'claimed');
-- Workers address items by id alone.
CREATE INDEX rekor_submission_queue_id ON attestor.rekor_submission_queue (id);

COMMENT ON TABLE attestor.rekor_submission_queue IS
    'One row per envelope to submit to a transparency log. States: pending, claimed (leased to a worker until lease_expires_at), submitted (rekor_entry_id set, only after the entry verified), failed (to retry at next_attempt_at, with exponential backoff and jitter) and dead (out of attempts or not retryable; attestor.requeue_submission revives it). Written only through the attestor functions.';
COMMENT ON COLUMN attestor.rekor_submission_queue.next_attempt_at IS 'When the row may next be claimed: now for new work, the backoff time after a failure, the lease expiry while claimed.';
COMMENT ON COLUMN attestor.rekor_submission_queue.claim_token IS 'Proof of the current lease: complete_submission and fail_submission must present it; a worker whose lease expired and was re-claimed holds a stale token.';

GRANT SELECT ON attestor.rekor_submission_queue TO pgattest_app, pgattest_admin;

-- Queue settings: database-level custom settings, e.g.
--   ALTER DATABASE pgattest SET pgattest.max_submission_attempts = 12;
CREATE FUNCTION _pgattest.setting_int(name text, fallback integer)
RETURNS integer
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(nullif(current_setting(name, true), '')::integer, fallback)
$$;
COMMENT ON FUNCTION _pgattest.setting_int(text, integer) IS
    'An integer custom setting, or the fallback when unset: pgattest.max_submission_attempts (10), pgattest.retry_base_seconds (5), pgattest.retry_max_seconds (3600).';

CREATE FUNCTION attestor.submit_envelope(envelope jsonb, log_id text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    parsed record;
    digest text;
    target attestor.transparency_logs;
    statement jsonb;
    anchor uuid;
    env_id uuid;
    queued uuid;
BEGIN
    IF envelope IS NULL THEN
        RAISE EXCEPTION 'envelope is NULL' USING ERRCODE = '22004', HINT = 'Pass a DSSE envelope as jsonb.';
    END IF;
    SELECT * INTO target FROM attestor.transparency_logs l
     WHERE CASE WHEN submit_envelope.log_id IS NULL THEN l.is_default ELSE l.log_id = submit_envelope.log_id END;
    IF NOT FOUND OR NOT target.active OR target.split_view_at IS NOT NULL THEN
        RAISE EXCEPTION 'no usable transparency log %', coalesce(quote_literal(log_id), '(no default log registered)')
            USING ERRCODE = '22023',
                  HINT = 'Name an active log from attestor.transparency_logs, or have an admin register a default one.';
    END IF;
    SELECT * INTO parsed FROM _pgattest.parse_dsse_envelope(envelope);
    digest := proofchain.content_id(envelope::text);

    SELECT e.id INTO env_id FROM proofchain.dsse_envelopes e WHERE e.content_digest = digest;
    IF NOT FOUND THEN
        IF parsed.payload_type = 'application/vnd.in-toto+json' THEN
            BEGIN
                statement := convert_from(parsed.payload, 'UTF8')::jsonb;
            EXCEPTION WHEN invalid_text_representation OR character_not_in_repertoire OR untranslatable_character THEN
                RAISE EXCEPTION 'the payload of an application/vnd.in-toto+json envelope is not JSON'
                    USING ERRCODE = '22023', HINT = 'The payload must be a UTF-8 JSON in-toto statement.';
            END;
            IF jsonb_typeof(statement) IS DISTINCT FROM 'object'
               OR jsonb_typeof(statement -> 'subject') IS DISTINCT FROM 'array'
               OR jsonb_typeof(statement -> 'predicateType') IS DISTINCT FROM 'string' THEN
                RAISE EXCEPTION 'the payload is not an in-toto statement (needs subject[] and predicateType)'
                    USING ERRCODE = '22023', HINT = 'See https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md.';
            END IF;
        END IF;
        SELECT a.id INTO anchor
          FROM proofchain.trust_anchors a
         WHERE a.revoked_at IS NULL AND a.valid_from <= now() AND (a.valid_until IS NULL OR now() < a.valid_until)
           AND (a.allowed_predicate_types IS NULL OR statement ->> 'predicateType' = ANY (a.allowed_predicate_types))
           AND proofchain.verify_dsse(envelope, a.public_key_pem)
         ORDER BY a.created_at, a.id
         LIMIT 1;
        IF anchor IS NULL THEN
            RAISE EXCEPTION 'envelope is not signed by a current trust anchor of tenant % allowed for %',
                            tenant, coalesce(statement ->> 'predicateType', parsed.payload_type)
                USING ERRCODE = '42501',
                      HINT = 'An admin adds the signer''s key with proofchain.add_trust_anchor (and the predicate type to its allowed list).';
        END IF;
        INSERT INTO proofchain.dsse_envelopes AS e
               (tenant_id, content_digest, envelope, payload_type, payload, signatures, trust_anchor_id, statement)
        VALUES (tenant, digest, envelope, parsed.payload_type, parsed.payload, parsed.signatures, anchor, statement)
        ON CONFLICT (tenant_id, content_digest) DO NOTHING
        RETURNING e.id INTO env_id;
        IF env_id IS NULL THEN  -- a concurrent transaction stored it first
            SELECT e.id INTO env_id FROM proofchain.dsse_envelopes e WHERE e.content_digest = digest;
        ELSIF statement IS NOT NULL THEN
            INSERT INTO proofchain.envelope_subjects (tenant_id, envelope_id, name, digest_algorithm, digest)
            SELECT tenant, env_id, coalesce(s ->> 'name', ''), d.key, d.value
              FROM jsonb_array_elements(statement -> 'subject') AS s,
                   jsonb_each_text(CASE WHEN jsonb_typeof(s -> 'digest') = 'object' THEN s -> 'digest' ELSE '{}' END) AS d
            ON CONFLICT DO NOTHING;
        END IF;
    END IF;

    INSERT INTO attestor.rekor_submission_queue AS q (tenant_id, envelope_id, log_id)
    VALUES (tenant, env_id, target.log_id)
    ON CONFLICT ON CONSTRAINT rekor_submission_queue_tenant_id_envelope_id_log_id_key DO NOTHING
    RETURNING q.id INTO queued;
    IF queued IS NOT NULL THEN
        -- Identical notifications in one transaction are delivered once: a batch of
        -- submissions wakes the workers once, at commit.
        PERFORM pg_notify('pgattest_submissions', '');
    END IF;
    RETURN env_id;
END
$$;

COMMENT ON FUNCTION attestor.submit_envelope(jsonb, text) IS
    'Stores a DSSE envelope for the current tenant and queues it for the transparency log (log_id, or the default log), returning the envelope id. Idempotent: the same envelope again gives the same id and no second queue row. The envelope must verify with a current trust anchor of the tenant that allows its in-toto predicate type. Wakes workers with one NOTIFY pgattest_submissions per transaction. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies it, 22023 for a malformed envelope or statement or an unusable log, 22P02 for bad base64, 22004 for NULL.';

CREATE FUNCTION attestor.claim_submissions(worker_id text, max_items integer DEFAULT 10,
                                           lease interval DEFAULT '5 minutes')
RETURNS TABLE (submission_id uuid, claim_token uuid, tenant_id text, envelope_id uuid, log_id text,
               api_version text, base_url text, envelope jsonb, verifier_pem text, attempts integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_attempts integer := _pgattest.setting_int('pgattest.max_submission_attempts', 10);
    quota integer;
BEGIN
    IF worker_id IS NULL OR btrim(worker_id) = '' OR length(worker_id) > 200 THEN
        RAISE EXCEPTION 'invalid worker_id %', coalesce(quote_literal(worker_id), 'NULL')
            USING ERRCODE = '22023', HINT = 'Identify the worker with 1 to 200 characters, e.g. host:pid.';
    END IF;
    IF max_items IS NULL OR max_items NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'invalid max_items %', coalesce(max_items::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Claim between 1 and 1000 items at a time.';
    END IF;
    IF lease IS NULL OR lease <= interval '0' OR lease > interval '1 day' THEN
        RAISE EXCEPTION 'invalid lease %', coalesce(lease::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'A lease is a positive interval of at most one day.';
    END IF;

    -- Leases that expired on the last allowed attempt end the item instead of cycling.
    UPDATE attestor.rekor_submission_queue q
       SET state = 'dead', claim_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
           last_error = concat_ws('; ', q.last_error, format('lease of %s expired on attempt %s', q.lease_owner, q.attempts))
      FROM (SELECT d.tenant_id, d.id FROM attestor.rekor_submission_queue d
             WHERE d.state = 'claimed' AND d.next_attempt_at <= now() AND d.attempts >= max_attempts
             FOR UPDATE SKIP LOCKED) AS expired
     WHERE q.tenant_id = expired.tenant_id AND q.id = expired.id;

    -- Fair pass: every tenant with due work gets up to an equal share of the batch, so a
    -- tenant with 100,000 items cannot hold back one with 10 for more than a round.
    SELECT greatest(1, ceil(max_items::numeric / greatest(count(*), 1)))::integer INTO quota
      FROM core.tenants t
     WHERE EXISTS (SELECT FROM attestor.rekor_submission_queue q
                    WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                      AND q.next_attempt_at <= now());

    RETURN QUERY
    WITH fair AS (
        SELECT c.tenant_id, c.id, c.next_attempt_at,
               row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.next_attempt_at, c.created_at) AS rn
          FROM core.tenants t
         CROSS JOIN LATERAL (
               SELECT q.tenant_id, q.id, q.next_attempt_at, q.created_at
                 FROM attestor.rekor_submission_queue q
                WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                  AND q.next_attempt_at <= now()
                ORDER BY q.next_attempt_at, q.created_at
                LIMIT quota
                  FOR UPDATE SKIP LOCKED) c
    ), picked AS (
        -- Round-robin by rank within tenant; ties (more tenants than the batch holds)
        -- go to a random tenant, so none is starved across rounds.
        SELECT f.tenant_id, f.id FROM fair f ORDER BY f.rn, random() LIMIT max_items
    ), fill AS (
        -- The rest of the batch, oldest due first, from any tenant.
        SELECT q.tenant_id, q.id
          FROM attestor.rekor_submission_queue q
         WHERE q.state IN ('pending', 'failed', 'claimed') AND q.next_attempt_at <= now()
           AND (q.tenant_id, q.id) NOT IN (SELECT p.tenant_id, p.id FROM picked p)
         ORDER BY q.next_attempt_at, q.created_at
         LIMIT (max_items - (SELECT count(*) FROM picked))
           FOR UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE attestor.rekor_submission_queue q
           SET state = 'claimed', attempts = q.attempts + 1, claim_token = gen_random_uuid(),
               lease_owner = worker_id, lease_expires_at = now() + lease, next_attempt_at = now() + lease
          FROM (SELECT * FROM picked UNION ALL SELECT * FROM fill) AS k
         WHERE q.tenant_id = k.tenant_id AND q.id = k.id
        RETURNING q.*
    )
    SELECT l.id, l.claim_token, l.tenant_id, l.envelope_id, l.log_id, tl.api_version, tl.base_url,
           e.envelope, a.public_key_pem, l.attempts
      FROM leased l
      JOIN proofchain.dsse_envelopes e ON e.tenant_id = l.tenant_id AND e.id = l.envelope_id
      JOIN proofchain.trust_anchors a ON a.tenant_id = e.tenant_id AND a.id = e.trust_anchor_id
      JOIN attestor.transparency_logs tl ON tl.log_id = l.log_id
     ORDER BY l.tenant_id, l.created_at;
END
$$;

COMMENT ON FUNCTION attestor.claim_submissions(text, integer, interval) IS
    'Claims up to max_items due queue items across tenants for worker_id and returns them with a claim token, the envelope, the log to submit to and the signer''s public key. Uses FOR UPDATE SKIP LOCKED, so concurrent workers never claim the same item. Fair across tenants: each tenant with due work gets an equal share of the batch first, oldest first within a tenant; the rest of the batch goes oldest first. Due means new, a retry whose backoff has passed, or a lease that expired (its worker died). For pgattest_worker. Raises 22023 for a blank worker_id, max_items outside 1..1000 or a lease outside (0, 1 day].';

-- The claimed item, locked; raises for an unknown id (22023). Shared by complete and fail.
CREATE FUNCTION _pgattest.locked_submission(submission_id uuid)
RETURNS attestor.rekor_submission_queue
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item attestor.rekor_submission_queue;
BEGIN
    IF submission_id IS NULL THEN
        RAISE EXCEPTION 'submission_id is NULL' USING ERRCODE = '22004', HINT = 'Pass the id claim_submissions returned.';
    END IF;
    SELECT * INTO item FROM attestor.rekor_submission_queue q WHERE q.id = submission_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown submission %', submission_id
            USING ERRCODE = '22023', HINT = 'Pass the submission_id that attestor.claim_submissions returned.';
    END IF;
    RETURN item;
END
$$;

CREATE FUNCTION _pgattest.require_lease(item attestor.rekor_submission_queue, claim_token uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF item.state <> 'claimed' OR item.claim_token IS DISTINCT FROM require_lease.claim_token THEN
        RAISE EXCEPTION 'stale claim token % for submission % (now %)', claim_token, item.id, item.state
            USING ERRCODE = '55000',
                  HINT = 'The lease was lost (it expired and the item was claimed again, or it was completed or failed); drop the item and claim anew.';
    END IF;
END
$$;

CREATE FUNCTION attestor.complete_submission(submission_id uuid, claim_token uuid, tlog_entry jsonb)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item attestor.rekor_submission_queue := _pgattest.locked_submission(submission_id);
    env proofchain.dsse_envelopes;
    result jsonb;
    entry jsonb;
    mismatch text;
    checkpoint bigint;
    stored uuid;
BEGIN
    -- A second completion of a submitted item changes nothing.
    IF item.state = 'submitted' THEN
        RETURN item.rekor_entry_id;
    END IF;
    PERFORM _pgattest.require_lease(item, claim_token);
    IF tlog_entry IS NULL THEN
        RAISE EXCEPTION 'tlog_entry is NULL' USING ERRCODE = '22004', HINT = 'Pass the log''s response for the submission.';
    END IF;

    result := proofchain.verify_tlog_entry(tlog_entry, attestor.trusted_root(item.log_id));
    IF NOT (result ->> 'verified')::boolean THEN
        RAISE EXCEPTION 'the log entry for submission % does not verify against log %: %',
                        item.id, item.log_id, result ->> 'error'
            USING ERRCODE = '22023', DETAIL = 'checks: ' || (result -> 'checks')::text,
                  HINT = 'Pass the entry exactly as the registered log returned it.';
    END IF;
    entry := result -> 'entry';
    SELECT * INTO env FROM proofchain.dsse_envelopes e WHERE e.tenant_id = item.tenant_id AND e.id = item.envelope_id;
    mismatch := _pgattest.body_mismatch(decode(entry ->> 'body_b64', 'base64'), env.envelope);
    IF mismatch IS NOT NULL THEN
        RAISE EXCEPTION 'the log entry for submission % records another envelope: %', item.id, mismatch
            USING ERRCODE = '22023', HINT = 'The entry''s body must record the submitted envelope.';
    END IF;
    checkpoint := _pgattest.store_checkpoint(item.log_id, entry ->> 'checkpoint');

    INSERT INTO proofchain.rekor_entries AS r
           (tenant_id, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index, integrated_time, kind,
            kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes, checkpoint_id,
            signed_entry_timestamp, verified_at)
    VALUES (item.tenant_id, item.envelope_id, item.log_id, entry ->> 'uuid', entry ->> 'entry_id',
            (entry ->> 'log_index')::bigint, (entry ->> 'shard_log_index')::bigint,
            to_timestamp((entry ->> 'integrated_time')::bigint), entry ->> 'kind', entry ->> 'kind_version',
            decode(entry ->> 'body_b64', 'base64'), decode(entry ->> 'leaf_hash', 'hex'),
            decode(entry ->> 'root_hash', 'hex'), (entry ->> 'tree_size')::bigint,
            ARRAY(SELECT decode(h, 'hex') FROM jsonb_array_elements_text(entry -> 'hashes') WITH ORDINALITY AS x(h, n) ORDER BY n),
            checkpoint, decode(entry ->> 'signed_entry_timestamp', 'base64'), now())
    ON CONFLICT DO NOTHING
    RETURNING r.id INTO stored;
    IF stored IS NULL THEN  -- the tenant already holds this very entry
        SELECT r.id INTO stored FROM proofchain.rekor_entries r
         WHERE r.tenant_id = item.tenant_id AND r.log_id = item.log_id AND r.uuid = entry ->> 'uuid';
    END IF;

    UPDATE attestor.rekor_submission_queue q
       SET state = 'submitted', rekor_entry_id = stored, submitted_at = now(), claim_token = NULL,
           lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
     WHERE q.tenant_id = item.tenant_id AND q.id = item.id;
    RETURN stored;
END
$$;

COMMENT ON FUNCTION attestor.complete_submission(uuid, uuid, jsonb) IS
    'Completes a claimed submission with the log''s entry (Rekor v1 REST response or v2 TransparencyLogEntry) and returns the proofchain.rekor_entries id. First verifies the entry with proofchain.verify_tlog_entry against the registered log key (leaf hash, inclusion proof, checkpoint signature and agreement, signed entry timestamp), and that its body records the submitted envelope; only then stores the checkpoint and the entry and marks the item submitted, in one transaction. A second completion of a submitted item returns the same id and changes nothing. For pgattest_worker. Raises 22023 for an unknown submission or an entry that does not verify or records another envelope, 55000 for a stale claim token, 23PA1 when the checkpoint reveals a split view, 22004 for NULL.';

CREATE FUNCTION attestor.fail_submission(submission_id uuid, claim_token uuid, error text, retryable boolean DEFAULT true)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item attestor.rekor_submission_queue := _pgattest.locked_submission(submission_id);
    max_attempts integer := _pgattest.setting_int('pgattest.max_submission_attempts', 10);
    base_seconds integer := _pgattest.setting_int('pgattest.retry_base_seconds', 5);
    cap_seconds integer := _pgattest.setting_int('pgattest.retry_max_seconds', 3600);
    backoff double precision;
    outcome text;
BEGIN
    PERFORM _pgattest.require_lease(item, claim_token);
    IF error IS NULL OR btrim(error) = '' THEN
        RAISE EXCEPTION 'a failure of submission % needs an error message', item.id
            USING ERRCODE = '22023', HINT = 'Say what went wrong: it is kept in last_error.';
    END IF;
    -- Exponential backoff with "equal jitter": half fixed, half random, capped.
    backoff := least(cap_seconds, base_seconds * power(2, greatest(item.attempts - 1, 0)));
    backoff := backoff / 2 + random() * backoff / 2;
    outcome := CASE WHEN NOT coalesce(retryable, true) OR item.attempts >= max_attempts THEN 'dead' ELSE 'failed' END;
    UPDATE attestor.rekor_submission_queue q
       SET state = outcome, claim_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
           last_error = left(error, 4000),
           next_attempt_at = CASE WHEN outcome = 'failed' THEN now() + make_interval(secs => backoff) ELSE q.next_attempt_at END
     WHERE q.tenant_id = item.tenant_id AND q.id = item.id;
    RETURN outcome;
END
$$;

COMMENT ON FUNCTION attestor.fail_submission(uuid, uuid, text, boolean) IS
    'Records a failed attempt of a claimed submission and returns the new state: failed (retried after exponential backoff with jitter: pgattest.retry_base_seconds * 2^(attempts-1), capped at pgattest.retry_max_seconds) or dead (not retryable, or pgattest.max_submission_attempts reached). For pgattest_worker. Raises 22023 for an unknown submission or an empty error, 55000 for a stale claim token.';

CREATE FUNCTION attestor.requeue_submission(submission_id uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM core.require_tenant();
    UPDATE attestor.rekor_submission_queue q
       SET state = 'pending', attempts = 0, next_attempt_at = now(),
           last_error = format('requeued by %s after: %s',
                               coalesce(nullif(current_setting('app.actor', true), ''), session_user), q.last_error)
     WHERE q.id = submission_id AND q.state = 'dead';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no dead submission % for this tenant', submission_id
            USING ERRCODE = '55000', HINT = 'Only dead items are requeued; see state in attestor.rekor_submission_queue.';
    END IF;
END
$$;

COMMENT ON FUNCTION attestor.requeue_submission(uuid) IS
    'Puts a dead submission of the current tenant back in the queue with its attempts reset. For pgattest_admin. Raises 42501 without a tenant, 55000 when the item is not dead (or not the tenant''s).';

-- pgattest_system owns the cross-tenant worker functions (it bypasses RLS) and holds
-- exactly the privileges they use. Handing them over takes the deploying superuser.
RESET ROLE;
ALTER FUNCTION attestor.claim_submissions(text, integer, interval) OWNER TO pgattest_system;
ALTER FUNCTION attestor.complete_submission(uuid, uuid, jsonb) OWNER TO pgattest_system;
ALTER FUNCTION attestor.fail_submission(uuid, uuid, text, boolean) OWNER TO pgattest_system;
GRANT SELECT, UPDATE ON attestor.rekor_submission_queue TO pgattest_system;
GRANT SELECT ON core.tenants, proofchain.trust_anchors TO pgattest_system;
GRANT EXECUTE ON FUNCTION _pgattest.setting_int(text, integer), _pgattest.locked_submission(uuid),
    _pgattest.require_lease(attestor.rekor_submission_queue, uuid), attestor.trusted_root(text),
    proofchain.verify_tlog_entry(jsonb, jsonb) TO pgattest_system;

REVOKE ALL ON FUNCTION _pgattest.setting_int(text, integer), _pgattest.locked_submission(uuid),
    _pgattest.require_lease(attestor.rekor_submission_queue, uuid),
    attestor.submit_envelope(jsonb, text), attestor.claim_submissions(text, integer, interval),
    attestor.complete_submission(uuid, uuid, jsonb), attestor.fail_submission(uuid, uuid, text, boolean),
    attestor.requeue_submission(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.submit_envelope(jsonb, text) TO pgattest_app;
GRANT EXECUTE ON FUNCTION attestor.claim_submissions(text, integer, interval),
    attestor.complete_submission(uuid, uuid, jsonb), attestor.fail_submission(uuid, uuid, text, boolean)
    TO pgattest_worker;
GRANT EXECUTE ON FUNCTION attestor.requeue_submission(uuid) TO pgattest_admin;

COMMIT;
