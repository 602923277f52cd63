-- Verify pgattest:health/thresholds on pg

BEGIN;

DO $verify$
BEGIN
    PERFORM check_key, warn_above, fail_above, unit, description, updated_at, updated_by, lower_is_worse
       FROM health.thresholds WHERE false;
    IF (SELECT count(*) FROM health.thresholds
         WHERE check_key IN ('queue:dead', 'ledger:anchorAge', 'triage:staleness', 'watchlist:scanLag',
                             'watchlist:undeliveredAlerts', 'transparencyLog:lastConsistencyFailureAge',
                             'audit:partitionsAhead')) <> 7 THEN
        RAISE EXCEPTION 'health.thresholds lacks its default rows';
    END IF;
    IF NOT (SELECT lower_is_worse FROM health.thresholds WHERE check_key = 'transparencyLog:lastConsistencyFailureAge')
       OR NOT (SELECT lower_is_worse FROM health.thresholds WHERE check_key = 'audit:partitionsAhead') THEN
        RAISE EXCEPTION 'the age of the last consistency failure and the audit partitions ahead are checks where lower is worse';
    END IF;
    IF (SELECT unit FROM health.thresholds WHERE check_key = 'transparencyLog:splitViews') <> 'views' THEN
        RAISE EXCEPTION 'transparencyLog:splitViews counts the split views still freezing a log';
    END IF;
    IF has_table_privilege('pgattest_app', 'health.thresholds', 'SELECT') OR has_table_privilege('public', 'health.thresholds', 'SELECT') THEN
        RAISE EXCEPTION 'health.thresholds is for monitors and admins only';
    END IF;
END
$verify$;

ROLLBACK;
