-- Revert pgattest:proofchain/verify_stored_entry from pg

\ir ../../deploy/proofchain/verify_stored_entry@v1.0.0.sql
