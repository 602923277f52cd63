-- Revert pgattest:unknowns/unknowns from pg
-- periods guards a versioned table against drops: end the versioning (purge drops the
-- history table, the view and the functions it made), then the period, then the table.

BEGIN;

SELECT periods.drop_system_versioning('unknowns.unknowns', purge => true);
SELECT periods.drop_system_time_period('unknowns.unknowns', purge => true);
DROP TABLE unknowns.unknowns;

COMMIT;
