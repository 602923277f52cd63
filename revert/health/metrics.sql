-- Revert pgattest:health/metrics from pg

\ir ../../deploy/health/metrics@v1.1.0.sql

BEGIN;

REVOKE SELECT ON _pgattest.triage_views FROM pgattest_system;
REVOKE SELECT ON watchlist.alert_outbox FROM pgattest_system;

COMMIT;
