-- Deploy pgattest:vex/record_status_change to pg
-- requires: core/require_tenant vex/observations _pgattest/lock_current_observation _pgattest/store_observations _pgattest/vex_normalize_statement
-- A status change whose new statement the database builds and timestamps: no signature,
-- so it is logged by a second call (vex.submit_observation). The signed form, one call
-- that also queues the attestation, is vex.update_status. (Before v1.0.0 this was the
-- six-argument vex.update_status.)

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.record_status_change(observation_id uuid, new_status text, reason_code text,
                                         justification text DEFAULT NULL, impact_statement text DEFAULT NULL,
                                         action_statement text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old vex.observations;
    created uuid;
BEGIN
    PERFORM core.require_tenant();
    old := _pgattest.lock_current_observation(record_status_change.observation_id);
    IF new_status IS NOT DISTINCT FROM old.status THEN
        RAISE EXCEPTION 'observation % already has status %', old.id, old.status
            USING ERRCODE = '22023', HINT = 'A status change needs a different status.';
    END IF;
    IF reason_code IS NULL OR reason_code !~ '^[a-z][a-z0-9_]{1,63}$' THEN
        RAISE EXCEPTION 'invalid reason_code %', coalesce(quote_literal(left(reason_code, 80)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use a snake_case code, e.g. fix_released or analysis_complete.';
    END IF;
    SELECT s.observation_id INTO created
      FROM _pgattest.store_observations(
               _pgattest.vex_normalize_statement(
                   jsonb_strip_nulls(jsonb_build_object(
                       'vulnerability', jsonb_build_object('name', old.vulnerability_id),
                       'products', jsonb_build_array(jsonb_build_object('@id', old.product_key)),
                       'status', new_status, 'justification', justification,
                       'impact_statement', impact_statement, 'action_statement', action_statement,
                       -- Strictly later than the statement it supersedes, even twice in one transaction.
                       'timestamp', to_char(greatest(now(), old.statement_timestamp + interval '1 microsecond') AT TIME ZONE 'UTC',
                                            'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))::text, NULL),
               old.provider, reason_code) AS s;
    RETURN created;
END
$$;

COMMENT ON FUNCTION vex.record_status_change(uuid, text, text, text, text, text) IS
    'Changes the status of a provider''s current observation with a statement the database builds (unsigned; vex.update_status is the signed form): records a new observation (timestamped now) that supersedes it, which waits in vex.pending_rekor_links for its own Rekor entry (submit its attestation with vex.submit_observation), and a vex.delta_changes row (old and new status, reason_code) that links the old and the new entries once both exist. Returns the new observation''s id. For pgattest_app. Raises 42501 without a tenant, 22023 for an unknown observation, an unchanged status, a bad reason_code or a statement OpenVEX rejects (not_affected needs a justification or impact statement, affected an action statement), 55000 when the observation is superseded.';
REVOKE ALL ON FUNCTION vex.record_status_change(uuid, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.record_status_change(uuid, text, text, text, text, text) TO pgattest_app;

COMMIT;
