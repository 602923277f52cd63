-- Deploy pgattest:audit/events to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at audit/maintain_partitions
-- The audit log: one row per INSERT, UPDATE and DELETE of every tenant table, written by
-- the statement-level trigger _pgattest.audit_changes() (owned by pgattest_system, the only
-- role with INSERT here). It is a tenant table like the others (RLS forced, tenant policy),
-- so an application reads its own tenant's events and nothing else; nobody may update or
-- delete events: even the owner gives up its write privileges, so no function it owns can
-- forge one. Partitioned by month on created_at (the statement time) so retention drops
-- whole partitions (audit.maintain_partitions).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE audit.events (
    id          bigint      NOT NULL DEFAULT (('x' || left(replace(gen_random_uuid()::text, '-', ''), 16))::bit(64)::bigint & 9223372036854775807),  -- random: a shared counter would show other tenants' volume
    tenant_id   text        NOT NULL REFERENCES core.tenants,
    -- statement_timestamp(): the time of the statement that wrote the row (the partition key).
    created_at  timestamptz NOT NULL DEFAULT statement_timestamp(),
    -- Events never change; the column is here because every tenant table has it.
    updated_at  timestamptz NOT NULL DEFAULT statement_timestamp(),
    txid        xid8        NOT NULL DEFAULT pg_current_xact_id(),
    actor       text        NOT NULL,
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('superuser', 'admin', 'worker', 'app', 'other')),
    login       name        NOT NULL DEFAULT session_user,
    request_id  text,
    table_name  text        NOT NULL,
    operation   text        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    row_id      text        NOT NULL,
    old_values  jsonb,
    new_values  jsonb,
    PRIMARY KEY (tenant_id, id, created_at),
    CHECK (operation <> 'INSERT' OR old_values IS NULL),
    CHECK (operation <> 'DELETE' OR new_values IS NULL)
) PARTITION BY RANGE (created_at);

SELECT _pgattest.enable_tenancy('audit.events');

-- One index besides the key (each costs on every audited write): a row's history. A time
-- window prunes partitions, and within one the key's (tenant_id, id) follows time.
CREATE INDEX events_by_row ON audit.events (tenant_id, table_name, row_id);

COMMENT ON TABLE audit.events IS
    'The audit log: one row per INSERT, UPDATE and DELETE of every tenant table, written only by the audit trigger (_pgattest.audit_changes). Applications read their tenant''s events; no role may insert, update or delete events directly. Partitioned by month (UTC) on created_at; audit.maintain_partitions creates partitions ahead and removes expired ones.';
COMMENT ON COLUMN audit.events.created_at IS 'statement_timestamp() of the statement that wrote the audited row.';
COMMENT ON COLUMN audit.events.txid IS 'pg_current_xact_id() of the writing transaction: events of one transaction share it.';
COMMENT ON COLUMN audit.events.actor IS 'The transaction-local setting app.actor (set by the application for its end user), else the session user.';
COMMENT ON COLUMN audit.events.actor_kind IS 'The class of the login: superuser, admin, worker or app (member of pgattest_admin, pgattest_worker, pgattest_app), else other.';
COMMENT ON COLUMN audit.events.login IS 'session_user: the database login, which the application cannot choose (unlike actor).';
COMMENT ON COLUMN audit.events.request_id IS 'The transaction-local setting app.request_id, NULL when unset.';
COMMENT ON COLUMN audit.events.table_name IS 'Schema-qualified name of the audited table.';
COMMENT ON COLUMN audit.events.row_id IS 'The audited row''s id as text (uuid or bigint by table).';
COMMENT ON COLUMN audit.events.old_values IS 'UPDATE: the changed columns'' old values; DELETE: the whole row; INSERT: NULL.';
COMMENT ON COLUMN audit.events.new_values IS 'UPDATE: the changed columns'' new values; INSERT: the whole row; DELETE: NULL.';

-- The owner gives up writing: only pgattest_system (the audit trigger's owner) inserts.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit.events FROM pgattest_owner;
GRANT SELECT ON audit.events TO pgattest_app, pgattest_admin;
GRANT INSERT ON audit.events TO pgattest_system;

-- The current month and those ahead.
SELECT count(*) FROM audit.maintain_partitions();

COMMIT;
