-- Revert pgattest:_pgattest/store_observations from pg

\ir ../../deploy/_pgattest/store_observations@v1.0.0.sql
