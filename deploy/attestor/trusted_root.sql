-- Deploy pgattest:attestor/trusted_root to pg
-- requires: roles schemas attestor/transparency_logs _pgattest/log_validity
-- Sigstore trusted_root.json form of one registered log, as proofchain.verify_tlog_entry
-- expects it. Its validity window comes from _pgattest.log_validity, as the batch
-- completion's does, so re-verifying a stored entry and completing it judge alike.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.trusted_root(log_id text)
RETURNS jsonb
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'mediaType', 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        'tlogs', coalesce(jsonb_agg(jsonb_build_object(
            'baseUrl', l.base_url,
            'checkpointKeyName', l.key_name,
            'hashAlgorithm', 'SHA2_256',
            'publicKey', jsonb_build_object(
                'rawBytes', translate(encode(l.public_key, 'base64'), E'\n', ''),
                'keyDetails', l.key_details,
                'validFor', jsonb_strip_nulls(jsonb_build_object(
                    'start', to_char(to_timestamp(w.start_epoch) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                    'end', to_char(to_timestamp(w.end_epoch) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))),
            'logId', jsonb_build_object('keyId', translate(encode(decode(l.log_id, 'hex'), 'base64'), E'\n', '')))), '[]'::jsonb))
      FROM attestor.transparency_logs l
     CROSS JOIN LATERAL _pgattest.log_validity(l.valid_from, l.valid_until) AS w
     WHERE l.log_id = trusted_root.log_id AND l.split_view_at IS NULL
$$;

COMMENT ON FUNCTION attestor.trusted_root(text) IS
    'The registered log as a Sigstore trusted_root.json ({"tlogs": [...]}) for proofchain.verify_tlog_entry, with the checkpoint key name stated (checkpointKeyName) rather than implied by the URL; empty tlogs when the log is unknown or has a recorded split view, so nothing verifies against it. An inactive log still vouches for the entries it already holds.';
REVOKE ALL ON FUNCTION attestor.trusted_root(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.trusted_root(text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
