-- Revert pgattest:verdict/append from pg

BEGIN;

DROP FUNCTION verdict.append(text, text, text, text, uuid[], uuid[], uuid[], text[], text[]);

COMMIT;
