-- Revert pgattest:core/require_tenant from pg

\ir ../../deploy/core/require_tenant@v1.0.0.sql
