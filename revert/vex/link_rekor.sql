-- Revert pgattest:vex/link_rekor from pg

\ir ../../deploy/vex/link_rekor@v1.0.0.sql
