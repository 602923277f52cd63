-- Deploy pgattest:watchlist/delete_global_rule to pg
-- requires: watchlist/global_rules

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.delete_global_rule(rule_id uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF rule_id IS NULL THEN
        RAISE EXCEPTION 'no rule to delete' USING ERRCODE = '22004', HINT = 'Pass a global rule_id from watchlist.list_rules().';
    END IF;
    DELETE FROM watchlist.global_rules g WHERE g.id = delete_global_rule.rule_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no global watchlist rule %', rule_id
            USING ERRCODE = '22023', HINT = 'Pass a rule_id of scope global (watchlist.list_rules()).';
    END IF;
END
$$;

COMMENT ON FUNCTION watchlist.delete_global_rule(uuid) IS
    'Deletes a global watchlist rule (alerts stay). Operators (pgattest_admin) only. 22004 for NULL; 22023 when there is no such rule.';
REVOKE ALL ON FUNCTION watchlist.delete_global_rule(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.delete_global_rule(uuid) TO pgattest_admin;

COMMIT;
