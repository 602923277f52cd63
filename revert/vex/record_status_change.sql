-- Revert pgattest:vex/record_status_change from pg

\ir ../../deploy/vex/record_status_change@v1.0.0.sql
