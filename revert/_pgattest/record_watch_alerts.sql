-- Revert pgattest:_pgattest/record_watch_alerts from pg

\ir ../../deploy/_pgattest/record_watch_alerts@v1.1.0.sql
