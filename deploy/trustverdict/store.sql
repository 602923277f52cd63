-- Deploy pgattest:trustverdict/store to pg
-- requires: roles schemas core/require_tenant trustverdict/verdicts trustverdict/verdict_counts
-- requires: _pgattest/parse_dsse_envelope proofchain/content_id proofchain/verify_dsse proofchain/trust_anchors
-- requires: _pgattest/lock_ledger _pgattest/append_ledger_entry verdict/ledger_entries
-- A trust verdict arrives as a SLSA Verification Summary Attestation
-- (https://slsa.dev/verification_summary/v1) in a DSSE envelope signed by a trust anchor
-- of the tenant, and is mapped to our fields:
--   subject_digest  'sha256:' || subject[0].digest.sha256 (exactly one subject)
--   issuer          predicate.verifier.id
--   decision        predicate.verificationResult: PASSED -> pass, FAILED -> fail; an
--                   optional predicate.pgattest.decision may say warn for a PASSED one
--   score           optional predicate.pgattest.score (0 to 1); else pass 1, warn 0.5, fail 0
--   policy_digest   'sha256:' || predicate.policy.digest.sha256 (optional)
--   evidence_ids    'sha256:' || predicate.inputAttestations[].digest.sha256
--   verified_at     predicate.timeVerified (RFC 3339)
-- (in-toto consumers ignore fields they do not know, so predicate.pgattest travels in a
-- standard VSA). Its id is the content id of the statement as received.
-- Stores of a tenant take the ledger's lock first: the existence check, the supersession
-- of the current verdict, the ledger entry and the counters happen under it.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION trustverdict.store(envelope jsonb)
RETURNS TABLE (content_id text, verdict_id uuid, ledger_seq bigint, supersedes uuid, created boolean)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    parsed record;
    body_text text;
    body jsonb;
    anchor uuid;
    existing trustverdict.verdicts;
    v trustverdict.verdicts;
    result text;
    bad text;
    entry verdict.ledger_entries;
BEGIN
    IF envelope IS NULL THEN
        RAISE EXCEPTION 'envelope is NULL' USING ERRCODE = '22004', HINT = 'Pass a DSSE envelope of a SLSA VSA as jsonb.';
    END IF;
    SELECT * INTO parsed FROM _pgattest.parse_dsse_envelope(envelope);
    IF parsed.payload_type IS DISTINCT FROM 'application/vnd.in-toto+json' THEN
        RAISE EXCEPTION 'payload type % is not application/vnd.in-toto+json', quote_literal(left(parsed.payload_type, 80))
            USING ERRCODE = '22023', HINT = 'A SLSA VSA is an in-toto statement.';
    END IF;
    BEGIN
        body_text := convert_from(parsed.payload, 'UTF8');
        body := body_text::jsonb;
    EXCEPTION WHEN invalid_text_representation OR character_not_in_repertoire OR untranslatable_character THEN
        RAISE EXCEPTION 'the payload is not UTF-8 JSON' USING ERRCODE = '22023', HINT = 'The payload must be a UTF-8 JSON in-toto statement.';
    END;
    IF jsonb_typeof(body) IS DISTINCT FROM 'object' OR body ->> '_type' IS DISTINCT FROM 'https://in-toto.io/Statement/v1'
       OR body ->> 'predicateType' IS DISTINCT FROM 'https://slsa.dev/verification_summary/v1'
       OR jsonb_typeof(body -> 'predicate') IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'the payload is not an in-toto v1 statement of predicate type https://slsa.dev/verification_summary/v1 (got %)',
                        quote_literal(left(coalesce(body ->> 'predicateType', '(none)'), 80))
            USING ERRCODE = '22023', HINT = 'See https://slsa.dev/spec/v1.0/verification_summary.';
    END IF;

    SELECT a.id INTO anchor
      FROM proofchain.trust_anchors a
     WHERE a.revoked_at IS NULL AND a.valid_from <= now() AND (a.valid_until IS NULL OR now() < a.valid_until)
       AND (a.allowed_predicate_types IS NULL OR 'https://slsa.dev/verification_summary/v1' = ANY (a.allowed_predicate_types))
       AND proofchain.verify_dsse(envelope, a.public_key_pem)
     ORDER BY a.created_at, a.id
     LIMIT 1;
    IF anchor IS NULL THEN
        RAISE EXCEPTION 'the VSA is not signed by a current trust anchor of tenant % allowed for https://slsa.dev/verification_summary/v1', tenant
            USING ERRCODE = '42501', HINT = 'An admin adds the issuer''s key with proofchain.add_trust_anchor.';
    END IF;

    -- The mapping (see the header); every field checked before anything is written.
    v.tenant_id := tenant;
    v.content_id := proofchain.content_id(body_text);
    IF jsonb_typeof(body -> 'subject') IS DISTINCT FROM 'array' OR jsonb_array_length(body -> 'subject') <> 1
       OR body #>> '{subject,0,digest,sha256}' !~ '^[0-9a-f]{64}$' OR body #>> '{subject,0,digest,sha256}' IS NULL THEN
        RAISE EXCEPTION 'the VSA must have exactly one subject with a sha256 digest'
            USING ERRCODE = '22023', HINT = 'Issue one VSA per artifact: subject [{"digest": {"sha256": "<64 hex>"}}].';
    END IF;
    v.subject_digest := 'sha256:' || (body #>> '{subject,0,digest,sha256}');
    v.issuer := body #>> '{predicate,verifier,id}';
    IF v.issuer IS NULL OR length(v.issuer) NOT BETWEEN 1 AND 512 THEN
        RAISE EXCEPTION 'predicate.verifier.id % is missing or not 1 to 512 characters', quote_literal(left(coalesce(v.issuer, '(none)'), 80))
            USING ERRCODE = '22023', HINT = 'The verifier''s id names the issuer of the verdict.';
    END IF;
    result := body #>> '{predicate,verificationResult}';
    v.decision := coalesce(body #>> '{predicate,pgattest,decision}', CASE result WHEN 'PASSED' THEN 'pass' WHEN 'FAILED' THEN 'fail' END);
    IF result IS NULL OR result NOT IN ('PASSED', 'FAILED')
       OR NOT (result = 'PASSED' AND v.decision IN ('pass', 'warn') OR result = 'FAILED' AND v.decision = 'fail') THEN
        RAISE EXCEPTION 'predicate.verificationResult % with decision % is not a verdict', quote_literal(left(coalesce(result, '(none)'), 80)),
                        quote_literal(left(coalesce(v.decision, '(none)'), 80))
            USING ERRCODE = '22023', HINT = 'verificationResult is PASSED or FAILED; predicate.pgattest.decision, when given, is pass or warn for PASSED and fail for FAILED.';
    END IF;
    IF body #> '{predicate,pgattest,score}' IS NULL THEN
        v.score := CASE v.decision WHEN 'pass' THEN 1 WHEN 'warn' THEN 0.5 ELSE 0 END;
    ELSIF jsonb_typeof(body #> '{predicate,pgattest,score}') <> 'number'
          OR (body #>> '{predicate,pgattest,score}')::numeric NOT BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION 'predicate.pgattest.score % is not a number from 0 to 1', left(body #>> '{predicate,pgattest,score}', 80)
            USING ERRCODE = '22023', HINT = 'Scores run from 0 to 1.';
    ELSE
        v.score := round((body #>> '{predicate,pgattest,score}')::numeric, 4);
    END IF;
    IF body #> '{predicate,policy,digest,sha256}' IS NOT NULL THEN
        IF body #>> '{predicate,policy,digest,sha256}' !~ '^[0-9a-f]{64}$' THEN
            RAISE EXCEPTION 'predicate.policy.digest.sha256 % is not 64 lower-case hex', quote_literal(left(body #>> '{predicate,policy,digest,sha256}', 80))
                USING ERRCODE = '22023', HINT = 'Name the policy by its SHA-256 digest.';
        END IF;
        v.policy_digest := 'sha256:' || (body #>> '{predicate,policy,digest,sha256}');
    END IF;
    IF body #> '{predicate,inputAttestations}' IS NOT NULL THEN
        IF jsonb_typeof(body #> '{predicate,inputAttestations}') <> 'array' OR jsonb_array_length(body #> '{predicate,inputAttestations}') > 256 THEN
            RAISE EXCEPTION 'predicate.inputAttestations is not an array of at most 256 attestations'
                USING ERRCODE = '22023', HINT = 'List the attestations the verdict read, each with its sha256 digest.';
        END IF;
        SELECT min(coalesce(i #>> '{digest,sha256}', '(no sha256 digest)')) FILTER (WHERE (i #>> '{digest,sha256}') IS NULL OR (i #>> '{digest,sha256}') !~ '^[0-9a-f]{64}$'),
               array_agg('sha256:' || (i #>> '{digest,sha256}') ORDER BY n)
          INTO bad, v.evidence_ids
          FROM jsonb_array_elements(body #> '{predicate,inputAttestations}') WITH ORDINALITY AS x(i, n);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'an input attestation''s digest % is not a sha256 digest', quote_literal(left(bad, 80))
                USING ERRCODE = '22023', HINT = 'Each inputAttestations element needs digest.sha256 (64 lower-case hex).';
        END IF;
    END IF;
    v.evidence_ids := coalesce(v.evidence_ids, '{}');
    IF coalesce(body #>> '{predicate,timeVerified}', '') !~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$' THEN
        RAISE EXCEPTION 'predicate.timeVerified % is not an RFC 3339 timestamp', quote_literal(left(coalesce(body #>> '{predicate,timeVerified}', '(none)'), 80))
            USING ERRCODE = '22007', HINT = 'e.g. 2026-11-30T05:00:00Z';
    END IF;
    BEGIN
        v.verified_at := (body #>> '{predicate,timeVerified}')::timestamptz;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN  -- e.g. month 13
        RAISE EXCEPTION 'predicate.timeVerified % is not a valid time', quote_literal(left(body #>> '{predicate,timeVerified}', 80))
            USING ERRCODE = '22007', HINT = 'e.g. 2026-11-30T05:00:00Z';
    END;

    PERFORM _pgattest.lock_ledger(tenant);
    SELECT * INTO existing FROM trustverdict.verdicts t WHERE t.tenant_id = tenant AND t.content_id = v.content_id;
    IF FOUND THEN
        IF existing.deleted_at IS NOT NULL THEN
            RAISE EXCEPTION 'trust verdict % was deleted', v.content_id
                USING ERRCODE = '55000', HINT = 'A deleted verdict stays deleted; the issuer issues a new one.';
        END IF;
        RETURN QUERY SELECT existing.content_id, existing.id, existing.ledger_seq, existing.supersedes, false;
        RETURN;
    END IF;

    v.id := gen_random_uuid();
    SELECT t.id, t.score, t.decision INTO existing.id, existing.score, existing.decision
      FROM trustverdict.verdicts t
     WHERE t.tenant_id = tenant AND t.subject_digest = v.subject_digest AND t.issuer = v.issuer
       AND t.superseded_at IS NULL AND t.deleted_at IS NULL;
    v.supersedes := existing.id;
    entry := _pgattest.append_ledger_entry('trust_verdict_stored', v.subject_digest, v.decision,
                                           left('trust verdict stored, issued by ' || v.issuer, 4096), v.policy_digest,
                                           '{}', '{}', '{}', '{}', ARRAY[v.content_id]);
    IF v.supersedes IS NOT NULL THEN
        UPDATE trustverdict.verdicts t SET superseded_at = now(), superseded_by = v.id
         WHERE t.tenant_id = tenant AND t.id = v.supersedes;
        UPDATE trustverdict.verdict_counts c SET verdicts = c.verdicts - 1
         WHERE c.tenant_id = tenant AND c.issuer = v.issuer AND c.decision = existing.decision
           AND c.score_bucket = least(floor(existing.score * 10), 9);
    END IF;
    INSERT INTO trustverdict.verdicts (id, tenant_id, content_id, subject_digest, issuer, score, decision, policy_digest,
                                       evidence_ids, verified_at, body_text, body, envelope, trust_anchor_id, ledger_seq, supersedes)
    VALUES (v.id, tenant, v.content_id, v.subject_digest, v.issuer, v.score, v.decision, v.policy_digest, v.evidence_ids,
            v.verified_at, body_text, body, envelope, anchor, entry.seq, v.supersedes);
    INSERT INTO trustverdict.verdict_counts AS c (tenant_id, issuer, decision, score_bucket, verdicts)
    VALUES (tenant, v.issuer, v.decision, least(floor(v.score * 10), 9), 1)
    ON CONFLICT (tenant_id, issuer, decision, score_bucket) DO UPDATE SET verdicts = c.verdicts + 1;
    RETURN QUERY SELECT v.content_id, v.id, entry.seq, v.supersedes, true;
END
$$;

COMMENT ON FUNCTION trustverdict.store(jsonb) IS
    'Stores a trust verdict for the current tenant from a DSSE envelope of a SLSA Verification Summary Attestation (https://slsa.dev/verification_summary/v1) signed by a current trust anchor of the tenant, and returns its content_id (''sha256:'' of the RFC 8785 statement), verdict_id (the row), ledger_seq (the ledger entry recording the store), supersedes (the issuer''s previous current verdict for the subject, now superseded) and created (false when the same verdict was stored already: same id, nothing written). Mapping: subject_digest from the one subject''s sha256, issuer from predicate.verifier.id, decision from predicate.verificationResult (PASSED: pass, or warn when predicate.pgattest.decision says so; FAILED: fail), score from predicate.pgattest.score (default pass 1, warn 0.5, fail 0), policy_digest from predicate.policy.digest.sha256, evidence_ids from predicate.inputAttestations[].digest.sha256, verified_at from predicate.timeVerified. For pgattest_app. Raises 42501 without a tenant or a trust anchor that verifies it, 22004 for NULL, 22023 for a malformed envelope, statement or field, 22007 for a bad timeVerified, 22P02 for bad base64, 55000 for a verdict deleted before.';
REVOKE ALL ON FUNCTION trustverdict.store(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION trustverdict.store(jsonb) TO pgattest_app;

COMMIT;
