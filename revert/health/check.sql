-- Revert pgattest:health/check from pg

\ir ../../deploy/health/check@v1.1.0.sql
