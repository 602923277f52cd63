-- Revert pgattest:_pgattest/pylib from pg
-- The previous library: its deploy script replaces the rows and re-stamps the wrappers.

\ir ../../deploy/_pgattest/pylib@v1.1.0.sql
