-- Verify pgattest:_pgattest/link_observations on pg

BEGIN;

DO $verify$
BEGIN
    IF EXISTS (SELECT FROM _pgattest.link_observations(
                   ARRAY[ROW('verify-tenant', '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000')::_pgattest.observation_link])) THEN
        RAISE EXCEPTION '_pgattest.link_observations linked an observation that does not exist';
    END IF;
    IF has_function_privilege('public', '_pgattest.link_observations(_pgattest.observation_link[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.link_observations must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
