-- Deploy pgattest:unknowns/unknowns to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: btree_gist periods _pgattest/version_history_columns
-- Unknowns, bitemporal. Valid time (valid_from, valid_to): when the unknown held in the
-- world, as we now believe; one unknown (id) has one or more rows whose valid periods
-- never overlap (an exclusion constraint), each a stretch of its valid time with one
-- state (kind, subject, reason, details, resolution). System time (system_from,
-- system_to): when the database believed a row; periods' system versioning moves every
-- replaced or deleted row into unknowns.unknowns_history with the system period it was
-- current in. So a correction never rewrites: it ends the old rows in system time and
-- starts new ones. The current table holds what is believed now (system_to = infinity),
-- so "what do we know now" reads it alone; history is read only for earlier knowledge.
--
-- One change for the family periods makes from one table: the current table, its
-- history table, periods' view unknowns.unknowns_with_history and its four system-time
-- functions (unknowns.unknowns__as_of, __between, __between_symmetric, __from_to). Both
-- tables are tenant tables (enable_tenancy: forced row-level security). Writes go
-- through unknowns.record, resolve and correct only.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE unknowns.unknowns (
    id          uuid        NOT NULL,
    tenant_id   text        NOT NULL REFERENCES core.tenants,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    valid_from  timestamptz NOT NULL,
    valid_to    timestamptz NOT NULL DEFAULT 'infinity',
    kind        text        NOT NULL CHECK (kind IN ('missing_sbom', 'ambiguous_package', 'missing_feed', 'unresolved_edge',
                                                     'no_version_info', 'unknown_ecosystem', 'partial_match',
                                                     'version_range_unbounded', 'unsupported_format', 'transitive_gap')),
    -- An artifact digest or a package URL.
    subject     text        NOT NULL CHECK (subject ~ '^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$'
                                            OR (subject ~ '^pkg:[a-z][a-z0-9.+-]*/[^[:space:]]+$' AND length(subject) <= 2048)),
    reason      text        NOT NULL CHECK (reason <> '' AND length(reason) <= 4000),
    details     jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    resolution  text        CHECK (resolution IN ('feed_updated', 'sbom_provided', 'manual_mapping', 'superseded',
                                                  'false_positive', 'wont_fix')),
    CONSTRAINT unknowns_valid_period CHECK (valid_from < valid_to),
    PRIMARY KEY (tenant_id, id, valid_from),
    -- The valid periods of one unknown never overlap: at any valid time it has one state.
    CONSTRAINT unknowns_valid_periods_disjoint
        EXCLUDE USING gist (tenant_id WITH =, id WITH =, tstzrange(valid_from, valid_to) WITH &&)
);
SELECT _pgattest.enable_tenancy('unknowns.unknowns');
-- Ids are drawn by unknowns.record; a row copied at a split keeps its unknown's id.
ALTER TABLE unknowns.unknowns ALTER COLUMN id SET DEFAULT gen_random_uuid();

RESET ROLE;
-- periods' functions are the extension owner's (SECURITY DEFINER); its health-check
-- event trigger keeps what they make owned by the table's owner, pgattest_owner.
SELECT periods.add_system_time_period('unknowns.unknowns', 'system_from', 'system_to');

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
-- Current rows as known at Y, whole tenant.
CREATE INDEX unknowns_system_from ON unknowns.unknowns (tenant_id, system_from);

RESET ROLE;
-- Also makes the view unknowns.unknowns_with_history and the four system-time functions,
-- and revokes everything on them and the history but SELECT (EXECUTE) for whoever may
-- SELECT the current table.
SELECT periods.add_system_versioning('unknowns.unknowns');
SET LOCAL ROLE pgattest_owner;

-- periods' view is a plain view (its owner's rights); as every view here it runs with
-- the caller's instead, so row-level security applies to whoever reads it.
ALTER VIEW unknowns.unknowns_with_history SET (security_invoker = true);

COMMENT ON TABLE unknowns.unknowns IS
    'Unknowns as known now: what the platform could not determine (kind) about an artifact or package (subject), why (reason, details) and, once resolved, how (resolution). Bitemporal: one unknown (id) has one row per stretch of valid time (valid_from, valid_to: when it held in the world) with one state, never overlapping; system_from is when the database came to believe the row. Corrections never rewrite: a replaced row moves to unknowns.unknowns_history (periods system versioning). Written only through unknowns.record, unknowns.resolve and unknowns.correct; read with unknowns.as_of and unknowns.history.';
COMMENT ON COLUMN unknowns.unknowns.id IS 'The unknown''s id (several rows share it, one per stretch of valid time).';
COMMENT ON COLUMN unknowns.unknowns.valid_from IS 'Valid time: from when this state of the unknown held in the world (inclusive).';
COMMENT ON COLUMN unknowns.unknowns.valid_to IS 'Valid time: until when it held (exclusive); infinity while it still does.';
COMMENT ON COLUMN unknowns.unknowns.subject IS 'An artifact digest (sha256:, sha384: or sha512: and lowercase hex) or a package URL (pkg:type/...).';
COMMENT ON COLUMN unknowns.unknowns.resolution IS 'NULL while the unknown is open; else how it was resolved: feed_updated, sbom_provided, manual_mapping, superseded, false_positive, wont_fix.';
COMMENT ON COLUMN unknowns.unknowns.system_from IS 'System time: when the database came to believe this row (the writing transaction''s start; set by periods).';
COMMENT ON COLUMN unknowns.unknowns.system_to IS 'System time: infinity in this table (a row no longer believed moves to unknowns.unknowns_history).';
COMMENT ON TABLE unknowns.unknowns_history IS
    'Every row of unknowns.unknowns that a later write replaced or ended, with the system period (system_from, system_to) in which the database believed it. Written only by periods'' system-versioning trigger; read-only; forced row-level security like the current table. Columns added to unknowns.unknowns are added here too (_pgattest.version_history_columns).';
COMMENT ON VIEW unknowns.unknowns_with_history IS
    'periods: current and history rows together (the columns of unknowns.unknowns when versioning began). Prefer unknowns.as_of and unknowns.history.';
COMMENT ON FUNCTION unknowns.unknowns__as_of(timestamptz) IS 'periods: rows of unknowns.unknowns_with_history believed at the given system time (FOR SYSTEM_TIME AS OF). Prefer unknowns.as_of, which also takes the valid time.';
COMMENT ON FUNCTION unknowns.unknowns__between(timestamptz, timestamptz) IS 'periods: rows believed at some time between the two system times, both included (FOR SYSTEM_TIME BETWEEN).';
COMMENT ON FUNCTION unknowns.unknowns__between_symmetric(timestamptz, timestamptz) IS 'periods: as unknowns.unknowns__between with the bounds in either order (BETWEEN SYMMETRIC).';
COMMENT ON FUNCTION unknowns.unknowns__from_to(timestamptz, timestamptz) IS 'periods: rows believed at some time from the first system time up to, not including, the second (FOR SYSTEM_TIME FROM ... TO).';

-- Reading is tenant-scoped by row-level security; periods extends the SELECT grant to
-- the history table, the view and the four functions (and refuses any other).
GRANT SELECT ON unknowns.unknowns TO pgattest_app, pgattest_admin;

COMMIT;
