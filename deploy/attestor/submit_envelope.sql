-- Deploy pgattest:attestor/submit_envelope to pg
-- requires: attestor/rekor_submission_queue core/require_tenant attestor/transparency_logs _pgattest/parse_dsse_envelope proofchain/dsse_envelopes proofchain/envelope_subjects proofchain/trust_anchors proofchain/verify_dsse
-- requires: _pgattest/envelope_digest proofchain/dsse_envelopes_signed_digest
-- The entry point: a tenant's DSSE envelope is verified against the tenant's trust
-- anchors, stored once (content-addressed) with its in-toto subjects, and queued for
-- the transparency log. Runs as the owner under the tenant's row-level security.
--
-- Issue 15: the envelope is identified by what its signatures cover
-- (_pgattest.envelope_digest: payload type, payload, signature set), not by its whole
-- JSON, so unsigned additions do not store and queue it again (item 10); echoed
-- values are truncated (item 8); a subject row's random id colliding with another
-- raises rather than dropping the subject (its id is no longer a counter, item 3).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.submit_envelope(envelope jsonb, log_id text DEFAULT NULL)
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
        RAISE EXCEPTION 'no usable transparency log %', coalesce(quote_literal(left(log_id, 80)), '(no default log registered)')
            USING ERRCODE = '22023',
                  HINT = 'Name an active log from attestor.transparency_logs, or have an admin register a default one.';
    END IF;
    SELECT * INTO parsed FROM _pgattest.parse_dsse_envelope(envelope);
    digest := _pgattest.envelope_digest(parsed.payload_type, parsed.payload, parsed.signatures);

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
                            tenant, left(coalesce(statement ->> 'predicateType', parsed.payload_type), 80)
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
            ON CONFLICT (tenant_id, envelope_id, name, digest_algorithm) DO NOTHING;
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
    'Stores a DSSE envelope for the current tenant and queues it for the transparency log (log_id, or the default log), returning the envelope id. Idempotent on the signed content: the same envelope again, also with members its signatures do not cover added or changed (extra JSON members, keyids, the order of signatures), gives the same id and no second queue row. The envelope must verify with a current trust anchor of the tenant that allows its in-toto predicate type. Wakes workers with one NOTIFY pgattest_submissions per transaction. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies it, 22023 for a malformed envelope or statement or an unusable log, 22P02 for bad base64, 22004 for NULL.';
REVOKE ALL ON FUNCTION attestor.submit_envelope(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.submit_envelope(jsonb, text) TO pgattest_app;

COMMIT;
