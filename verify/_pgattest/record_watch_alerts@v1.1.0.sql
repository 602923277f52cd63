-- Verify pgattest:_pgattest/record_watch_alerts on pg

BEGIN;

SELECT '_pgattest.record_watch_alerts(_pgattest.watch_match[])'::regprocedure;

ROLLBACK;
