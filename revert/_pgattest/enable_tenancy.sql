-- Revert pgattest:_pgattest/enable_tenancy from pg

\ir ../../deploy/_pgattest/enable_tenancy@v1.0.0.sql
