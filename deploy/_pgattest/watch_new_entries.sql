-- Deploy pgattest:_pgattest/watch_new_entries to pg
-- requires: proofchain/rekor_entries proofchain/trust_anchors watchlist/identities watchlist/rules watchlist/global_rules _pgattest/entry_identities _pgattest/watch_match _pgattest/watch_identity_matches _pgattest/record_watch_alerts
-- The watchlist's trigger on proofchain.rekor_entries (statement level, transition
-- table): extracts each new entry's signer identities once, joins the tenant's matching
-- trust anchor, matches them against the enabled rules of the entry's tenant and the
-- global rules as they are now (a rule change applies to the next entry), records alerts,
-- and sends NOTIFY attestor_entries_inserted. Identical notifications of one transaction
-- are delivered once, so listeners get one per transaction however many entries and
-- statements it stored.
-- Owned by pgattest_system: the worker stores entries of several tenants in one call.

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.watch_new_entries()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- The estimates (100 identities per entry, every rule) pass jit_above_cost; compiling costs
-- hundreds of milliseconds, far more than the query.
SET jit = off
AS $$
DECLARE
    recorded integer;
BEGIN
    WITH ids AS (
        INSERT INTO watchlist.identities (tenant_id, rekor_entry_id, kind, san_type, san, oidc_issuer, key_fingerprint,
                                          trust_anchor_id)
        SELECT e.tenant_id, e.id, i.kind, i.san_type, i.san, i.oidc_issuer, i.key_fingerprint,
               (SELECT ta.id FROM proofchain.trust_anchors ta
                 WHERE ta.tenant_id = e.tenant_id AND ta.key_id = i.key_fingerprint)
          FROM new_rows e
         CROSS JOIN LATERAL jsonb_to_recordset(_pgattest.entry_identities(e.canonicalized_body))
               AS i(kind text, san_type text, san text, oidc_issuer text, key_fingerprint text)
        RETURNING *
    ), rules AS (
        SELECT r.tenant_id, r.id, 'tenant' AS scope, r.name, r.version, r.severity, r.dedup_minutes, r.match_mode,
               r.issuer_pattern, r.san_pattern, r.key_pattern
          FROM watchlist.rules r
         WHERE r.enabled AND r.tenant_id IN (SELECT DISTINCT n.tenant_id FROM new_rows n)
        UNION ALL
        SELECT NULL, g.id, 'global', g.name, g.version, g.severity, g.dedup_minutes, g.match_mode,
               g.issuer_pattern, g.san_pattern, g.key_pattern
          FROM watchlist.global_rules g
         WHERE g.enabled
    )
    SELECT _pgattest.record_watch_alerts(array_agg(ROW(
               i.tenant_id, r.id, r.scope, r.name, r.version, r.severity, r.dedup_minutes,
               CASE WHEN r.san_pattern IS NOT NULL THEN 'san'
                    WHEN r.key_pattern IS NOT NULL THEN 'key_fingerprint' ELSE 'oidc_issuer' END,
               CASE WHEN r.san_pattern IS NOT NULL THEN i.san
                    WHEN r.key_pattern IS NOT NULL THEN i.key_fingerprint ELSE i.oidc_issuer END,
               jsonb_strip_nulls(jsonb_build_object('kind', i.kind, 'san_type', i.san_type, 'san', i.san,
                                                    'oidc_issuer', i.oidc_issuer, 'key_fingerprint', i.key_fingerprint,
                                                    'trust_anchor_id', i.trust_anchor_id)),
               i.rekor_entry_id, i.created_at)::_pgattest.watch_match))
      INTO recorded
      FROM rules r
      -- Rule by rule (OFFSET 0 keeps the planner from turning the loop around): PostgreSQL
      -- keeps only the 32 most recent compiled regexes, so identity by identity would
      -- compile every regex rule again for each identity.
     CROSS JOIN LATERAL (SELECT x.* FROM ids x
                          WHERE (r.tenant_id IS NULL OR r.tenant_id = x.tenant_id)
                            AND _pgattest.watch_identity_matches(r.match_mode, r.issuer_pattern, r.san_pattern,
                                                                 r.key_pattern, x.oidc_issuer, x.san, x.key_fingerprint)
                         OFFSET 0) i;
    PERFORM pg_notify('attestor_entries_inserted', '');
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION _pgattest.watch_new_entries() IS
    'Trigger on proofchain.rekor_entries (AFTER INSERT, statement level): stores the new entries'' signer identities (watchlist.identities, with the matching trust anchor), matches them against the enabled tenant and global watchlist rules, records alerts (_pgattest.record_watch_alerts) and sends NOTIFY attestor_entries_inserted (one per transaction).';
REVOKE ALL ON FUNCTION _pgattest.watch_new_entries() FROM PUBLIC;
ALTER FUNCTION _pgattest.watch_new_entries() OWNER TO pgattest_system;

CREATE TRIGGER watch_new_entries AFTER INSERT ON proofchain.rekor_entries
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.watch_new_entries();

COMMIT;
