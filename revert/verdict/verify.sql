-- Revert pgattest:verdict/verify from pg

\ir ../../deploy/verdict/verify@v1.1.0.sql
