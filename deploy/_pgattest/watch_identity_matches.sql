-- Deploy pgattest:_pgattest/watch_identity_matches to pg
-- requires: roles schemas
-- The one definition of "a rule matches an identity". A plain SQL function without SET
-- (unlike our other functions) so the planner inlines it into the matching queries:
-- it is evaluated for every (rule, identity) pair, 1,000 per entry at the rule limit,
-- and an inlined expression costs a fraction of a function call. It names only
-- pg_catalog functions and operators (always searched first), so search_path cannot
-- redirect it.
-- Regexes are PostgreSQL AREs without back references (refused when a rule is written):
-- without them the engine matches in polynomial time, and values are at most 1,024
-- characters (identities.san and oidc_issuer), so every evaluation is time-bounded.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.watch_identity_matches(
    match_mode text, issuer_pattern text, san_pattern text, key_pattern text,
    oidc_issuer text, san text, key_fingerprint text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
-- A SQL-standard body: its operators and functions are bound when it is created, so no
-- caller's search_path reaches it, and it still inlines.
RETURN pg_catalog.num_nonnulls(issuer_pattern, san_pattern, key_pattern) > 0
       AND (issuer_pattern IS NULL OR oidc_issuer IS NOT NULL AND CASE match_mode
                WHEN 'exact'  THEN pg_catalog.lower(oidc_issuer) = pg_catalog.lower(issuer_pattern)
                WHEN 'prefix' THEN pg_catalog.starts_with(oidc_issuer, issuer_pattern)
                WHEN 'glob'   THEN oidc_issuer LIKE pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                                       issuer_pattern, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_')
                WHEN 'regex'  THEN oidc_issuer ~ issuer_pattern
                ELSE false END)
       AND (san_pattern IS NULL OR san IS NOT NULL AND CASE match_mode
                WHEN 'exact'  THEN pg_catalog.lower(san) = pg_catalog.lower(san_pattern)
                WHEN 'prefix' THEN pg_catalog.starts_with(san, san_pattern)
                WHEN 'glob'   THEN san LIKE pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                                       san_pattern, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_')
                WHEN 'regex'  THEN san ~ san_pattern
                ELSE false END)
       AND (key_pattern IS NULL OR key_fingerprint IS NOT NULL AND CASE match_mode
                WHEN 'exact'  THEN pg_catalog.lower(key_fingerprint) = pg_catalog.lower(key_pattern)
                WHEN 'prefix' THEN pg_catalog.starts_with(key_fingerprint, key_pattern)
                WHEN 'glob'   THEN key_fingerprint LIKE pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
                                       key_pattern, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_')
                WHEN 'regex'  THEN key_fingerprint ~ key_pattern
                ELSE false END);

COMMENT ON FUNCTION _pgattest.watch_identity_matches(text, text, text, text, text, text, text) IS
    'Whether a watchlist rule (match mode and its issuer, SAN and key patterns; NULL pattern: any) matches a signer identity: every given pattern must match its field (exact: case-insensitive equality; prefix; glob: * any run, ? one character; regex: PostgreSQL ARE). Inlined into the matching queries.';
REVOKE ALL ON FUNCTION _pgattest.watch_identity_matches(text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION _pgattest.watch_identity_matches(text, text, text, text, text, text, text) TO pgattest_system;

COMMIT;
