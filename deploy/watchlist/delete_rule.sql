-- Deploy pgattest:watchlist/delete_rule to pg
-- requires: core/require_tenant watchlist/rules
-- Alerts of a deleted rule stay (they name the rule and its version).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.delete_rule(rule_id uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF rule_id IS NULL THEN
        RAISE EXCEPTION 'no rule to delete' USING ERRCODE = '22004', HINT = 'Pass a rule_id from watchlist.list_rules().';
    END IF;
    DELETE FROM watchlist.rules r WHERE r.tenant_id = tenant AND r.id = delete_rule.rule_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tenant % has no watchlist rule %', tenant, rule_id
            USING ERRCODE = '22023', HINT = 'Pass a rule_id of the tenant''s own rules (watchlist.list_rules(), scope tenant).';
    END IF;
END
$$;

COMMENT ON FUNCTION watchlist.delete_rule(uuid) IS
    'Deletes one of the current tenant''s watchlist rules (its alerts stay). 42501 without a tenant; 22004 for NULL; 22023 when the tenant has no such rule.';
REVOKE ALL ON FUNCTION watchlist.delete_rule(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.delete_rule(uuid) TO pgattest_app, pgattest_admin;

COMMIT;
