"""The identity watchlist (issue 18): identities extracted at storage, rules, alerts with
dedup, delivery (NOTIFY and outbox), acknowledgement, backfill, tenant isolation."""

import json
import select
import time

import psycopg
import pytest
from psycopg import errors

from tests.support.watchlist_helpers import Store, bundle_bodies, key_pair, key_signed_body

BODIES = bundle_bodies()
GITHUB_WHL = BODIES["bundle_v3_github.whl.sigstore"]       # URI SAN, GitHub Actions issuer
EMAIL = BODIES["bundle.txt.sigstore"]                        # email SAN a@tny.town, GitHub OAuth issuer
V2_DSSE = BODIES["a.dsse.staging-rekor-v2.txt.sigstore.json"]  # Rekor v2 body, DER certificate


@pytest.fixture
def store(admin_conn):
    return Store(admin_conn)


def app(db, tenant):
    conn = psycopg.connect(db)
    conn.execute("SET ROLE pgattest_app")
    conn.commit()  # the role outlives a rolled-back transaction; the tenant is per transaction
    conn.execute("SELECT core.set_tenant(%s)", (tenant,))
    return conn


def rule(conn, name, mode, severity="warning", **patterns):
    return conn.execute(
        """SELECT rule_id, version FROM watchlist.upsert_rule(%(name)s, %(mode)s, %(severity)s,
               issuer_pattern => %(issuer)s, san_pattern => %(san)s, key_pattern => %(key)s)""",
        {"name": name, "mode": mode, "severity": severity, "issuer": patterns.get("issuer"),
         "san": patterns.get("san"), "key": patterns.get("key")}).fetchone()


def alerts(conn, **kw):
    return conn.execute("SELECT rule_name, field, value, occurrences, severity, rule_version, rule_scope, id, "
                        "rekor_entry_id FROM watchlist.list_alerts(include_acknowledged => true, max_rows => 1000) "
                        "ORDER BY rule_name, value").fetchall()


def test_fulcio_entries_of_the_shared_bundles_yield_their_san_and_issuer(db, tenant_factory, store, admin_conn):
    tenant = tenant_factory("fulcio")
    names = sorted(BODIES)
    ids = store.entries(tenant, [BODIES[n] for n in names])
    got = {}
    for name, entry in zip(names, ids):
        got[name] = admin_conn.execute(
            "SELECT kind, san_type, san, oidc_issuer, length(key_fingerprint) FROM watchlist.identities "
            "WHERE rekor_entry_id = %s", (entry,)).fetchall()
    assert got["bundle_v3_github.whl.sigstore"] == [(
        "certificate", "uri", "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2",
        "https://token.actions.githubusercontent.com", 64)]
    assert got["bundle.txt.sigstore"] == [("certificate", "email", "a@tny.town", "https://github.com/login/oauth", 64)]
    assert got["integration__Python-3.12.5.tgz.sigstore"] == [
        ("certificate", "email", "thomas@python.org", "https://accounts.google.com", 64)]
    # Rekor v2: the certificate is DER in x509Certificate.rawBytes.
    assert got["a.dsse.staging-rekor-v2.txt.sigstore.json"][0][1:4] == (
        "uri", "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
               "extremely-dangerous-oidc-beacon.yml@refs/heads/main", "https://token.actions.githubusercontent.com")
    assert all(rows for rows in got.values()), "every shared bundle names its signer"


def test_key_signed_entries_name_the_fingerprint_and_the_tenants_matching_trust_anchor(db, tenant_factory, store, admin_conn):
    a, b = tenant_factory("keya"), tenant_factory("keyb")
    _, pem, fingerprint = key_pair()
    anchor_a = store.anchor(a, pem, fingerprint)
    store.anchor(b, pem, fingerprint)  # the same key trusted by another tenant: not a's anchor
    entry = store.entries(a, [key_signed_body(pem)])[0]
    assert admin_conn.execute("SELECT kind, key_fingerprint, trust_anchor_id, san FROM watchlist.identities "
                              "WHERE rekor_entry_id = %s", (entry,)).fetchall() == [("key", fingerprint, anchor_a, None)]
    _, other_pem, other_fp = key_pair()
    entry = store.entries(a, [key_signed_body(other_pem)])[0]
    assert admin_conn.execute("SELECT key_fingerprint, trust_anchor_id FROM watchlist.identities "
                              "WHERE rekor_entry_id = %s", (entry,)).fetchall() == [(other_fp, None)]


def test_a_hostile_certificate_does_not_abort_storing_its_entry(db, tenant_factory, store, admin_conn):
    # NUL in the issuer and a SAN (jsonb refused \u0000: 22P05), a duplicated extension and an
    # unsupported SAN type (escaped as XX000): each aborted the insert of the entries, and with
    # it the completion batch. Now the entries are stored, the identities cleaned or reduced to
    # the key fingerprint, and a rule still matches what is left of a NUL-bearing SAN.
    from cryptography import x509
    from tests.python.test_identity import V1_OID, V2_OID, SPARE_OID, body_with_cert, certificate, patched
    tenant = tenant_factory("hostile")
    nul, nul_fp = certificate([(V1_OID, b"https://a\x00b")], [x509.RFC822Name("evil\x00@y.z")])
    dup, dup_fp = certificate([(V2_OID, b"\x0c\x01a"), (SPARE_OID, b"\x0c\x01b")])
    dup = patched(dup, bytes.fromhex("2b0601040183bf300109"), bytes.fromhex("2b0601040183bf300108"))
    gn, gn_fp = certificate([], [x509.RegisteredID(x509.ObjectIdentifier("1.2.3"))])
    gn = patched(gn, bytes.fromhex("88022a03"), bytes.fromhex("a3022a03"))
    with app(db, tenant) as conn:
        rule(conn, "evil", "regex", san="^evil")
        conn.commit()
    ids = store.entries(tenant, [body_with_cert(c) for c in (nul, dup, gn)] + [EMAIL])
    got = [admin_conn.execute("SELECT san, oidc_issuer, key_fingerprint FROM watchlist.identities WHERE rekor_entry_id = %s",
                              (i,)).fetchall() for i in ids]
    assert got[:3] == [[("evil\ufffd@y.z", "https://a\ufffdb", nul_fp)], [(None, None, dup_fp)], [(None, None, gn_fp)]]
    assert got[3][0][0] == "a@tny.town", "the entries stored with them keep their identities"
    with app(db, tenant) as conn:
        assert [(r[0], r[2]) for r in alerts(conn)] == [("evil", "evil\ufffd@y.z")]


def test_match_modes_and_every_given_pattern_must_match(db, tenant_factory, store):
    tenant = tenant_factory("modes")
    _, pem, fingerprint = key_pair()
    with app(db, tenant) as conn:
        rule(conn, "exact-ci", "exact", san="A@TNY.TOWN")
        rule(conn, "prefix", "prefix", san="https://github.com/trailofbits/")
        rule(conn, "glob", "glob", san="https://github.com/*/rfc8785.py/*@refs/tags/v?.?.?")
        rule(conn, "glob-literal-percent", "glob", san="https://github.com/%")  # % is literal in a glob
        rule(conn, "regex", "regex", "critical", issuer=r"^https://accounts\.google\.com$")
        rule(conn, "both-ok", "prefix", san="https://github.com/", issuer="https://token.actions.")
        rule(conn, "both-one-fails", "prefix", san="https://github.com/", issuer="https://accounts.")
        rule(conn, "key", "exact", "info", key=fingerprint.upper())
        rule(conn, "key-prefix-miss", "prefix", key="ffff" + fingerprint[4:])
        conn.commit()
    store.entries(tenant, [EMAIL, GITHUB_WHL, BODIES["integration__Python-3.12.5.tgz.sigstore"], key_signed_body(pem)])
    with app(db, tenant) as conn:
        got = {(r[0], r[1], r[2]) for r in alerts(conn)}
    whl = "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
    assert got == {("exact-ci", "san", "a@tny.town"), ("prefix", "san", whl), ("glob", "san", whl),
                   ("regex", "oidc_issuer", "https://accounts.google.com"), ("both-ok", "san", whl),
                   ("key", "key_fingerprint", fingerprint)}


@pytest.mark.parametrize("args, code", [
    ({"name": None}, errors.NullValueNotAllowed),
    ({"name": " "}, errors.InvalidParameterValue),
    ({"mode": "fuzzy"}, errors.InvalidParameterValue),
    ({"severity": "urgent"}, errors.InvalidParameterValue),
    ({"san": None}, errors.InvalidParameterValue),                      # no pattern at all
    ({"san": "x" * 257}, errors.InvalidParameterValue),
    ({"mode": "regex", "san": "(unclosed"}, errors.InvalidRegularExpression),
    ({"mode": "regex", "san": r"^(a+)\1$"}, errors.InvalidRegularExpression),  # back reference: no time bound
    ({"dedup": 0}, errors.InvalidParameterValue),
])
def test_bad_rules_are_refused_with_their_sqlstate(db, tenant_factory, args, code):
    tenant = tenant_factory("bad")
    params = {"name": "r", "mode": "exact", "severity": "info", "san": "x", "dedup": 60}
    params.update(args)
    with app(db, tenant) as conn:
        with pytest.raises(code):
            conn.execute("SELECT * FROM watchlist.upsert_rule(%(name)s, %(mode)s, %(severity)s, san_pattern => %(san)s, "
                         "dedup_minutes => %(dedup)s)", params)
        conn.rollback()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert conn.execute("SELECT count(*) FROM watchlist.rules").fetchone() == (0,)


def test_rule_limit_tenant_requirement_and_global_rules_for_admins_only(db, tenant_factory, admin_conn):
    tenant = tenant_factory("limit")
    admin_conn.execute("""INSERT INTO watchlist.rules (tenant_id, name, san_pattern, match_mode, severity)
                          SELECT %s, 'r' || i, 'x' || i, 'exact', 'info' FROM generate_series(1, 1000) i""", (tenant,))
    with app(db, tenant) as conn:
        with pytest.raises(errors.ProgramLimitExceeded):
            rule(conn, "one-too-many", "exact", san="y")
        conn.rollback()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert rule(conn, "r7", "exact", san="changed")[1] == 2, "changing an existing rule is no new rule"
        conn.commit()
        with pytest.raises(errors.InsufficientPrivilege):  # no tenant in this transaction
            rule(conn, "no-tenant", "exact", san="y")
        conn.rollback()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM watchlist.upsert_global_rule('g', 'exact', 'info', san_pattern => 'x')")
        conn.rollback()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        with pytest.raises(errors.InvalidParameterValue):
            conn.execute("SELECT watchlist.delete_rule(gen_random_uuid())")
        conn.rollback()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        with pytest.raises(errors.NullValueNotAllowed):
            conn.execute("SELECT watchlist.delete_rule(NULL)")


def test_a_regex_that_backtracks_elsewhere_is_evaluated_in_bounded_time(db, tenant_factory, store, admin_conn):
    tenant = tenant_factory("redos")
    with app(db, tenant) as conn:
        rule(conn, "nested", "regex", san="^(a+)+$")
        conn.commit()
    cert_like = json.dumps({"spec": {"signature": {"publicKey": {"content": ""}}}}).encode()
    store.entries(tenant, [cert_like])  # no identity: nothing to match, but the rule is read
    admin_conn.execute("SET statement_timeout = '20s'")  # a runaway match would fail with 57014
    try:
        assert admin_conn.execute("SELECT _pgattest.watch_identity_matches('regex', NULL, '^(a+)+$', NULL, NULL, "
                                  "repeat('a', 1000) || '!', NULL)").fetchone() == (False,)
    finally:
        admin_conn.execute("RESET statement_timeout")


def test_isolation_global_rules_and_tenant_rules_alert_only_the_entrys_tenant(db, tenant_factory, store, admin_conn):
    a, b = tenant_factory("isoa"), tenant_factory("isob")
    with app(db, a) as conn:
        rule(conn, "a-watches-email", "exact", san="a@tny.town")
        conn.commit()
    admin_conn.execute("SET ROLE pgattest_admin")
    gid = admin_conn.execute("SELECT rule_id FROM watchlist.upsert_global_rule('global-python', 'exact', 'critical', "
                             "san_pattern => 'thomas@python.org')").fetchone()[0]
    admin_conn.execute("RESET ROLE")
    try:
        store.entries(b, [EMAIL, BODIES["integration__Python-3.12.5.tgz.sigstore"]])
        with app(db, a) as conn:
            assert alerts(conn) == [], "b's entries never alert a, and a's rule is a's"
            assert [r[0] for r in conn.execute("SELECT scope FROM watchlist.list_rules()")] == ["tenant", "global"]
        with app(db, b) as conn:
            got = alerts(conn)
            assert [(r[0], r[6], r[4]) for r in got] == [("global-python", "global", "critical")]
            assert conn.execute("SELECT count(*) FROM watchlist.alerts").fetchone() == (1,)
    finally:
        admin_conn.execute("SET ROLE pgattest_admin")
        admin_conn.execute("SELECT watchlist.delete_global_rule(%s)", (gid,))
        with pytest.raises(errors.InvalidParameterValue):
            admin_conn.execute("SELECT watchlist.delete_global_rule(%s)", (gid,))
        admin_conn.execute("RESET ROLE")


def test_dedup_window_counts_occurrences_and_rule_changes_apply_to_the_next_entry(db, tenant_factory, store):
    tenant = tenant_factory("dedup")
    with app(db, tenant) as conn:
        rid, version = rule(conn, "email", "exact", san="a@tny.town")
        conn.commit()
    store.entries(tenant, [EMAIL, EMAIL])          # one statement, two entries
    store.entries(tenant, [EMAIL])                 # another statement, same window
    with app(db, tenant) as conn:
        got = alerts(conn)
        assert [(r[0], r[3], r[5]) for r in got] == [("email", 3, 1)]
        # Change the rule: version 2 is what the next entry is matched with; disable it: no match.
        assert rule(conn, "email", "exact", "critical", san="a@tny.town")[1] == 2
        conn.commit()
    store.entries(tenant, [EMAIL])
    with app(db, tenant) as conn:
        assert [(r[3], r[5]) for r in alerts(conn)] == [(4, 2)]
        conn.execute("SELECT * FROM watchlist.upsert_rule('email', 'exact', 'critical', san_pattern => 'a@tny.town', "
                     "enabled => false)")
        conn.commit()
    store.entries(tenant, [EMAIL])
    with app(db, tenant) as conn:
        assert [r[3] for r in alerts(conn)] == [4]


def test_matches_in_different_windows_are_different_alerts(db, tenant_factory, store, admin_conn):
    tenant = tenant_factory("win")
    # Three entries (an entry counts once per rule, field and value: watchlist.rule_matches).
    entries = store.entries(tenant, [EMAIL, EMAIL, EMAIL])
    rule_id = "00000000-0000-0000-0000-000000000001"
    match = (f"({tenant},{rule_id},tenant,r,1,info,60,san,a@tny.town,{{}},%s,\"%s\")")
    admin_conn.execute(f"""SELECT _pgattest.record_watch_alerts(ARRAY['{match % (entries[0], "2026-01-01 10:05+00")}',
                                 '{match % (entries[1], "2026-01-01 10:55+00")}',
                                 '{match % (entries[2], "2026-01-01 11:01+00")}']::_pgattest.watch_match[])""")
    assert admin_conn.execute("SELECT to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI'), occurrences, "
                              "outbox FROM (SELECT a.*, (SELECT count(*) FROM watchlist.alert_outbox o "
                              "WHERE o.alert_id = a.id) AS outbox FROM watchlist.alerts a WHERE tenant_id = %s) x ORDER BY 1",
                              (tenant,)).fetchall() == [("10:00", 2, 1), ("11:00", 1, 1)]


def test_one_notify_per_transaction_and_an_outbox_drained_with_skip_locked(db, tenant_factory, store, admin_conn):
    tenant = tenant_factory("deliver")
    with app(db, tenant) as conn:
        rule(conn, "any-github", "prefix", san="https://github.com/")
        rule(conn, "email", "exact", san="a@tny.town")
        conn.commit()
    listener = psycopg.connect(db, autocommit=True)
    listener.execute("LISTEN attestor_entries_inserted")
    with admin_conn.transaction():
        store.entries(tenant, [GITHUB_WHL, EMAIL])
        store.entries(tenant, [V2_DSSE])
    time.sleep(0.2)
    notes = list(listener.notifies(timeout=1.0, stop_after=5))
    listener.close()
    assert len(notes) == 1, "one NOTIFY per transaction, however many statements stored entries"
    store.entries(tenant, [GITHUB_WHL])   # a repeat in the window: an occurrence, no new delivery
    one, two = app(db, tenant), app(db, tenant)
    try:
        first = one.execute("SELECT rule_name, value FROM watchlist.drain_outbox(1)").fetchall()
        second = two.execute("SELECT rule_name, value FROM watchlist.drain_outbox(10)").fetchall()
        assert len(first) == 1 and len(second) == 2 and not set(first) & set(second), "SKIP LOCKED: disjoint"
        one.rollback()   # a consumer that fails leaves its alert for the next
        two.commit()
        one.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert one.execute("SELECT rule_name, value FROM watchlist.drain_outbox()").fetchall() == first
        one.commit()
        one.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert one.execute("SELECT count(*) FROM watchlist.drain_outbox()").fetchone() == (0,)
        with pytest.raises(errors.InvalidParameterValue):
            one.execute("SELECT * FROM watchlist.drain_outbox(0)")
    finally:
        one.close()
        two.close()


def test_acknowledge_query_and_open_counts(db, tenant_factory, store):
    tenant = tenant_factory("ack")
    with app(db, tenant) as conn:
        crit = rule(conn, "crit", "exact", "critical", san="a@tny.town")[0]
        rule(conn, "info", "prefix", "info", san="https://github.com/")
        conn.commit()
    store.entries(tenant, [EMAIL, GITHUB_WHL])
    with app(db, tenant) as conn:
        assert conn.execute("SELECT * FROM watchlist.open_alert_counts()").fetchall() == [
            ("critical", 1), ("warning", 0), ("info", 1)]
        assert [r[0] for r in conn.execute("SELECT rule_name FROM watchlist.list_alerts(severity => 'critical')")] == ["crit"]
        assert [r[0] for r in conn.execute("SELECT rule_name FROM watchlist.list_alerts(rule_id => %s)", (crit,))] == ["crit"]
        assert conn.execute("SELECT count(*) FROM watchlist.list_alerts(since => now() + interval '1 hour')").fetchone() == (0,)
        alert = conn.execute("SELECT id FROM watchlist.list_alerts(severity => 'critical')").fetchone()[0]
        conn.execute("SELECT set_config('app.actor', 'carol', true)")
        conn.execute("SELECT watchlist.acknowledge_alert(%s)", (alert,))
        assert conn.execute("SELECT acknowledged_by FROM watchlist.alerts WHERE id = %s", (alert,)).fetchone() == ("carol",)
        assert conn.execute("SELECT count(*) FROM watchlist.list_alerts()").fetchone() == (1,)
        assert conn.execute("SELECT open_alerts FROM watchlist.open_alert_counts() WHERE severity = 'critical'").fetchone() == (0,)
        for sql, code in [("SELECT watchlist.acknowledge_alert(%s)", errors.ObjectNotInPrerequisiteState),
                          ("SELECT watchlist.acknowledge_alert(gen_random_uuid()) WHERE %s IS NOT NULL", errors.InvalidParameterValue),
                          ("SELECT watchlist.acknowledge_alert(NULL) WHERE %s IS NOT NULL", errors.NullValueNotAllowed),
                          ("SELECT * FROM watchlist.list_alerts(severity => 'loud') WHERE %s IS NOT NULL", errors.InvalidParameterValue),
                          ("SELECT * FROM watchlist.list_alerts(max_rows => 0) WHERE %s IS NOT NULL", errors.InvalidParameterValue)]:
            conn.commit()
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            with pytest.raises(code):
                conn.execute(sql, (alert,))
            conn.rollback()
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM watchlist.open_alert_counts()")


def test_backfill_applies_a_new_rule_to_stored_entries_of_the_tenant(db, tenant_factory, store, admin_conn):
    a, b = tenant_factory("bfa"), tenant_factory("bfb")
    store.entries(a, [EMAIL, EMAIL, GITHUB_WHL])
    store.entries(b, [EMAIL])
    with app(db, a) as conn:
        rid = rule(conn, "late-email", "exact", san="a@tny.town")[0]
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        assert alerts(conn) == [], "a new rule does not look back by itself"
        assert conn.execute("SELECT watchlist.backfill(%s, now() - interval '1 day')", (rid,)).fetchone() == (2,)
        assert [(r[0], r[3]) for r in alerts(conn)] == [("late-email", 2)]
        assert conn.execute("SELECT watchlist.backfill(%s, now() + interval '1 day')", (rid,)).fetchone() == (0,)
        for args, code in [((None, "2026-01-01"), errors.NullValueNotAllowed),
                           ((rid, None), errors.NullValueNotAllowed),
                           (("00000000-0000-0000-0000-000000000000", "2026-01-01"), errors.InvalidParameterValue)]:
            conn.commit()
            conn.execute("SELECT core.set_tenant(%s)", (a,))
            with pytest.raises(code):
                conn.execute("SELECT watchlist.backfill(%s, %s)", args)
            conn.rollback()
    with app(db, b) as conn:
        assert alerts(conn) == [], "backfill stays within the calling tenant"
        with pytest.raises(errors.InvalidParameterValue):  # a's rule is not b's
            conn.execute("SELECT watchlist.backfill(%s, now() - interval '1 day')", (rid,))


def test_backfill_is_idempotent_and_never_counts_an_entry_twice_for_a_rule(db, tenant_factory, store, admin_conn):
    a = tenant_factory("bfidem")
    store.entries(a, [EMAIL, EMAIL])

    def backfill(conn, rid):
        n = conn.execute("SELECT watchlist.backfill(%s, now() - interval '1 day')", (rid,)).fetchone()[0]
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        return n, [r[3] for r in alerts(conn)]

    with app(db, a) as conn:
        rid = rule(conn, "late-email", "exact", san="a@tny.town")[0]
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        assert backfill(conn, rid) == (2, [2])
        assert backfill(conn, rid) == (0, [2]), "a second run over the same range changes nothing"
    store.entries(a, [EMAIL])  # matched live: a third occurrence
    with app(db, a) as conn:
        assert [r[3] for r in alerts(conn)] == [3]
        assert rule(conn, "late-email", "exact", severity="critical", san="a@tny.town")[1] == 2
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        # The new version: entries matched under version 1 (by backfill or live) are not counted again.
        assert backfill(conn, rid) == (0, [3])
    # The race: a completion that began after the rule was written (its identities' created_at
    # is later) but matched before the rule committed (so the rule was not seen live).
    # Made here with the rule disabled while the entry is stored, then its time moved on.
    admin_conn.execute("UPDATE watchlist.rules SET enabled = false WHERE id = %s", (rid,))
    late = store.entries(a, [EMAIL])[0]
    admin_conn.execute("UPDATE watchlist.rules SET enabled = true WHERE id = %s", (rid,))
    admin_conn.execute("UPDATE watchlist.identities SET created_at = now() + interval '1 minute' WHERE rekor_entry_id = %s",
                       (late,))
    with app(db, a) as conn:
        assert [r[3] for r in alerts(conn)] == [3], "not matched live"
        n = conn.execute("SELECT watchlist.backfill(%s, now() - interval '1 day')", (rid,)).fetchone()[0]
        assert (n, [r[3] for r in alerts(conn)]) == (1, [4]), "found by the backfill, once"
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        assert conn.execute("SELECT watchlist.backfill(%s, now() - interval '1 day')", (rid,)).fetchone() == (0,)


def test_watchlist_writes_are_audited_and_tables_are_not_writable_by_apps(db, tenant_factory):
    tenant = tenant_factory("wlaudit")
    with app(db, tenant) as conn:
        rule(conn, "audited", "exact", san="x")
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert conn.execute("SELECT operation FROM audit.events WHERE table_name = 'watchlist.rules'").fetchall() == [("INSERT",)]
        for sql in ("INSERT INTO watchlist.alerts (rule_id) VALUES (gen_random_uuid())",
                    "UPDATE watchlist.rules SET enabled = false", "DELETE FROM watchlist.alert_outbox",
                    "INSERT INTO watchlist.identities (rekor_entry_id, kind) VALUES (gen_random_uuid(), 'key')"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
