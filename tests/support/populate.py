"""Rows in every module's tables, through the public API where one writes them: for tests
that must show something survives (a revert and a deploy). No tests here.

    populate_every_module(dsn) -> tenant

The demo (ops/demo.sql: tenants, logs, anchors, envelopes, queue items, VEX documents,
deltas, merge traces, submissions) and, on a tenant of its own, unknowns with their
history, verdict ledger entries, an SBOM component and its proof spine, a VEX issuer's trust, trust verdicts (signed VSAs), watchlist rules (tenant and
global) with the identities and alerts stored entries raise, a tenant login binding, the
triage views refreshed; audit events come from the audit triggers on all of it.
"""

import hashlib
import json
import secrets
import subprocess
from pathlib import Path

import psycopg

from tests.support.queue_helpers import Signer, call, new_tenant
from tests.support.watchlist_helpers import Store, bundle_bodies

ROOT = Path(__file__).resolve().parents[2]
VSA = "https://slsa.dev/verification_summary/v1"


def _sha(n):
    return hashlib.sha256(str(n).encode()).hexdigest()


def _vsa(n):
    return {"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "app", "digest": {"sha256": _sha(n)}}],
            "predicateType": VSA, "predicate": {
                "verifier": {"id": "https://verifier.example/a"}, "timeVerified": "2026-11-30T04:00:00Z",
                "resourceUri": "pkg:oci/app", "policy": {"uri": "https://policy.example/p", "digest": {"sha256": _sha("p")}},
                "inputAttestations": [{"uri": "att-1", "digest": {"sha256": _sha(f"in-{n}")}}],
                "verificationResult": "PASSED" if n % 2 else "FAILED", "verifiedLevels": ["SLSA_BUILD_LEVEL_3"]}}


def run_demo(dsn):
    """ops/demo.sql into the database (once per database: it registers fixed tenant names)."""
    demo = subprocess.run(["psql", dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(ROOT / "ops" / "demo.sql")],
                          capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr[-3000:]


def populate_every_module(dsn, demo=True):
    if demo:
        run_demo(dsn)
    signer = Signer()
    tenant = new_tenant(dsn, signer, "populated")
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        for i in range(3):  # unknowns, one resolved (a history row)
            uid = conn.execute("SELECT unknowns.record('missing_sbom', %s, 'no SBOM', '{}', now() - interval '2 days')",
                               (f"pkg:npm/p{i}@1.0.0",)).fetchone()[0]
        conn.execute("SELECT unknowns.resolve(%s, 'sbom_provided', now() - interval '1 day')", (uid,))
        for i in range(4):  # the verdict ledger
            conn.execute("SELECT * FROM verdict.append(%s, %s, %s)",
                         ("sha256:" + _sha(i % 2), ("pass", "warn", "fail")[i % 3], f"reason {i}"))
        for i in range(3):  # trust verdicts: signed VSAs
            payload = json.dumps(_vsa(i)).encode()
            conn.execute("SELECT * FROM trustverdict.store(%s::jsonb)", (json.dumps(signer.envelope(payload=payload)),))
        conn.execute("""SELECT * FROM watchlist.upsert_rule('github', 'prefix', 'warning',
                                                           san_pattern => 'https://github.com/')""")
        conn.execute("SELECT * FROM watchlist.upsert_rule('email', 'exact', 'critical', san_pattern => 'a@tny.town')")
        # An SBOM component (apps insert these directly) and a proof spine over it.
        sbom = conn.execute("""INSERT INTO proofchain.sbom_entries (sbom_digest, bom_ref, purl, name, version)
                                 VALUES (%s, 'pkg-1', 'pkg:npm/left-pad@1.3.0', 'left-pad', '1.3.0') RETURNING id""",
                            ("sha256:" + _sha("sbom"),)).fetchone()[0]
        conn.execute("SELECT proofchain.create_spine(%s, ARRAY[%s], %s, %s)",
                     (sbom, "sha256:" + _sha("evidence"), "sha256:" + _sha("reasoning"), "sha256:" + _sha("verdict")))
        conn.commit()
    call(dsn, "pgattest_admin", "SELECT vex.set_issuer_trust('vendor-a', 1, 0.9)", tenant=tenant)
    call(dsn, "pgattest_admin", "SELECT * FROM watchlist.upsert_global_rule('g-google', 'regex', 'info', "
                                "issuer_pattern => '^https://accounts\\.google\\.com$')")
    # Stored entries with the shared bundles' bodies: identities, alerts and their outbox.
    with psycopg.connect(dsn, autocommit=True) as su:
        Store(su).entries(tenant, list(bundle_bodies().values()))
        # The helper writes its envelope directly, with a made-up digest: give it the digest the
        # API would have (what identifies an envelope), so the row is one the API could have made.
        su.execute("""UPDATE proofchain.dsse_envelopes SET content_digest = _pgattest.envelope_digest(payload_type, payload, signatures)
                       WHERE tenant_id = %s""", (tenant,))
        login = f"populated_{secrets.token_hex(3)}"
        su.execute(f"CREATE ROLE {login} LOGIN IN ROLE pgattest_app")
    call(dsn, "pgattest_admin", "SELECT core.grant_tenant(%s, %s)", (login, tenant))
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SELECT * FROM triage.refresh()")
    return tenant
