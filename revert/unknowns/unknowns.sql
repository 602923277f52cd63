-- Revert pgattest:unknowns/unknowns from pg
-- periods guards a table with a period against drops: drop the period first.

BEGIN;

SELECT periods.drop_system_time_period('unknowns.unknowns', purge => true);
DROP TABLE unknowns.unknowns;

COMMIT;
