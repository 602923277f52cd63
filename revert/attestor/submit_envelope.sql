-- Revert pgattest:attestor/submit_envelope from pg

\ir ../../deploy/attestor/submit_envelope@v1.0.0.sql
