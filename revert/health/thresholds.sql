-- Revert pgattest:health/thresholds from pg
-- Not the previous deploy script (it creates the table): only this change's rows and
-- column go, what an admin set on the other checks stays.

BEGIN;

SET LOCAL ROLE pgattest_owner;

DELETE FROM health.thresholds
 WHERE check_key IN ('ledger:anchorAge', 'triage:staleness', 'watchlist:scanLag', 'watchlist:undeliveredAlerts',
                     'transparencyLog:lastConsistencyFailureAge', 'audit:partitionsAhead');

UPDATE health.thresholds SET unit = 'records', description = 'split-view evidence recorded against a log'
 WHERE check_key = 'transparencyLog:splitViews';

ALTER TABLE health.thresholds
    DROP CONSTRAINT thresholds_bounds_ordered,
    DROP COLUMN lower_is_worse,
    ADD CONSTRAINT thresholds_check CHECK (warn_above IS NULL OR fail_above IS NULL OR warn_above <= fail_above);

COMMENT ON TABLE health.thresholds IS
    'When a health check warns and fails: the check key (component:measurement, as in health.check()), the observed value at or above which it warns (warn_above) and fails (fail_above), NULL for never. Change with health.set_threshold(). A check without a row only reports.';

COMMIT;
