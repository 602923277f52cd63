-- Deploy pgattest:watchlist/backfill to pg
-- requires: core/require_tenant watchlist/rules watchlist/global_rules watchlist/identities _pgattest/watch_match _pgattest/watch_identity_matches _pgattest/record_watch_alerts
-- Applies a rule to the current tenant's entries stored from `since` until the rule's
-- current version was written (from then on the live matching applied it), reading the
-- identities extracted at storage: one set-based pass, no entry body parsed again.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.backfill(rule_id uuid, since timestamptz)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    r      record;
    n      integer;
BEGIN
    IF rule_id IS NULL OR since IS NULL THEN
        RAISE EXCEPTION 'backfill needs a rule and a start time' USING ERRCODE = '22004',
            HINT = 'Pass a rule_id from watchlist.list_rules() and the time from which stored entries are matched.';
    END IF;
    SELECT x.id, 'tenant' AS scope, x.name, x.version, x.severity, x.dedup_minutes, x.match_mode,
           x.issuer_pattern, x.san_pattern, x.key_pattern, x.updated_at INTO r
      FROM watchlist.rules x WHERE x.tenant_id = tenant AND x.id = backfill.rule_id;
    IF NOT FOUND THEN
        SELECT x.id, 'global' AS scope, x.name, x.version, x.severity, x.dedup_minutes, x.match_mode,
               x.issuer_pattern, x.san_pattern, x.key_pattern, x.updated_at INTO r
          FROM watchlist.global_rules x WHERE x.id = backfill.rule_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no watchlist rule % for tenant %', rule_id, tenant
                USING ERRCODE = '22023', HINT = 'Pass a rule_id from watchlist.list_rules().';
        END IF;
    END IF;
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
      INTO n
      FROM watchlist.identities i
     WHERE i.tenant_id = tenant AND i.created_at >= since AND i.created_at < r.updated_at
       AND _pgattest.watch_identity_matches(r.match_mode, r.issuer_pattern, r.san_pattern, r.key_pattern,
                                            i.oidc_issuer, i.san, i.key_fingerprint);
    RETURN n;
END
$$;

COMMENT ON FUNCTION watchlist.backfill(uuid, timestamptz) IS
    'Matches one rule (the tenant''s or a global one) against the current tenant''s entries stored from since until the rule''s current version was written (later entries were matched live), recording alerts as the live matching does; returns the number of matches. Running it twice over the same range counts those matches twice as occurrences (never duplicate alerts). 42501 without a tenant; 22004 for NULL; 22023 for an unknown rule.';
REVOKE ALL ON FUNCTION watchlist.backfill(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.backfill(uuid, timestamptz) TO pgattest_app, pgattest_admin;

COMMIT;
