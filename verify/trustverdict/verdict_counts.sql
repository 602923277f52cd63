-- Verify pgattest:trustverdict/verdict_counts on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, issuer, decision, score_bucket, verdicts
  FROM trustverdict.verdict_counts WHERE false;

ROLLBACK;
