-- Deploy pgattest:attestor/deactivate_transparency_log to pg
-- requires: roles schemas attestor/transparency_logs attestor/transparency_log_events
-- An admin stops new submissions to a log (it is no longer the default either); entries
-- it already holds still verify. Recorded with the actor and reason.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.deactivate_transparency_log(log_id text, reason text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur attestor.transparency_logs;
BEGIN
    IF log_id IS NULL OR nullif(btrim(reason), '') IS NULL THEN
        RAISE EXCEPTION 'log_id and a reason are required' USING ERRCODE = '22004',
            HINT = 'Say why the log is deactivated; it is kept in the audit trail.';
    END IF;
    SELECT * INTO cur FROM attestor.transparency_logs l WHERE l.log_id = deactivate_transparency_log.log_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown transparency log %', left(log_id, 80)
            USING ERRCODE = '22023', HINT = 'See attestor.transparency_logs.';
    END IF;
    IF NOT cur.active THEN
        RAISE EXCEPTION 'transparency log % is inactive already', log_id
            USING ERRCODE = '55000', HINT = 'attestor.update_transparency_log(log_id, active => true) activates it.';
    END IF;
    UPDATE attestor.transparency_logs l SET active = false, is_default = false WHERE l.log_id = cur.log_id;
    INSERT INTO attestor.transparency_log_events (log_id, action, actor, changes, reason)
    VALUES (cur.log_id, 'deactivate', coalesce(nullif(current_setting('app.actor', true), ''), session_user),
            jsonb_build_object('active', jsonb_build_object('from', true, 'to', false))
            || CASE WHEN cur.is_default THEN jsonb_build_object('is_default', jsonb_build_object('from', true, 'to', false))
                    ELSE '{}' END,
            reason);
END
$$;

COMMENT ON FUNCTION attestor.deactivate_transparency_log(text, text) IS
    'Deactivates a log: attestor.submit_envelope no longer queues to it and it stops being the default; entries it holds still verify. Recorded with the actor and reason in attestor.transparency_log_events. For pgattest_admin. Raises 22004 without a log id or reason, 22023 for an unknown log, 55000 when it is inactive already.';
REVOKE ALL ON FUNCTION attestor.deactivate_transparency_log(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.deactivate_transparency_log(text, text) TO pgattest_admin;

COMMIT;
