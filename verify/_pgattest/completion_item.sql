-- Verify pgattest:_pgattest/completion_item on pg

BEGIN;

SELECT (i).submission_id, (i).tenant_id, (i).envelope_id, (i).log_id, (i).tlog_entry, (i).payload_type, (i).payload,
       (i).signatures
  FROM (SELECT NULL::_pgattest.completion_item AS i) AS x;

ROLLBACK;
