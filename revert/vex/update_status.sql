-- Revert pgattest:vex/update_status from pg

\ir ../../deploy/vex/update_status@v1.0.0.sql
