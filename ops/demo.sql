-- pgattest demo: what a service sees, step by step. Grows with every capability.
-- Runs as the deploying superuser; client identities are taken with SET ROLE.
\set ON_ERROR_STOP on
\pset footer off

\echo '== 1. An operator registers two tenants (pgattest_admin) =='
BEGIN;
SET LOCAL ROLE pgattest_admin;
SELECT tenant_id, display_name FROM core.register_tenant('demo-acme', 'Acme Corp')
WHERE NOT EXISTS (SELECT FROM core.tenants WHERE tenant_id = 'demo-acme');
SELECT tenant_id, display_name FROM core.register_tenant('demo-globex', 'Globex')
WHERE NOT EXISTS (SELECT FROM core.tenants WHERE tenant_id = 'demo-globex');
SELECT tenant_id, display_name, active FROM core.tenants WHERE tenant_id LIKE 'demo-%' ORDER BY 1;
COMMIT;

\echo '== 2. A service (pgattest_app) sets its tenant per transaction and sees only its own =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
SELECT tenant_id, display_name FROM core.tenants;
COMMIT;

\echo '== 3. After commit the tenant is gone: no tenant, no rows (fail closed) =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.current_tenant() IS NULL AS no_tenant, (SELECT count(*) FROM core.tenants) AS visible_tenants;
COMMIT;

\echo '== 4. Verification runs in the database: an RFC 9162 tree of five leaves, built in SQL =='
BEGIN;
SET LOCAL ROLE pgattest_app;
CREATE TEMP TABLE demo_leaves ON COMMIT DROP AS
SELECT i, proofchain.rfc6962_leaf_hash(convert_to('entry ' || i, 'UTF8')) AS h FROM generate_series(0, 4) AS i;
-- Tree: ((l0 l1) (l2 l3)) l4
CREATE TEMP TABLE demo_tree ON COMMIT DROP AS
SELECT proofchain.rfc6962_node_hash(a.h, b.h) AS n01,
       proofchain.rfc6962_node_hash(c.h, d.h) AS n23, e.h AS l4, b.h AS l1
  FROM demo_leaves a, demo_leaves b, demo_leaves c, demo_leaves d, demo_leaves e
 WHERE a.i = 0 AND b.i = 1 AND c.i = 2 AND d.i = 3 AND e.i = 4;
SELECT encode(proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4), 'hex') AS root_of_five FROM demo_tree;
SELECT proofchain.verify_inclusion(
           (SELECT h FROM demo_leaves WHERE i = 0), 0, 5, ARRAY[l1, n23, l4],
           proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4)) AS leaf0_included,
       proofchain.verify_inclusion(
           (SELECT h FROM demo_leaves WHERE i = 2), 0, 5, ARRAY[l1, n23, l4],
           proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4)) AS wrong_leaf_included,
       proofchain.verify_consistency(4, 5, proofchain.rfc6962_node_hash(n01, n23),
           proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4), ARRAY[l4]) AS four_is_prefix_of_five
  FROM demo_tree;
COMMIT;

\echo '== 5. Content ids are RFC 8785: key order and whitespace do not matter =='
SELECT proofchain.content_id('{"b": 2, "a": [1.0, "x"]}') AS id_1,
       proofchain.content_id(E'{\n  "a": [1, "x"],\n  "b": 2.00\n}') AS id_2;

\echo '== 6. Bad input raises a specific SQLSTATE, never a traceback =='
DO $$
BEGIN
    PERFORM proofchain.verify_inclusion('\x00', 0, 1, '{}', '\x00');
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'verify_inclusion(1-byte hash) -> SQLSTATE 22023: %', SQLERRM;
END
$$;

\echo '== 7. An admin registers a transparency log (Sigstore staging, Rekor v2) and a signer key for demo-acme =='
BEGIN;
SET LOCAL ROLE pgattest_admin;
SELECT attestor.register_transparency_log('rekor_v2', 'https://log2025-alpha3.rekor.sigstage.dev',
    E'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=\n-----END PUBLIC KEY-----\n',
    is_default => true) AS log_id;
SELECT core.set_tenant('demo-acme') AS tenant;
SELECT proofchain.add_trust_anchor('demo CI signer', $pem$-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE6ZCH7hhoj8AsZbKFXsdyC2ZgfqOC
XW9d3hJDUttfqNqHLY6zYgAIia4z/v28CS/KBpPzAAgKCXRT/HzPACGQWA==
-----END PUBLIC KEY-----
$pem$, ARRAY['https://slsa.dev/provenance/v1'])
 WHERE NOT EXISTS (SELECT FROM proofchain.trust_anchors WHERE name = 'demo CI signer') ;
-- The security team signs its VEX statements with a key of its own, trusted for OpenVEX only.
SELECT proofchain.add_trust_anchor('demo PSIRT signer', $pem$-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqNAkPpmvPdX1z8v/1FtAgUrdfzhS
wwFLehoyIYF4b2F/MHxSZ0QCPkU7uekcq4mK/yhmv7BfaB4ejiUecBf10w==
-----END PUBLIC KEY-----
$pem$, ARRAY['https://openvex.dev/ns/v0.2.0'])
 WHERE NOT EXISTS (SELECT FROM proofchain.trust_anchors WHERE name = 'demo PSIRT signer') ;
COMMIT;

\echo '== 8. The service submits a signed in-toto attestation: verified against the anchor, stored, queued (twice: same id, one queue row) =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
SELECT attestor.submit_envelope($env${"payloadType": "application/vnd.in-toto+json", "payload": "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbeyJuYW1lIjoiZGVtby1hcHAtMS50YXIuZ3oiLCJkaWdlc3QiOnsic2hhMjU2IjoiNWEyNzI2MmIxNzE5ZTcyM2ZjNGYzN2E2NGM5YjA4NTE3MWQ4NzAyMTg0NWZmMTk1YjIxNTM3NDU5NTFkZjFiYSJ9fV0sInByZWRpY2F0ZVR5cGUiOiJodHRwczovL3Nsc2EuZGV2L3Byb3ZlbmFuY2UvdjEiLCJwcmVkaWNhdGUiOnsiYnVpbGRUeXBlIjoiZGVtbyJ9fQ==", "signatures": [{"keyid": "", "sig": "MEYCIQCeZJe1bcsxJYTjwddvAlqwzFzPxtshh9ldE9AW+aaE+wIhAIoM3CST7REP6lYAR9IDVo2dtkxkQC4C7v06wanjhlhu"}]}$env$) AS envelope_id,
       attestor.submit_envelope($env${"payloadType": "application/vnd.in-toto+json", "payload": "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbeyJuYW1lIjoiZGVtby1hcHAtMS50YXIuZ3oiLCJkaWdlc3QiOnsic2hhMjU2IjoiNWEyNzI2MmIxNzE5ZTcyM2ZjNGYzN2E2NGM5YjA4NTE3MWQ4NzAyMTg0NWZmMTk1YjIxNTM3NDU5NTFkZjFiYSJ9fV0sInByZWRpY2F0ZVR5cGUiOiJodHRwczovL3Nsc2EuZGV2L3Byb3ZlbmFuY2UvdjEiLCJwcmVkaWNhdGUiOnsiYnVpbGRUeXBlIjoiZGVtbyJ9fQ==", "signatures": [{"keyid": "", "sig": "MEYCIQCeZJe1bcsxJYTjwddvAlqwzFzPxtshh9ldE9AW+aaE+wIhAIoM3CST7REP6lYAR9IDVo2dtkxkQC4C7v06wanjhlhu"}]}$env$) AS same_again;
SELECT e.predicate_type, s.name AS subject, q.state, q.attempts
  FROM proofchain.dsse_envelopes e
  JOIN proofchain.envelope_subjects s ON s.envelope_id = e.id
  JOIN attestor.rekor_submission_queue q ON q.envelope_id = e.id;
COMMIT;
\echo 'A worker (python -m worker.rekor_worker) would now submit it to the log and store the verified entry.'

\echo '== 9. An envelope from an unknown signer is refused =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
DO $$
BEGIN
    PERFORM attestor.submit_envelope($env${"payloadType": "application/vnd.in-toto+json", "payload": "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbXSwicHJlZGljYXRlVHlwZSI6Imh0dHBzOi8vc2xzYS5kZXYvcHJvdmVuYW5jZS92MSIsInByZWRpY2F0ZSI6e319", "signatures": [{"keyid": "", "sig": "MEYCIQD5lUBuNuljHtg1nj0lZ6QO6e1jI0GnLHUWcFEAz+JdRAIhAMrFh20/bdDpnohO85s/8GV/R0gqABLD8W8jb1lrElfM"}]}$env$);
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'submit_envelope(untrusted signer) -> SQLSTATE 42501: %', SQLERRM;
END
$$;
COMMIT;

\echo '== 10. The security team imports an OpenVEX document: one content-addressed observation per statement and product =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
SELECT i.content_id
  FROM vex.ingest_openvex($vex${
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://vex.example.com/docs/demo-1",
  "author": "Acme Product Security",
  "timestamp": "2026-11-01T09:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "CVE-2026-10001"},
     "products": [{"@id": "pkg:oci/demo-app@sha256:5a27262b1719e723fc4f37a64c9b085171d87021845ff195b2153745951df1ba"}],
     "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-2026-10002"},
     "products": [{"@id": "pkg:oci/demo-app@sha256:5a27262b1719e723fc4f37a64c9b085171d87021845ff195b2153745951df1ba"}],
     "status": "not_affected", "justification": "vulnerable_code_not_present"}
  ]}$vex$, 'acme-psirt') AS i
 ORDER BY 1;
SELECT o.vulnerability_id, o.status, o.justification, o.rekor_uuid IS NOT NULL AS linked_to_rekor
  FROM vex.observations o ORDER BY o.vulnerability_id, o.created_at;
COMMIT;
\echo 'Each observation waits in vex.pending_rekor_links until an attestation naming its content id is logged: vex.submit_observation(observation_id, signed attestation) queues one, and the completion that stores its entry links the observation.'

\echo '== 11. Analysis finds CVE-2026-10001 affects the app: the PSIRT signs the new statement; one call records the new observation (superseding), its delta, and its submission to the log =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
SELECT vex.update_status(o.id, $env${"payloadType": "application/vnd.in-toto+json", "payload": "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbeyJuYW1lIjoic2hhMjU2OjM2MzgwZTM0NDllNDQyOGZlNDIwZDY2MTkwYTBiMGQzZDBiYWNjMjdhYjExNDI1MmE1YWEzYTBmNTU1MjQ2YjYiLCJkaWdlc3QiOnsic2hhMjU2IjoiMzYzODBlMzQ0OWU0NDI4ZmU0MjBkNjYxOTBhMGIwZDNkMGJhY2MyN2FiMTE0MjUyYTVhYTNhMGY1NTUyNDZiNiJ9fV0sInByZWRpY2F0ZVR5cGUiOiJodHRwczovL29wZW52ZXguZGV2L25zL3YwLjIuMCIsInByZWRpY2F0ZSI6eyJ2dWxuZXJhYmlsaXR5Ijp7Im5hbWUiOiJDVkUtMjAyNi0xMDAwMSJ9LCJwcm9kdWN0cyI6W3siQGlkIjoicGtnOm9jaS9kZW1vLWFwcEBzaGEyNTY6NWEyNzI2MmIxNzE5ZTcyM2ZjNGYzN2E2NGM5YjA4NTE3MWQ4NzAyMTg0NWZmMTk1YjIxNTM3NDU5NTFkZjFiYSJ9XSwic3RhdHVzIjoiYWZmZWN0ZWQiLCJhY3Rpb25fc3RhdGVtZW50IjoiVXBncmFkZSBkZW1vLWFwcCB0byAxLjAuMS4iLCJ0aW1lc3RhbXAiOiIyMDI2LTExLTIwVDEyOjAwOjAwWiJ9fQ==", "signatures": [{"keyid": "", "sig": "MEQCIGe+Tj/VoEawUWKvWVYaZZUD0vcrz8Nu6Sss0QpUef6dAiB3x4hlmn0IgzxZPBk0fEcMtcLidEvvDEVqPjw42XxqyQ=="}]}$env$::jsonb, 'analysis_complete') AS new_observation
  FROM vex.observations o
 WHERE o.vulnerability_id = 'CVE-2026-10001' AND o.status = 'under_investigation'
   AND NOT EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = o.id);
SELECT d.old_status, d.new_status, d.reason_code FROM vex.delta_changes d ORDER BY d.old_status NULLS FIRST, d.new_status;
SELECT * FROM vex.delta_summary();
SELECT q.state AS log_submission, o.status, o.content_id, o.rekor_uuid IS NOT NULL AS linked_to_rekor
  FROM vex.observations o
  JOIN proofchain.envelope_subjects s ON s.digest_algorithm = 'sha256' AND s.digest = substr(o.content_id, 8)
  JOIN attestor.rekor_submission_queue q ON q.envelope_id = s.envelope_id
 WHERE o.status = 'affected';
COMMIT;
\echo 'A worker (python -m worker.rekor_worker) logs it; the completion that stores the verified entry links the new observation and the delta''s new side to it.'

\echo '== 12. The effective status, merged from every source with its trace (same inputs, same digest) =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
SELECT m.effective_status, m.has_conflict, jsonb_array_length(m.sources) AS sources, m.trace_digest
  FROM vex.merge('CVE-2026-10001',
                 'pkg:oci/demo-app@sha256:5a27262b1719e723fc4f37a64c9b085171d87021845ff195b2153745951df1ba') AS m;
COMMIT;

\echo '== 13. A document that breaks its spec is refused with SQLSTATE 22023, naming the field =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.set_tenant('demo-acme') AS tenant;
DO $$
BEGIN
    PERFORM vex.ingest_openvex('{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
        "timestamp": "2026-11-01T09:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": "CVE-2026-1"}, "products": [{"@id": "pkg:npm/x@1"}], "status": "not_affected"}]}',
        'acme-psirt');
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'ingest_openvex(not_affected without justification) -> SQLSTATE 22023: %', SQLERRM;
END
$$;
COMMIT;
