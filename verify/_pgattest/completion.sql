-- Verify pgattest:_pgattest/completion on pg

BEGIN;

SELECT (NULL::_pgattest.completion).submission_id, (NULL::_pgattest.completion).claim_token,
       (NULL::_pgattest.completion).tlog_entry;

ROLLBACK;
