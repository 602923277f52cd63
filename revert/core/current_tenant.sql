-- Revert pgattest:core/current_tenant from pg

\ir ../../deploy/core/current_tenant@v1.0.0.sql
