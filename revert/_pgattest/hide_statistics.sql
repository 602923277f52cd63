-- Revert pgattest:_pgattest/hide_statistics from pg
-- Tenant tables get the default statistics target back (the next ANALYZE gathers them).

BEGIN;

SET LOCAL ROLE pgattest_owner;

DO $revert$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT a.attrelid::regclass AS rel, quote_ident(a.attname) AS ref
          FROM pg_policy p JOIN pg_attribute a ON a.attrelid = p.polrelid
         WHERE p.polname = 'tenant_isolation' AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget = 0
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %s SET STATISTICS -1', col.rel, col.ref);
    END LOOP;
END
$revert$;

DROP FUNCTION _pgattest.hide_statistics(regclass);

COMMIT;
