-- Deploy pgattest:trustverdict/stats to pg
-- requires: roles schemas core/require_tenant trustverdict/verdict_counts

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION trustverdict.stats()
RETURNS TABLE (dimension text, key text, verdicts bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    RETURN QUERY
        WITH c AS (SELECT * FROM trustverdict.verdict_counts x WHERE x.tenant_id = tenant)
        SELECT 'total', 'all', coalesce(sum(c.verdicts), 0)::bigint FROM c
        UNION ALL
        SELECT 'decision', d.decision, coalesce(sum(c.verdicts), 0)::bigint
          FROM (VALUES ('pass'), ('warn'), ('fail')) d(decision) LEFT JOIN c ON c.decision = d.decision
         GROUP BY d.decision
        UNION ALL
        SELECT 'score', format('%s-%s', to_char(b / 10.0, 'FM0.0'), to_char((b + 1) / 10.0, 'FM0.0')),
               coalesce(sum(c.verdicts), 0)::bigint
          FROM generate_series(0, 9) b LEFT JOIN c ON c.score_bucket = b
         GROUP BY b
        UNION ALL
        SELECT 'issuer', c.issuer, sum(c.verdicts)::bigint FROM c GROUP BY c.issuer HAVING sum(c.verdicts) > 0
        ORDER BY 1, 2;
END
$$;

COMMENT ON FUNCTION trustverdict.stats() IS
    'The current tenant''s current trust verdicts (neither superseded nor deleted), counted: (''total'', ''all''), per decision (''decision'', pass/warn/fail), per score bucket (''score'', ''0.0-0.1'' ... ''0.9-1.0''; a bucket includes its lower bound, the last also 1.0) and per issuer (''issuer'', the issuer). Read from counters kept by store and delete: constant time whatever the number of verdicts. For pgattest_app and pgattest_admin. Raises 42501 without a tenant.';
REVOKE ALL ON FUNCTION trustverdict.stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION trustverdict.stats() TO pgattest_app, pgattest_admin;

COMMIT;
