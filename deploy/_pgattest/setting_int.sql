-- Deploy pgattest:_pgattest/setting_int to pg
-- requires: roles schemas
-- Queue settings are database-level custom settings, e.g.
--   ALTER DATABASE pgattest SET pgattest.max_submission_attempts = 12;
-- (attestor.claim_submissions reads the same expression inline: a SQL-function call is
-- planned in every transaction.)

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.setting_int(name text, fallback integer)
RETURNS integer
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(nullif(current_setting(name, true), '')::integer, fallback)
$$;

COMMENT ON FUNCTION _pgattest.setting_int(text, integer) IS
    'An integer custom setting, or the fallback when unset: pgattest.max_submission_attempts (10), pgattest.retry_base_seconds (5), pgattest.retry_max_seconds (3600).';
REVOKE ALL ON FUNCTION _pgattest.setting_int(text, integer) FROM PUBLIC;
-- attestor.fail_submission runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.setting_int(text, integer) TO pgattest_system;

COMMIT;
