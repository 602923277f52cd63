-- Deploy pgattest:unknowns/unknowns to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: btree_gist periods _pgattest/version_history_columns _pgattest/hide_statistics
-- Unknowns, bitemporal. Valid time (valid_from, valid_to): when the unknown held in the
-- world, as we now believe; one unknown (id) has one or more rows whose valid periods
-- never overlap (an exclusion constraint), each a stretch of its valid time with one
-- state (kind, subject, reason, details, resolution). System time (system_from,
-- system_to, periods' SYSTEM_TIME period): when the database believed a row; the system
-- versioning of unknowns/unknowns_history moves every replaced or deleted row into
-- unknowns.unknowns_history with the system period it was current in. So a correction
-- never rewrites: it ends the old rows in system time and starts new ones. This table
-- holds what is believed now (system_to = infinity), so "what do we know now" reads it
-- alone. Writes go through unknowns.record, resolve and correct only.

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
SET LOCAL ROLE pgattest_owner;
-- periods (re)makes the system-time columns: keep no planner statistics of them either.
SELECT _pgattest.hide_statistics('unknowns.unknowns');
-- Current rows as known at Y, whole tenant.
CREATE INDEX unknowns_system_from ON unknowns.unknowns (tenant_id, system_from);

COMMENT ON TABLE unknowns.unknowns IS
    'Unknowns as known now: what the platform could not determine (kind) about an artifact or package (subject), why (reason, details) and, once resolved, how (resolution). Bitemporal: one unknown (id) has one row per stretch of valid time (valid_from, valid_to: when it held in the world) with one state, never overlapping; system_from is when the database came to believe the row. Corrections never rewrite: a replaced row moves to unknowns.unknowns_history (periods system versioning). Written only through unknowns.record, unknowns.resolve and unknowns.correct; read with unknowns.as_of and unknowns.history.';
COMMENT ON COLUMN unknowns.unknowns.id IS 'The unknown''s id (several rows share it, one per stretch of valid time).';
COMMENT ON COLUMN unknowns.unknowns.valid_from IS 'Valid time: from when this state of the unknown held in the world (inclusive).';
COMMENT ON COLUMN unknowns.unknowns.valid_to IS 'Valid time: until when it held (exclusive); infinity while it still does.';
COMMENT ON COLUMN unknowns.unknowns.subject IS 'An artifact digest (sha256:, sha384: or sha512: and lowercase hex) or a package URL (pkg:type/...).';
COMMENT ON COLUMN unknowns.unknowns.resolution IS 'NULL while the unknown is open; else how it was resolved: feed_updated, sbom_provided, manual_mapping, superseded, false_positive, wont_fix.';
COMMENT ON COLUMN unknowns.unknowns.system_from IS 'System time: when the database came to believe this row (the writing transaction''s start; set by periods).';
COMMENT ON COLUMN unknowns.unknowns.system_to IS 'System time: infinity in this table (a row no longer believed moves to the history table).';

-- Reading is tenant-scoped by row-level security; once versioned, periods extends the
-- SELECT grant to the history table, its view and functions (and refuses any other).
GRANT SELECT ON unknowns.unknowns TO pgattest_app, pgattest_admin;

COMMIT;
