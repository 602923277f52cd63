-- Deploy pgattest:attestor/transparency_log_events to pg
-- requires: roles schemas attestor/transparency_logs _pgattest/touch_updated_at
-- The audit trail of log administration: a log is shared by every tenant, so who changed
-- its key name, URL, window or state, or lifted its freeze, is kept here (global table,
-- on the catalog tests' allow-list). Written only by the attestor administration
-- functions (SECURITY DEFINER); rows are never updated or deleted by them.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.transparency_log_events (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    log_id     text        NOT NULL REFERENCES attestor.transparency_logs,
    action     text        NOT NULL CHECK (action IN ('register', 'update', 'deactivate', 'lift_split_view',
                                                      'requeue_dead')),
    actor      text        NOT NULL,
    changes    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(changes) = 'object'),
    reason     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transparency_log_events_log ON attestor.transparency_log_events (log_id, created_at);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON attestor.transparency_log_events
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE attestor.transparency_log_events IS
    'Audit trail of transparency-log administration: registration, updates (changes: {column: {"from", "to"}}), deactivation, lifted split-view freezes and bulk requeues of dead submissions, with the acting login (app.actor when set, else the session user) and the stated reason. Written by attestor.register_transparency_log, update_transparency_log, deactivate_transparency_log, lift_split_view and requeue_dead_submissions.';

GRANT SELECT ON attestor.transparency_log_events TO pgattest_admin;

COMMIT;
