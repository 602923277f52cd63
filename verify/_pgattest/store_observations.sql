-- Verify pgattest:_pgattest/store_observations on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_function_result('_pgattest.store_observations(jsonb, text, text)'::regprocedure)
       <> 'TABLE(observation_id uuid, content_id text)' THEN
        RAISE EXCEPTION '_pgattest.store_observations must return (observation_id uuid, content_id text)';
    END IF;
    IF has_function_privilege('public', '_pgattest.store_observations(jsonb, text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.store_observations must not be executable by PUBLIC';
    END IF;
END
$verify$;

-- Issue 15 item 8: an oversized argument is echoed truncated, never whole.
DO $verify_echo$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    PERFORM core.set_tenant('verify-tenant');
    BEGIN
        PERFORM _pgattest.store_observations('[]', repeat('!', 100000), 'x');
        RAISE EXCEPTION 'no error' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE '22023' THEN
        IF length(SQLERRM) > 300 THEN
            RAISE EXCEPTION '_pgattest.store_observations echoes an oversized argument whole (% characters)', length(SQLERRM);
        END IF;
    END;
END
$verify_echo$;

ROLLBACK;
