-- Revert pgattest:health/set_threshold from pg

\ir ../../deploy/health/set_threshold@v1.1.0.sql
