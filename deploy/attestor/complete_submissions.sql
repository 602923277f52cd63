-- Deploy pgattest:attestor/complete_submissions to pg
-- requires: _pgattest/complete_claimed _pgattest/completion
-- A worker that claimed a batch completes it in one call: every entry verified (one
-- PL/Python call for the batch), a checkpoint the entries share stored once, set-based
-- writes, all or nothing. The batch is read in one pass (validation, duplicates and the
-- typed rows) and only walked again to name the offender of an error; ids and tokens are
-- checked to be canonical uuids by casting them (a uuid that prints back as its own
-- lower-case text), not with two case-insensitive regular expressions per item. Owned by
-- pgattest_system: workers hold no tenant. Planned once per session.

BEGIN;

-- No SET ROLE: the function belongs to pgattest_system, which pgattest_owner cannot
-- replace a function of; the deploying superuser creates it (and a rework, or the revert
-- of one, replaces it) and hands it over below.

CREATE OR REPLACE FUNCTION attestor.complete_submissions(completions jsonb)
RETURNS TABLE (submission_id uuid, rekor_entry_id uuid)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
    first_bad bigint;
    completion_rows _pgattest.completion[];
BEGIN
    IF completions IS NULL THEN
        RAISE EXCEPTION 'completions is NULL' USING ERRCODE = '22004',
            HINT = 'Pass a JSON array of {submission_id, claim_token, tlog_entry}.';
    END IF;
    IF jsonb_typeof(completions) IS DISTINCT FROM 'array' OR jsonb_array_length(completions) NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'completions must be a JSON array of 1 to 1000 items, got %', left(completions::text, 80)
            USING ERRCODE = '22023', HINT = 'Pass a JSON array of {submission_id, claim_token, tlog_entry}.';
    END IF;
    -- One pass: the first malformed item, and the batch as typed rows (a malformed item
    -- casts nothing).
    -- A canonical uuid is one that prints back as its own lower-case text; anything that
    -- is no uuid at all makes the cast raise, and only then is the batch read again with
    -- the patterns, to name the first malformed item.
    BEGIN
        SELECT min(c.n) FILTER (WHERE NOT c.ok),
               array_agg(CASE WHEN c.ok THEN ROW(c.sid::uuid, c.token::uuid, c.item -> 'tlog_entry')::_pgattest.completion END
                         ORDER BY c.n)
          INTO first_bad, completion_rows
          FROM (SELECT x.item, x.n, f.sid, f.token,
                       coalesce(jsonb_typeof(x.item) = 'object'
                                AND f.sid::uuid::text = lower(f.sid)
                                AND f.token::uuid::text = lower(f.token)
                                AND jsonb_typeof(x.item -> 'tlog_entry') = 'object', false) AS ok
                  FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n)
                 CROSS JOIN LATERAL (SELECT x.item ->> 'submission_id' AS sid, x.item ->> 'claim_token' AS token) AS f) AS c;
    EXCEPTION WHEN invalid_text_representation THEN
        SELECT min(x.n) INTO first_bad
          FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n)
         WHERE NOT coalesce(jsonb_typeof(x.item) = 'object'
                            AND coalesce(x.item ->> 'submission_id', '') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                            AND coalesce(x.item ->> 'claim_token', '') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                            AND jsonb_typeof(x.item -> 'tlog_entry') = 'object', false);
    END;
    IF first_bad IS NOT NULL THEN
        RAISE EXCEPTION 'completion % is not {submission_id: uuid, claim_token: uuid, tlog_entry: object}: %',
                        first_bad, left((completions -> (first_bad::integer - 1))::text, 120)
            USING ERRCODE = '22023', HINT = 'Pass the submission_id and claim_token from claim_submissions and the log''s entry.';
    END IF;
    IF cardinality(completion_rows) > 1
       AND (SELECT count(DISTINCT u.submission_id) FROM unnest(completion_rows) AS u) < cardinality(completion_rows) THEN
        SELECT u.submission_id AS id INTO bad FROM unnest(completion_rows) AS u GROUP BY 1 HAVING count(*) > 1 LIMIT 1;
        RAISE EXCEPTION 'submission % appears twice in one batch', bad.id
            USING ERRCODE = '22023', HINT = 'Complete each claimed submission once.';
    END IF;

    RETURN QUERY
    SELECT c.submission_id, c.rekor_entry_id FROM _pgattest.complete_claimed(completion_rows) AS c;
END
$$;

COMMENT ON FUNCTION attestor.complete_submissions(jsonb) IS
    'Completes a batch of claimed submissions in one call: completions is a JSON array of {submission_id, claim_token, tlog_entry} (1 to 1000). Every entry is checked as attestor.complete_submission checks one (verified against the registered log key: leaf hash, inclusion proof, checkpoint signature and agreement, signed entry timestamp; its body records the submitted envelope); only when all pass are the checkpoints and entries stored and the items marked submitted, in one transaction. Returns (submission_id, rekor_entry_id) for every item; items already submitted are returned unchanged. For pgattest_worker. Raises 22023 for a malformed batch, a duplicate or unknown submission or an entry that does not verify or records another envelope (naming it), 55000 for a stale claim token, 23PA1 when a checkpoint reveals a split view, 22004 for NULL; then nothing is written, and the worker completes the good items without the bad one.';
REVOKE ALL ON FUNCTION attestor.complete_submissions(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.complete_submissions(jsonb) TO pgattest_worker;

-- pgattest_system owns the cross-tenant worker functions (it bypasses RLS) and holds
-- exactly the privileges they use. Handing them over takes the deploying superuser.
RESET ROLE;
ALTER FUNCTION attestor.complete_submissions(jsonb) OWNER TO pgattest_system;

COMMIT;
