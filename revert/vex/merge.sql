-- Revert pgattest:vex/merge from pg

\ir ../../deploy/vex/merge@v1.0.0.sql
