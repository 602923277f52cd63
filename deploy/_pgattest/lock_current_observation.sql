-- Deploy pgattest:_pgattest/lock_current_observation to pg
-- requires: vex/observations
-- The one check both status changes (vex.update_status, vex.record_status_change) make
-- on the observation they change: it is the tenant's, it is current (nothing supersedes
-- it), and no concurrent change takes it meanwhile (FOR UPDATE).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.lock_current_observation(observation_id uuid)
RETURNS vex.observations
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    current vex.observations;
BEGIN
    SELECT * INTO current FROM vex.observations o WHERE o.id = lock_current_observation.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation %', observation_id
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    IF EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = current.id) THEN
        RAISE EXCEPTION 'observation % is superseded', current.id
            USING ERRCODE = '55000', HINT = 'Update the provider''s current observation of this vulnerability and product.';
    END IF;
    RETURN current;
END
$$;

COMMENT ON FUNCTION _pgattest.lock_current_observation(uuid) IS
    'The observation observation_id of the current tenant, locked FOR UPDATE; raises 22023 when the tenant has no such observation and 55000 when another observation supersedes it. For the status-change functions.';
REVOKE ALL ON FUNCTION _pgattest.lock_current_observation(uuid) FROM PUBLIC;

COMMIT;
