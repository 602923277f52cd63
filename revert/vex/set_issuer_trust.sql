-- Revert pgattest:vex/set_issuer_trust from pg

\ir ../../deploy/vex/set_issuer_trust@v1.0.0.sql
