-- Revert pgattest:_pgattest/version_history_columns from pg
-- The v1.1.0 deploy: the invoker's-rights body, owned by pgattest_owner. It also creates
-- the event trigger, which this rework kept: drop it first, in the same transaction (the
-- included script's BEGIN only warns that one is in progress; its COMMIT ends both).

BEGIN;

DROP EVENT TRIGGER pgattest_version_history_columns;

\ir ../../deploy/_pgattest/version_history_columns@v1.1.0.sql
