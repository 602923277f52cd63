-- Deploy pgattest:_pgattest/store_observations to pg
-- requires: core/require_tenant vex/observations vex/delta_changes
-- Stores normalized observations (from _pgattest.vex_parse or vex_normalize_statement)
-- for the current tenant and provider: new ones supersede the provider's current
-- observation of the same vulnerability and product, and deltas record what changed.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.store_observations(observations jsonb, provider text, reason_code text)
RETURNS TABLE (observation_id uuid, content_id text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF provider IS NULL OR provider !~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$' THEN
        RAISE EXCEPTION 'invalid provider %', coalesce(quote_literal(provider), 'NULL')
            USING ERRCODE = '22023', HINT = 'Name the provider with 1 to 200 letters, digits and ._:/@- (e.g. vendor.example/psirt).';
    END IF;
    RETURN QUERY
    WITH incoming AS (
        SELECT o, prev.id AS prev_id, prev.status AS prev_status
          -- A document may state one thing twice: it is one observation, one delta.
          FROM (SELECT DISTINCT ON (e ->> 'content_id') e AS o
                  FROM jsonb_array_elements(observations) AS e ORDER BY e ->> 'content_id') AS d
          LEFT JOIN LATERAL (
                SELECT p.id, p.status FROM vex.observations p
                 WHERE p.provider = store_observations.provider AND p.vulnerability_id = o ->> 'vulnerability_id'
                   AND p.product_key = o ->> 'product_key' AND p.content_id <> o ->> 'content_id'
                   AND p.statement_timestamp <= (o ->> 'timestamp')::timestamptz
                   AND NOT EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = p.id)
                 ORDER BY p.statement_timestamp DESC, p.created_at DESC, p.id
                 LIMIT 1) prev ON true
    ), stored AS (
        INSERT INTO vex.observations AS x
               (tenant_id, content_id, vulnerability_id, product_key, provider, status, justification,
                impact_statement, action_statement, statement_text, statement, statement_timestamp, source_format,
                source_text, supersedes)
        SELECT tenant, i.o ->> 'content_id', i.o ->> 'vulnerability_id', i.o ->> 'product_key',
               store_observations.provider, i.o ->> 'status', i.o ->> 'justification', i.o ->> 'impact_statement',
               i.o ->> 'action_statement', i.o ->> 'statement', (i.o ->> 'statement')::jsonb,
               (i.o ->> 'timestamp')::timestamptz, i.o ->> 'source_format', i.o ->> 'source', i.prev_id
          FROM incoming i
        ON CONFLICT ON CONSTRAINT observations_tenant_id_provider_content_id_key DO NOTHING
        RETURNING x.id, x.content_id, x.vulnerability_id, x.product_key, x.status, x.supersedes
    ), deltas AS (
        INSERT INTO vex.delta_changes (tenant_id, change_kind, vulnerability_id, product_key, provider,
                                       old_observation_id, new_observation_id, old_status, new_status, reason_code,
                                       old_rekor_entry_id)
        SELECT tenant, CASE WHEN s.supersedes IS NULL THEN 'added' ELSE 'status_changed' END, s.vulnerability_id,
               s.product_key, store_observations.provider, s.supersedes, s.id, i.prev_status, s.status,
               CASE WHEN s.supersedes IS NULL THEN 'new_statement' ELSE store_observations.reason_code END,
               (SELECT p.rekor_entry_id FROM vex.observations p WHERE p.id = s.supersedes)
          FROM stored s JOIN incoming i ON i.o ->> 'content_id' = s.content_id
         WHERE s.supersedes IS NULL OR i.prev_status <> s.status
    )
    SELECT s.id, s.content_id FROM stored s
    UNION ALL
    SELECT x.id, x.content_id FROM vex.observations x
     WHERE x.provider = store_observations.provider
       AND x.content_id IN (SELECT i.o ->> 'content_id' FROM incoming i)
       AND x.content_id NOT IN (SELECT s.content_id FROM stored s);
END
$$;

COMMENT ON FUNCTION _pgattest.store_observations(jsonb, text, text) IS
    'Stores normalized observations for the current tenant and provider (idempotent by content id), superseding the provider''s current observation of each vulnerability and product, and records deltas (added, or status_changed with reason_code). Returns each observation''s observation_id (vex.observations.id) and content_id, stored or already there.';
REVOKE ALL ON FUNCTION _pgattest.store_observations(jsonb, text, text) FROM PUBLIC;

COMMIT;
