-- Revert pgattest:attestor/claim_submissions from pg

\ir ../../deploy/attestor/claim_submissions@v1.0.0.sql
