-- Revert pgattest:unknowns/unknowns_history from pg
-- periods guards a versioned table against drops: end the versioning first (which drops
-- the view and the functions it made, and keeps the period of unknowns.unknowns), then
-- drop the history table.

BEGIN;

SELECT periods.drop_system_versioning('unknowns.unknowns');
DROP TABLE unknowns.unknowns_history;

COMMIT;
