-- Deploy pgattest:_pgattest/watch_match to pg
-- requires: roles schemas
-- One rule matching one identity, as the live matching and watchlist.backfill hand
-- matches to _pgattest.record_watch_alerts.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TYPE _pgattest.watch_match AS (
    tenant_id      text,
    rule_id        uuid,
    rule_scope     text,
    rule_name      text,
    rule_version   integer,
    severity       text,
    dedup_minutes  integer,
    field          text,
    value          text,
    identity       jsonb,
    rekor_entry_id uuid,
    seen_at        timestamptz
);

COMMENT ON TYPE _pgattest.watch_match IS
    'A watchlist rule (tenant or global) matching a signer identity of a stored entry: the field and value named in the alert, and when the entry was stored (seen_at: the dedup window it falls in).';
GRANT USAGE ON TYPE _pgattest.watch_match TO pgattest_system;

COMMIT;
