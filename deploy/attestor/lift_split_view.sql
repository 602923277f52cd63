-- Deploy pgattest:attestor/lift_split_view to pg
-- requires: roles schemas attestor/transparency_logs attestor/split_views attestor/split_views_add_evidence attestor/transparency_log_events
-- A freeze is for every tenant, so lifting it is an admin's decision with a stated reason,
-- recorded on the evidence and in the log's audit trail. The evidence itself stays.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.lift_split_view(log_id text, reason text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := coalesce(nullif(current_setting('app.actor', true), ''), session_user);
    frozen_at timestamptz;
BEGIN
    IF log_id IS NULL OR nullif(btrim(reason), '') IS NULL THEN
        RAISE EXCEPTION 'log_id and a reason are required' USING ERRCODE = '22004',
            HINT = 'Say why the freeze is lifted (e.g. the operator''s finding); it is kept in the audit trail.';
    END IF;
    SELECT l.split_view_at INTO frozen_at FROM attestor.transparency_logs l
     WHERE l.log_id = lift_split_view.log_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown transparency log %', left(log_id, 80)
            USING ERRCODE = '22023', HINT = 'See attestor.transparency_logs.';
    END IF;
    IF frozen_at IS NULL THEN
        RAISE EXCEPTION 'transparency log % is not frozen', log_id
            USING ERRCODE = '55000', HINT = 'Only a log with a recorded split view (split_view_at) can be lifted.';
    END IF;
    UPDATE attestor.transparency_logs l SET split_view_at = NULL WHERE l.log_id = lift_split_view.log_id;
    UPDATE attestor.split_views s SET resolved_at = now(), resolved_by = actor, resolution = reason
     WHERE s.log_id = lift_split_view.log_id AND s.conclusive AND s.resolved_at IS NULL;
    INSERT INTO attestor.transparency_log_events (log_id, action, actor, changes, reason)
    VALUES (log_id, 'lift_split_view', actor, jsonb_build_object('split_view_at', jsonb_build_object('from', frozen_at, 'to', NULL)),
            reason);
END
$$;

COMMENT ON FUNCTION attestor.lift_split_view(text, text) IS
    'Lifts the freeze a conclusive split view put on a log (transparency_logs.split_view_at), marking its evidence resolved (by whom, why) and recording the action in attestor.transparency_log_events; the evidence stays. For pgattest_admin. Raises 22004 without a log id or reason, 22023 for an unknown log, 55000 when the log is not frozen.';
REVOKE ALL ON FUNCTION attestor.lift_split_view(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.lift_split_view(text, text) TO pgattest_admin;

COMMIT;
