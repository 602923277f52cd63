-- Deploy pgattest:unknowns/unknowns_history to pg
-- requires: unknowns/unknowns core/tenants _pgattest/enable_tenancy periods _pgattest/hide_statistics
-- System versioning of unknowns.unknowns (periods): every row a write replaces or ends
-- moves here with the system period (system_from, system_to) it was believed in. One
-- change for what periods makes from one table: this history table, the view
-- unknowns.unknowns_with_history and its four system-time functions
-- (unknowns.unknowns__as_of, __between, __between_symmetric, __from_to).

BEGIN;

-- The history table, made here rather than by periods so it is a tenant table before
-- versioning starts (periods then takes every privilege but SELECT away from it, the
-- owner's TRIGGER included): the same columns, the key with the system start (one row
-- per version), tenant_id referencing core.tenants, forced row-level security. Only
-- periods' trigger writes it (directly, without the executor's privilege checks: no
-- role holds INSERT on it, and periods refuses any grant but SELECT).
SET LOCAL ROLE pgattest_owner;
CREATE TABLE unknowns.unknowns_history (LIKE unknowns.unknowns);
ALTER TABLE unknowns.unknowns_history
    ADD PRIMARY KEY (tenant_id, id, valid_from, system_from),
    ADD FOREIGN KEY (tenant_id) REFERENCES core.tenants;
SELECT _pgattest.enable_tenancy('unknowns.unknowns_history');
-- unknowns.history(id) and point lookups in the past.
CREATE INDEX unknowns_history_id ON unknowns.unknowns_history (tenant_id, id, system_from);
-- Whole-tenant snapshots "as known at Y": rows with system_from <= Y < system_to. Plain
-- timestamptz bounds in a btree_gist index, because range operators are not LEAKPROOF and
-- under row-level security a non-leakproof predicate cannot use an index.
CREATE INDEX unknowns_history_system_time ON unknowns.unknowns_history
    USING gist (tenant_id, system_from, system_to, valid_from, valid_to);
RESET ROLE;
-- Also makes the view unknowns.unknowns_with_history and the four system-time functions,
-- and revokes everything on them and the history but SELECT (EXECUTE) for whoever may
-- SELECT the current table.
SELECT periods.add_system_versioning('unknowns.unknowns');
-- Its four system-time functions get the search_path every function here has.
ALTER FUNCTION unknowns.unknowns__as_of(timestamptz) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION unknowns.unknowns__between(timestamptz, timestamptz) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION unknowns.unknowns__between_symmetric(timestamptz, timestamptz) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION unknowns.unknowns__from_to(timestamptz, timestamptz) SET search_path = pg_catalog, pg_temp;
SET LOCAL ROLE pgattest_owner;
SELECT _pgattest.hide_statistics('unknowns.unknowns_history');

-- periods' view is a plain view (its owner's rights); as every view here it runs with
-- the caller's instead, so row-level security applies to whoever reads it.
ALTER VIEW unknowns.unknowns_with_history SET (security_invoker = true);

COMMENT ON TABLE unknowns.unknowns_history IS
    'Every row of unknowns.unknowns that a later write replaced or ended, with the system period (system_from, system_to) in which the database believed it. Written only by periods'' system-versioning trigger; read-only; forced row-level security like the current table. Columns added to unknowns.unknowns are added here too (_pgattest.version_history_columns).';
COMMENT ON VIEW unknowns.unknowns_with_history IS
    'periods: current and history rows together (the columns of unknowns.unknowns when versioning began). Prefer unknowns.as_of and unknowns.history.';
COMMENT ON FUNCTION unknowns.unknowns__as_of(timestamptz) IS 'periods: rows of unknowns.unknowns_with_history believed at the given system time (FOR SYSTEM_TIME AS OF). Prefer unknowns.as_of, which also takes the valid time.';
COMMENT ON FUNCTION unknowns.unknowns__between(timestamptz, timestamptz) IS 'periods: rows believed at some time between the two system times, both included (FOR SYSTEM_TIME BETWEEN).';
COMMENT ON FUNCTION unknowns.unknowns__between_symmetric(timestamptz, timestamptz) IS 'periods: as unknowns.unknowns__between with the bounds in either order (BETWEEN SYMMETRIC).';
COMMENT ON FUNCTION unknowns.unknowns__from_to(timestamptz, timestamptz) IS 'periods: rows believed at some time from the first system time up to, not including, the second (FOR SYSTEM_TIME FROM ... TO).';

COMMIT;
