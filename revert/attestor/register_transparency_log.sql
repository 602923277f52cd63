-- Revert pgattest:attestor/register_transparency_log from pg

\ir ../../deploy/attestor/register_transparency_log@v1.0.0.sql
