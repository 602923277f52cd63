-- Deploy pgattest:vex/merge to pg
-- requires: core/require_tenant proofchain/content_id proofchain/rekor_entries
-- requires: vex/observations vex/issuers vex/merge_traces
-- The deterministic merge of every provider's statements about one vulnerability and
-- product, stored with its trace.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.merge(vulnerability text, product text)
RETURNS vex.merge_traces
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    ranked jsonb;
    winner jsonb;
    effective jsonb;
    digest text;
    result vex.merge_traces;
BEGIN
    -- Each provider's current statements (not superseded) at its latest timestamp: a
    -- provider that contradicts itself at one time is a conflict to show, not to drop.
    -- A verified affected that only under_investigation statements of its provider came
    -- after stays a candidate (under_investigation never overrides it). Ranked by issuer
    -- trust tier, then verification strength (1 when a verified Rekor entry proves it),
    -- then recency, then the more cautious status; the content id breaks the last ties,
    -- so the order (and the digest) is a function of the inputs alone. The digest leaves
    -- out the observation ids (uuids, not content): the sources' content ids name them.
    WITH subject AS (
        SELECT o.id, o.content_id, o.provider, o.status, o.justification, o.statement_timestamp,
               o.rekor_entry_id, o.rekor_uuid, o.rekor_log_index,
               NOT EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = o.id) AS is_current,
               o.rekor_entry_id IS NOT NULL
                   AND NOT EXISTS (SELECT FROM proofchain.rekor_entries r
                                    WHERE r.id = o.rekor_entry_id AND r.verification_error IS NOT NULL) AS verified
          FROM vex.observations o
         WHERE o.vulnerability_id = vulnerability AND o.product_key = product
    ), latest AS (
        SELECT c.*
          FROM (SELECT s.*, rank() OVER (PARTITION BY s.provider ORDER BY s.statement_timestamp DESC) AS at_latest
                  FROM subject s WHERE s.is_current) c
         WHERE c.at_latest = 1
    ), candidates AS (
        SELECT l.id, l.content_id, l.provider, l.status, l.justification, l.statement_timestamp, l.rekor_entry_id,
               l.rekor_uuid, l.rekor_log_index, l.verified, true AS is_current
          FROM latest l
        UNION ALL
        SELECT a.id, a.content_id, a.provider, a.status, a.justification, a.statement_timestamp, a.rekor_entry_id,
               a.rekor_uuid, a.rekor_log_index, a.verified, a.is_current
          FROM (SELECT DISTINCT ON (s.provider) s.* FROM subject s
                 WHERE s.status = 'affected' AND s.verified
                   AND EXISTS (SELECT FROM latest l WHERE l.provider = s.provider AND l.status = 'under_investigation')
                   AND NOT EXISTS (SELECT FROM latest l WHERE l.id = s.id)
                   AND NOT EXISTS (SELECT FROM subject later
                                    WHERE later.provider = s.provider AND later.statement_timestamp > s.statement_timestamp
                                      AND later.status <> 'under_investigation')
                 ORDER BY s.provider, s.statement_timestamp DESC, s.content_id) a
    ), scored AS (
        SELECT c.*, coalesce(i.trust_tier, 0) AS tier, coalesce(i.trust_weight, 0.5) AS weight,
               CASE WHEN c.verified THEN 1 ELSE 0 END AS strength,
               array_position(ARRAY['affected', 'under_investigation', 'fixed', 'not_affected'], c.status) AS caution
          FROM candidates c LEFT JOIN vex.issuers i ON i.provider = c.provider
    )
    SELECT jsonb_agg(jsonb_build_object(
               'rank', s.rank, 'observation_id', s.id, 'content_id', s.content_id, 'provider', s.provider, 'status', s.status,
               'justification', s.justification, 'trust_tier', s.tier, 'trust_weight', s.weight,
               'verification_strength', s.strength, 'current', s.is_current,
               'statement_timestamp', to_char(s.statement_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'rekor_entry_id', s.rekor_entry_id, 'rekor_uuid', s.rekor_uuid, 'rekor_log_index', s.rekor_log_index)
               ORDER BY s.rank)
      INTO ranked
      FROM (SELECT sc.*, row_number() OVER (ORDER BY sc.tier DESC, sc.strength DESC, sc.statement_timestamp DESC,
                                                     sc.caution, sc.content_id) AS rank
              FROM scored sc) s;
    IF ranked IS NULL THEN
        -- Echoed values are truncated: a caller's megabytes never reach the server log whole.
        RAISE EXCEPTION 'no observations of % for %', quote_literal(left(vulnerability, 80)), quote_literal(left(product, 80))
            USING ERRCODE = '22023', HINT = 'Record or import VEX statements for this vulnerability and product first.';
    END IF;
    winner := ranked -> 0;
    effective := winner;
    -- under_investigation never overrides a verified affected.
    IF winner ->> 'status' = 'under_investigation' THEN
        SELECT r INTO effective FROM jsonb_array_elements(ranked) AS r
         WHERE r ->> 'status' = 'affected' AND (r ->> 'verification_strength')::integer = 1
         ORDER BY (r ->> 'rank')::integer LIMIT 1;
        effective := coalesce(effective, winner);
    END IF;
    ranked := (SELECT jsonb_agg(r || jsonb_build_object('role',
                          CASE WHEN r ->> 'rank' = effective ->> 'rank' THEN 'winner'
                               WHEN r ->> 'status' = effective ->> 'status' THEN 'agrees' ELSE 'conflicts' END)
                          ORDER BY (r ->> 'rank')::integer)
                 FROM jsonb_array_elements(ranked) AS r);
    digest := proofchain.content_id(jsonb_build_object(
        'vulnerability', vulnerability, 'product', product, 'effective_status', effective ->> 'status',
        'justification', effective -> 'justification', 'winner', effective ->> 'content_id',
        'sources', (SELECT jsonb_agg(r - 'observation_id' ORDER BY (r ->> 'rank')::integer) FROM jsonb_array_elements(ranked) AS r))::text);

    INSERT INTO vex.merge_traces AS m (tenant_id, vulnerability_id, product_key, effective_status, justification,
                                      winner_observation_id, has_conflict, sources, trace_digest)
    VALUES (tenant, vulnerability, product, effective ->> 'status', effective ->> 'justification',
            (effective ->> 'observation_id')::uuid, EXISTS (SELECT FROM jsonb_array_elements(ranked) AS r WHERE r ->> 'role' = 'conflicts'),
            ranked, digest)
    ON CONFLICT ON CONSTRAINT merge_traces_tenant_id_trace_digest_key DO NOTHING
    RETURNING m.* INTO result;
    IF result.id IS NULL THEN
        SELECT * INTO result FROM vex.merge_traces m WHERE m.trace_digest = digest;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION vex.merge(text, text) IS
    'The effective VEX status of vulnerability for product across all providers of the current tenant, written to vex.merge_traces with every source statement (its observation_id, content_id, provider, status, trust, verification, rank and role). Precedence: each provider''s latest current statements (all of them when it made several at once); then issuer trust tier (vex.issuers); then verification strength (a verified Rekor entry proves it); then recency; then the more cautious status (affected, under_investigation, fixed, not_affected). Conflicts stay in the trace (role conflicts); under_investigation never overrides a verified affected, not even its own provider''s earlier one (kept in the trace with current false). Deterministic: the same inputs give the same trace and trace_digest, stored once. For pgattest_app. Raises 42501 without a tenant, 22023 when there is no observation.';
REVOKE ALL ON FUNCTION vex.merge(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.merge(text, text) TO pgattest_app;

COMMIT;
