-- Revert pgattest:_pgattest/verified_checkpoint from pg

\ir ../../deploy/_pgattest/verified_checkpoint@v1.0.0.sql
