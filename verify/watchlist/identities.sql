-- Verify pgattest:watchlist/identities on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, rekor_entry_id, kind, san_type, san, oidc_issuer,
       key_fingerprint, trust_anchor_id
  FROM watchlist.identities WHERE false;

ROLLBACK;
