-- Verify pgattest:vex/issuers on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, provider, trust_tier, trust_weight FROM vex.issuers WHERE false;

DO $verify$
BEGIN
    IF NOT has_table_privilege('pgattest_admin', 'vex.issuers', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vex.issuers', 'INSERT') THEN
        RAISE EXCEPTION 'vex.issuers is not granted as designed (read-only, written by vex.set_issuer_trust)';
    END IF;
END
$verify$;

ROLLBACK;
