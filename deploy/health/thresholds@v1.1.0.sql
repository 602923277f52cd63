-- Deploy pgattest:health/thresholds to pg
-- requires: pgattest_monitor schemas

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- Global table (on the catalog tests' allow-list): operational settings, no tenant data.
-- Every check reports a figure where higher is worse (ages, counts, percentages), so one
-- pair of bounds says when it warns and when it fails.
CREATE TABLE health.thresholds (
    check_key   text             PRIMARY KEY CHECK (check_key ~ '^[a-z][A-Za-z]*:[a-z][A-Za-z]*$'),
    warn_above  double precision CHECK (warn_above >= 0),
    fail_above  double precision CHECK (fail_above >= 0),
    unit        text             NOT NULL,
    description text             NOT NULL,
    updated_at  timestamptz      NOT NULL DEFAULT now(),
    updated_by  name             NOT NULL DEFAULT session_user,
    CHECK (warn_above IS NULL OR fail_above IS NULL OR warn_above <= fail_above)
);

COMMENT ON TABLE health.thresholds IS
    'When a health check warns and fails: the check key (component:measurement, as in health.check()), the observed value at or above which it warns (warn_above) and fails (fail_above), NULL for never. Change with health.set_threshold(). A check without a row only reports.';

INSERT INTO health.thresholds (check_key, warn_above, fail_above, unit, description) VALUES
    ('database:responseTime',          20,        50,         'ms',      'server time to compute the health figures'),
    ('connections:utilization',        80,        95,         'percent', 'client connections against max_connections'),
    ('locks:waiting',                  5,         50,         'sessions','sessions waiting for a lock'),
    ('transactions:oldestAge',         300,       3600,       's',       'age of the oldest open transaction'),
    ('transactions:xminAge',           10000000,  100000000,  'xids',    'transactions a held xmin (backend, slot, prepared transaction) keeps vacuum from cleaning'),
    ('transactions:wraparoundUsed',    50,        80,         'percent', 'share of the transaction-id space used before wraparound protection'),
    ('replication:lag',                30,        300,        's',       'replay lag of a standby'),
    ('queue:depth',                    10000,     100000,     'items',   'submissions waiting for the log (pending, failed, claimed)'),
    ('queue:oldestPendingAge',         300,       3600,       's',       'age of the oldest submission not yet in the log'),
    ('queue:dead',                     1,         100,        'items',   'submissions given up (dead): they need an operator'),
    ('vex:pendingLinks',               10000,     100000,     'observations', 'VEX observations not yet linked to a Rekor entry'),
    ('transparencyLog:checkpointAge',  3600,      86400,      's',       'age of the newest verified checkpoint of an active log'),
    ('transparencyLog:splitViews',     NULL,      1,          'records', 'split-view evidence recorded against a log');

REVOKE ALL ON health.thresholds FROM PUBLIC;
GRANT SELECT ON health.thresholds TO pgattest_monitor, pgattest_admin, pgattest_system;

COMMIT;
