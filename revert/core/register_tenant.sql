-- Revert pgattest:core/register_tenant from pg

\ir ../../deploy/core/register_tenant@v1.0.0.sql
