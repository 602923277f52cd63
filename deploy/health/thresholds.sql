-- Deploy pgattest:health/thresholds to pg
-- requires: health/thresholds@v1.1.0 pgattest_monitor schemas
-- The checks of the modules that landed after health (issue 21: ledger anchor age,
-- materialized-view staleness, watchlist scan lag, per log the last consistency failure,
-- and how far ahead the audit partitions go). Rows are added ON CONFLICT DO NOTHING: an
-- upgraded database keeps what an admin set; the revert deletes only these rows.
-- transparencyLog:splitViews now counts the split views still freezing a log (not yet
-- lifted), so its unit and description change; its bounds (fail at 1) stay as they were
-- or as an admin set them.
--
-- One of them is the first check where a lower value is worse: the age of a log's last
-- consistency failure (a failure an hour ago is more urgent than one a month ago, and
-- no failure at all is fine). lower_is_worse turns the bounds round: such a check warns
-- at or below warn_above and fails at or below fail_above (so warn_above >= fail_above),
-- and a NULL value (the event never happened) passes.

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE health.thresholds
    ADD COLUMN lower_is_worse boolean NOT NULL DEFAULT false,
    DROP CONSTRAINT thresholds_check,
    ADD CONSTRAINT thresholds_bounds_ordered
        CHECK (warn_above IS NULL OR fail_above IS NULL
               OR (NOT lower_is_worse AND warn_above <= fail_above) OR (lower_is_worse AND warn_above >= fail_above));

COMMENT ON TABLE health.thresholds IS
    'When a health check warns and fails: the check key (component:measurement, as in health.check()), the observed value at or above which it warns (warn_above) and fails (fail_above), NULL for never. For a check where a lower value is worse (lower_is_worse: the age of a log''s last consistency failure) the bounds turn round: it warns at or below warn_above and fails at or below fail_above, and no value (nothing happened) passes. Change with health.set_threshold(). A check without a row only reports.';
COMMENT ON COLUMN health.thresholds.lower_is_worse IS
    'True for a check where a lower value is worse (an age since something bad happened): warns at or below warn_above, fails at or below fail_above (warn_above >= fail_above), passes when there is no value.';

INSERT INTO health.thresholds (check_key, warn_above, fail_above, unit, description, lower_is_worse) VALUES
    -- Anchoring is the tenant's job (sign verdict.checkpoint(), submit it to Rekor), typically
    -- daily; until an entry is anchored, whoever can write the database could rewrite it
    -- undetected. 26 hours is a daily job late by two hours; 72 hours is three missed runs.
    ('ledger:anchorAge',                    93600,   259200,  's',      'how long the oldest ledger entry not yet anchored in Rekor has waited, worst tenant', false),
    -- triage.refresh() runs every 5 minutes (pg_cron or the worker): 15 minutes is three
    -- missed runs, an hour means the dashboards show a past the users no longer live in.
    ('triage:staleness',                    900,     3600,    's',      'time since a triage materialized view was last refreshed', false),
    -- Matching runs when an entry is stored, so what can fall behind is delivery: a new
    -- alert waits in the outbox until a consumer takes it (watchlist.drain_outbox) or
    -- someone acknowledges it. A consumer polling every minute keeps this under 5 minutes;
    -- an hour means nobody is told that a watched identity signed something.
    ('watchlist:scanLag',                   300,     3600,    's',      'how long the oldest new watchlist alert has waited undelivered and unacknowledged', false),
    ('watchlist:undeliveredAlerts',         1000,    10000,   'alerts', 'new watchlist alerts neither taken from the outbox nor acknowledged (counted up to 100,001)', false),
    -- Lower is worse. Any failure is worth a look, conclusive (the log froze) or not (a
    -- proof that fails proves no fork but needs re-checking offline): within a day it
    -- fails, within a week it warns (a weekly review sees it), after that it is history
    -- (transparencyLog:splitViews still counts it).
    ('transparencyLog:lastConsistencyFailureAge', 604800, 86400, 's',   'time since the last consistency failure (split view or failed consistency proof) recorded against a log; none passes', true),
    -- Lower is worse. audit.maintain_partitions() creates the current month and 3 ahead
    -- (pgattest.audit_months_ahead), daily from the worker's maintenance round or pg_cron,
    -- so a kept database sees about 90 to 120 days. Under 45 days the maintenance has not run
    -- for about six weeks (or months_ahead was lowered to 1): someone should look while
    -- there is time. Under 7 days, audited writes (every write of every tenant table)
    -- start failing within the week: page someone. No partition for now reports 0 and fails.
    ('audit:partitionsAhead',               45,      7,       'd',      'days from now to the end of the audit.events partitions that cover now without a gap; 0 when none covers now (every audited write fails)', true)
ON CONFLICT (check_key) DO NOTHING;

UPDATE health.thresholds
   SET unit = 'views', description = 'split views still freezing a log: conclusive evidence not yet lifted with attestor.lift_split_view'
 WHERE check_key = 'transparencyLog:splitViews';

COMMIT;
