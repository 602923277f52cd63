-- Revert pgattest:submission_queue (the rework after v0.1.0) from pg
-- Restores claim_submissions as released in v0.1.0.

BEGIN;

CREATE OR REPLACE FUNCTION attestor.claim_submissions(worker_id text, max_items integer DEFAULT 10,
                                           lease interval DEFAULT '5 minutes')
RETURNS TABLE (submission_id uuid, claim_token uuid, tenant_id text, envelope_id uuid, log_id text,
               api_version text, base_url text, envelope jsonb, verifier_pem text, attempts integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_attempts integer := _pgattest.setting_int('pgattest.max_submission_attempts', 10);
    quota integer;
BEGIN
    IF worker_id IS NULL OR btrim(worker_id) = '' OR length(worker_id) > 200 THEN
        RAISE EXCEPTION 'invalid worker_id %', coalesce(quote_literal(worker_id), 'NULL')
            USING ERRCODE = '22023', HINT = 'Identify the worker with 1 to 200 characters, e.g. host:pid.';
    END IF;
    IF max_items IS NULL OR max_items NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'invalid max_items %', coalesce(max_items::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Claim between 1 and 1000 items at a time.';
    END IF;
    IF lease IS NULL OR lease <= interval '0' OR lease > interval '1 day' THEN
        RAISE EXCEPTION 'invalid lease %', coalesce(lease::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'A lease is a positive interval of at most one day.';
    END IF;

    -- Leases that expired on the last allowed attempt end the item instead of cycling.
    UPDATE attestor.rekor_submission_queue q
       SET state = 'dead', claim_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
           last_error = concat_ws('; ', q.last_error, format('lease of %s expired on attempt %s', q.lease_owner, q.attempts))
      FROM (SELECT d.tenant_id, d.id FROM attestor.rekor_submission_queue d
             WHERE d.state = 'claimed' AND d.next_attempt_at <= now() AND d.attempts >= max_attempts
             FOR UPDATE SKIP LOCKED) AS expired
     WHERE q.tenant_id = expired.tenant_id AND q.id = expired.id;

    -- Fair pass: every tenant with due work gets up to an equal share of the batch, so a
    -- tenant with 100,000 items cannot hold back one with 10 for more than a round.
    SELECT greatest(1, ceil(max_items::numeric / greatest(count(*), 1)))::integer INTO quota
      FROM core.tenants t
     WHERE EXISTS (SELECT FROM attestor.rekor_submission_queue q
                    WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                      AND q.next_attempt_at <= now());

    RETURN QUERY
    WITH fair AS (
        SELECT c.tenant_id, c.id, c.next_attempt_at,
               row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.next_attempt_at, c.created_at) AS rn
          FROM core.tenants t
         CROSS JOIN LATERAL (
               SELECT q.tenant_id, q.id, q.next_attempt_at, q.created_at
                 FROM attestor.rekor_submission_queue q
                WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                  AND q.next_attempt_at <= now()
                ORDER BY q.next_attempt_at, q.created_at
                LIMIT quota
                  FOR UPDATE SKIP LOCKED) c
    ), picked AS (
        -- Round-robin by rank within tenant; ties (more tenants than the batch holds)
        -- go to a random tenant, so none is starved across rounds.
        SELECT f.tenant_id, f.id FROM fair f ORDER BY f.rn, random() LIMIT max_items
    ), fill AS (
        -- The rest of the batch, oldest due first, from any tenant.
        SELECT q.tenant_id, q.id
          FROM attestor.rekor_submission_queue q
         WHERE q.state IN ('pending', 'failed', 'claimed') AND q.next_attempt_at <= now()
           AND (q.tenant_id, q.id) NOT IN (SELECT p.tenant_id, p.id FROM picked p)
         ORDER BY q.next_attempt_at, q.created_at
         LIMIT (max_items - (SELECT count(*) FROM picked))
           FOR UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE attestor.rekor_submission_queue q
           SET state = 'claimed', attempts = q.attempts + 1, claim_token = gen_random_uuid(),
               lease_owner = worker_id, lease_expires_at = now() + lease, next_attempt_at = now() + lease
          FROM (SELECT * FROM picked UNION ALL SELECT * FROM fill) AS k
         WHERE q.tenant_id = k.tenant_id AND q.id = k.id
        RETURNING q.*
    )
    SELECT l.id, l.claim_token, l.tenant_id, l.envelope_id, l.log_id, tl.api_version, tl.base_url,
           e.envelope, a.public_key_pem, l.attempts
      FROM leased l
      JOIN proofchain.dsse_envelopes e ON e.tenant_id = l.tenant_id AND e.id = l.envelope_id
      JOIN proofchain.trust_anchors a ON a.tenant_id = e.tenant_id AND a.id = e.trust_anchor_id
      JOIN attestor.transparency_logs tl ON tl.log_id = l.log_id
     ORDER BY l.tenant_id, l.created_at;
END
$$;

COMMIT;
