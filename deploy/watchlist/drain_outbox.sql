-- Deploy pgattest:watchlist/drain_outbox to pg
-- requires: core/require_tenant watchlist/alerts watchlist/alert_outbox
-- Takes (deletes) the oldest undelivered alerts of the current tenant, skipping rows
-- another consumer holds: consumers in parallel never get the same alert, and a consumer
-- whose transaction rolls back leaves its rows for the next one.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.drain_outbox(max_items integer DEFAULT 100)
RETURNS SETOF watchlist.alerts
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF max_items IS NULL OR max_items NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'invalid max_items %', max_items
            USING ERRCODE = '22023', HINT = 'Take 1 to 10000 items per call.';
    END IF;
    RETURN QUERY
    WITH taken AS (
        DELETE FROM watchlist.alert_outbox o
         WHERE o.tenant_id = tenant
           AND o.id IN (SELECT x.id FROM watchlist.alert_outbox x WHERE x.tenant_id = tenant
                         ORDER BY x.created_at, x.id LIMIT max_items FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.alert_id, o.created_at
    )
    SELECT a.* FROM taken t JOIN watchlist.alerts a ON a.tenant_id = tenant AND a.id = t.alert_id
     ORDER BY t.created_at, t.id;
END
$$;

COMMENT ON FUNCTION watchlist.drain_outbox(integer) IS
    'Takes up to max_items (1 to 10000, default 100) undelivered new alerts of the current tenant, oldest first, with FOR UPDATE SKIP LOCKED: parallel consumers get disjoint alerts; a rolled-back take leaves them for later. Works behind transaction pooling, unlike LISTEN. 42501 without a tenant; 22023 for a bad limit.';
REVOKE ALL ON FUNCTION watchlist.drain_outbox(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.drain_outbox(integer) TO pgattest_app, pgattest_admin;

COMMIT;
