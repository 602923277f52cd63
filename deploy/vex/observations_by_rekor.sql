-- Deploy pgattest:vex/observations_by_rekor to pg
-- requires: core/current_tenant vex/observations proofchain/rekor_entries
-- Which observations a Rekor entry proves, by its uuid or by its log index.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.observations_by_rekor(rekor_uuid text)
RETURNS TABLE (observation_id uuid, content_id text, vulnerability_id text, product_key text, provider text, status text,
               justification text, statement_timestamp timestamptz, rekor_uuid text, rekor_log_index bigint)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.id, o.content_id, o.vulnerability_id, o.product_key, o.provider, o.status, o.justification,
           o.statement_timestamp, o.rekor_uuid, o.rekor_log_index
      FROM vex.observations o
     WHERE o.tenant_id = (SELECT core.current_tenant()) AND o.rekor_uuid = right(lower(observations_by_rekor.rekor_uuid), 64)
     ORDER BY o.created_at, o.id
$$;

CREATE OR REPLACE FUNCTION vex.observations_by_rekor(log_index bigint, log_id text DEFAULT NULL)
RETURNS TABLE (observation_id uuid, content_id text, vulnerability_id text, product_key text, provider text, status text,
               justification text, statement_timestamp timestamptz, rekor_uuid text, rekor_log_index bigint)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.id, o.content_id, o.vulnerability_id, o.product_key, o.provider, o.status, o.justification,
           o.statement_timestamp, o.rekor_uuid, o.rekor_log_index
      FROM vex.observations o
     WHERE o.tenant_id = (SELECT core.current_tenant()) AND o.rekor_log_index = observations_by_rekor.log_index
       -- Indexes count per log: with several logs registered, the log says which entry.
       AND (observations_by_rekor.log_id IS NULL
            OR EXISTS (SELECT FROM proofchain.rekor_entries r
                        WHERE r.id = o.rekor_entry_id AND r.log_id = observations_by_rekor.log_id))
     ORDER BY o.created_at, o.id
$$;

COMMENT ON FUNCTION vex.observations_by_rekor(text) IS
    'The current tenant''s observations (observation_id, content_id, subject and status) a Rekor entry proves, by its uuid (64 hex, or the 80-hex entry id). For pgattest_app (row security applies).';
COMMENT ON FUNCTION vex.observations_by_rekor(bigint, text) IS
    'The current tenant''s observations (observation_id, content_id, subject and status) a Rekor entry proves, by its global log index in the log log_id (attestor.transparency_logs), with their status; without log_id, the entries at that index in every registered log (indexes count per log). For pgattest_app (row security applies).';
REVOKE ALL ON FUNCTION vex.observations_by_rekor(text), vex.observations_by_rekor(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.observations_by_rekor(text), vex.observations_by_rekor(bigint, text) TO pgattest_app;

COMMIT;
