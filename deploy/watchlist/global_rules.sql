-- Deploy pgattest:watchlist/global_rules to pg
-- requires: roles schemas _pgattest/touch_updated_at
-- Watchlist rules of the operators, matched against every tenant's entries (a match
-- alerts the tenant whose entry matched). A global table (on the catalog tests'
-- allow-list): written only through watchlist.upsert_global_rule (pgattest_admin).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE watchlist.global_rules (
    id             uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    name           text        NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    description    text        CHECK (length(description) <= 2000),
    issuer_pattern text        CHECK (length(issuer_pattern) BETWEEN 1 AND 256),
    san_pattern    text        CHECK (length(san_pattern) BETWEEN 1 AND 256),
    key_pattern    text        CHECK (length(key_pattern) BETWEEN 1 AND 256),
    match_mode     text        NOT NULL CHECK (match_mode IN ('exact', 'prefix', 'glob', 'regex')),
    severity       text        NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    enabled        boolean     NOT NULL DEFAULT true,
    dedup_minutes  integer     NOT NULL DEFAULT 60 CHECK (dedup_minutes BETWEEN 1 AND 10080),
    version        integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (num_nonnulls(issuer_pattern, san_pattern, key_pattern) >= 1)
);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON watchlist.global_rules
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE watchlist.global_rules IS
    'Operators'' watchlist rules, matched against every tenant''s new entries (the alert goes to the tenant whose entry matched). Same columns and meaning as watchlist.rules; written by watchlist.upsert_global_rule.';

GRANT SELECT ON watchlist.global_rules TO pgattest_admin, pgattest_system;

COMMIT;
