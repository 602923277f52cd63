-- Revert pgattest:attestor/claim_submissions from pg
-- Back to the v1.1.0 claim: the four-argument function goes, the three-argument one
-- returns. One transaction, so no claim ever finds neither: the v1.1.0 script's own
-- BEGIN only warns that a transaction is in progress, and its COMMIT ends this one.

BEGIN;

DROP FUNCTION attestor.claim_submissions(text, integer, interval, text[]);

\ir ../../deploy/attestor/claim_submissions@v1.1.0.sql
