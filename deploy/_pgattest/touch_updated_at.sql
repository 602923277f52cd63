-- Deploy pgattest:_pgattest/touch_updated_at to pg
-- requires: schemas

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION _pgattest.touch_updated_at() IS
    'BEFORE UPDATE trigger of every tenant table: keeps updated_at current without trusting clients to set it.';

REVOKE ALL ON FUNCTION _pgattest.touch_updated_at() FROM PUBLIC;

COMMIT;
