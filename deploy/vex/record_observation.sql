-- Deploy pgattest:vex/record_observation to pg
-- requires: _pgattest/store_observations _pgattest/vex_normalize_statement
-- One OpenVEX statement from a provider, stored as one observation per product.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.record_observation(statement text, provider text, statement_timestamp timestamptz DEFAULT NULL)
RETURNS TABLE (observation_id uuid, content_id text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.observation_id, s.content_id
      FROM _pgattest.store_observations(
               _pgattest.vex_normalize_statement(
                   statement,
                   to_char(coalesce(statement_timestamp, now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
               provider, 'provider_update') AS s
$$;

COMMENT ON FUNCTION vex.record_observation(text, text, timestamptz) IS
    'Records one OpenVEX statement (JSON text: vulnerability, products, status, justification, impact/action statement, timestamp) from provider for the current tenant: one observation per product, content-addressed and idempotent. Returns each observation''s observation_id (vex.observations.id) and content_id (sha256 of its normalized statement, what an attestation names). statement_timestamp (default now) applies when the statement has none. For pgattest_app. Raises 42501 without a tenant, 22023 for a statement that breaks OpenVEX (naming the field) or a bad provider, 22007 for a bad timestamp, 22P02 for text that is not JSON.';
REVOKE ALL ON FUNCTION vex.record_observation(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.record_observation(text, text, timestamptz) TO pgattest_app;

COMMIT;
