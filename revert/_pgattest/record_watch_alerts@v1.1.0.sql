-- Revert pgattest:_pgattest/record_watch_alerts from pg

BEGIN;

DROP FUNCTION _pgattest.record_watch_alerts(_pgattest.watch_match[]);

COMMIT;
