"""Unknowns with bitemporal history (issue 19): record, resolve, correct, as_of, history.

Valid time is when an unknown held in the world; system time is when the database
believed it (periods' system versioning into unknowns.unknowns_history). The reference
test replays a random sequence of writes on a model in Python and checks every answer
of unknowns.as_of(valid_at, known_at) against it, for every known_at the sequence
passed through.
"""

import random
import threading
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from psycopg.types.json import Jsonb

from pgattest import errors

DAY0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
INF = None  # valid_to infinity, as the queries below return it (nullif)
KINDS = ["missing_sbom", "ambiguous_package", "missing_feed", "unresolved_edge", "no_version_info",
         "unknown_ecosystem", "partial_match", "version_range_unbounded", "unsupported_format", "transitive_gap"]
RESOLUTIONS = ["feed_updated", "sbom_provided", "manual_mapping", "superseded", "false_positive", "wont_fix"]
COLS = "id, valid_from, nullif(valid_to, 'infinity'), kind, subject, reason, details, resolution"


def day(d):
    return DAY0 + timedelta(days=d)


def app(dsn, tenant):
    conn = psycopg.connect(dsn)
    conn.execute("SET ROLE pgattest_app")
    conn.commit()
    if tenant:
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
    return conn


def record(conn, kind="missing_sbom", subject="pkg:npm/left-pad@1.3.0", reason="no SBOM", details=None,
           valid_from=None, valid_to=None):
    return conn.execute("SELECT unknowns.record(%s, %s, %s, %s, %s, coalesce(%s, 'infinity'::timestamptz))",
                        (kind, subject, reason, Jsonb(details or {}), valid_from or day(0), valid_to)).fetchone()[0]


def current_rows(conn, uid):
    return conn.execute(f"SELECT {COLS} FROM unknowns.unknowns WHERE id = %s ORDER BY valid_from", (uid,)).fetchall()


# ---- behaviour ---------------------------------------------------------------------------

def test_record_resolve_correct_and_the_two_times(db, tenant_factory):
    tenant = tenant_factory("unk")
    with app(db, tenant) as conn:
        uid = record(conn, details={"scanner": "syft"}, valid_from=day(0))
        known_1 = conn.execute("SELECT transaction_timestamp()").fetchone()[0]
        conn.commit()

        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        rows = conn.execute(f"SELECT {COLS} FROM unknowns.resolve(%s, 'sbom_provided', %s)", (uid, day(10))).fetchall()
        known_2 = conn.execute("SELECT transaction_timestamp()").fetchone()[0]
        conn.commit()
        assert [(r[1], r[2], r[7]) for r in rows] == [(day(0), day(10), None), (day(10), INF, "sbom_provided")]

        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        rows = conn.execute(f"SELECT {COLS} FROM unknowns.correct(%s, %s, %s, 'missing_feed', 'pkg:npm/left-pad@1.3.0',"
                            " 'the feed lagged', '{}', NULL)", (uid, day(3), day(5))).fetchall()
        conn.commit()
        assert [(r[1], r[2], r[3]) for r in rows] == [(day(0), day(3), "missing_sbom"), (day(3), day(5), "missing_feed"),
                                                      (day(5), day(10), "missing_sbom"), (day(10), INF, "missing_sbom")]

        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        as_of = lambda v, k: conn.execute(  # noqa: E731
            f"SELECT {COLS} FROM unknowns.as_of(%s, %s, %s)", (v, k, uid)).fetchall()
        # Now: the correction holds on day 4, the resolution from day 10.
        assert [(r[3], r[7]) for r in as_of(day(4), None)] == [("missing_feed", None)]
        assert [(r[3], r[7]) for r in as_of(day(11), None)] == [("missing_sbom", "sbom_provided")]
        # What we knew before the correction about day 4, and before the resolution about day 11.
        assert [(r[3], r[7]) for r in as_of(day(4), known_2)] == [("missing_sbom", None)]
        assert [(r[3], r[7]) for r in as_of(day(11), known_1)] == [("missing_sbom", None)]
        # Before it was recorded, nothing was known; before it held, it did not hold.
        assert as_of(day(4), known_1 - timedelta(seconds=1)) == []
        assert as_of(day(-1), None) == []
        assert as_of(day(4), None)[0][6] == {}

        hist = conn.execute("SELECT valid_from, nullif(valid_to, 'infinity'), resolution, nullif(system_to, 'infinity') "
                            "FROM unknowns.history(%s)", (uid,)).fetchall()
        # Every version: the first row (replaced by the resolution's split), the open row
        # replaced by the correction's split, and the four current rows.
        assert len(hist) == 6
        assert [h for h in hist if h[3] is not None][0][:2] == (day(0), INF)
        assert sum(1 for h in hist if h[3] is None) == 4
        conn.rollback()


def test_the_now_query_reads_the_current_table_only(db, tenant_factory):
    """With the history table locked by another session, "now" still answers (it never
    touches history), while a question about the past waits for the lock."""
    tenant = tenant_factory("unk-now")
    with app(db, tenant) as conn:
        uid = record(conn)
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.execute("SELECT unknowns.resolve(%s, 'wont_fix', %s)", (uid, day(1)))
        conn.commit()
    with psycopg.connect(db) as locker, app(db, tenant) as conn:
        locker.execute("LOCK TABLE unknowns.unknowns_history IN ACCESS EXCLUSIVE MODE")
        conn.execute("SET lock_timeout = '300ms'")
        assert conn.execute("SELECT resolution FROM unknowns.as_of(now(), NULL, %s)", (uid,)).fetchall() == [("wont_fix",)]
        assert conn.execute("SELECT count(*) FROM unknowns.as_of(now())").fetchone() == (1,)
        with pytest.raises(psycopg.errors.LockNotAvailable):
            conn.execute("SELECT count(*) FROM unknowns.as_of(now(), now() - interval '1 hour', %s)", (uid,))
        conn.rollback()
        locker.rollback()


def test_valid_periods_of_one_unknown_never_overlap(db, tenant_factory):
    tenant = tenant_factory("unk-excl")
    with app(db, tenant) as conn:
        uid = record(conn)
        conn.commit()
    with psycopg.connect(db) as owner:
        owner.execute("SET ROLE pgattest_owner")
        owner.execute("SELECT core.set_tenant(%s)", (tenant,))
        with pytest.raises(psycopg.errors.ExclusionViolation):
            owner.execute("""INSERT INTO unknowns.unknowns (id, valid_from, valid_to, kind, subject, reason)
                             VALUES (%s, %s, %s, 'missing_feed', 'pkg:npm/x@1', 'overlaps')""", (uid, day(5), day(6)))
        owner.rollback()
        # Another unknown may hold at the same time.
        owner.execute("SELECT core.set_tenant(%s)", (tenant,))
        owner.execute("""INSERT INTO unknowns.unknowns (id, valid_from, valid_to, kind, subject, reason)
                         VALUES (gen_random_uuid(), %s, %s, 'missing_feed', 'pkg:npm/x@1', 'other')""", (day(5), day(6)))
        owner.rollback()


def test_a_column_added_to_the_current_table_is_versioned_in_history(fresh_db, tenant_factory):
    _, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SELECT core.register_tenant('col-tenant', 'x')")
        su.execute("SET ROLE pgattest_owner")
        su.execute("ALTER TABLE unknowns.unknowns ADD COLUMN severity text")
        cols = su.execute("""SELECT attname FROM pg_attribute WHERE attrelid = 'unknowns.unknowns_history'::regclass
                              AND attnum > 0 AND NOT attisdropped ORDER BY attnum""").fetchall()
        assert cols[-1] == ("severity",)
    with app(dsn, "col-tenant") as conn:
        uid = record(conn)
        conn.commit()
    with psycopg.connect(dsn) as owner:
        owner.execute("SET ROLE pgattest_owner")
        owner.execute("SELECT core.set_tenant('col-tenant')")
        owner.execute("UPDATE unknowns.unknowns SET severity = 'high' WHERE id = %s", (uid,))
        severity_known_at = owner.execute("SELECT transaction_timestamp()").fetchone()[0]
        owner.commit()
    with app(dsn, "col-tenant") as conn:
        # A split copies every column: the left part keeps severity, the resolved part too.
        rows = conn.execute("SELECT valid_from, severity, resolution FROM unknowns.resolve(%s, 'wont_fix', %s)",
                            (uid, day(2))).fetchall()
        assert rows == [(day(0), "high", None), (day(2), "high", "wont_fix")]
        conn.commit()
        conn.execute("SELECT core.set_tenant('col-tenant')")
        hist = conn.execute("SELECT severity, resolution FROM unknowns.history(%s) WHERE system_to <> 'infinity'",
                            (uid,)).fetchall()
        assert ("high", None) in hist, "the version with severity set was not kept in history"
        # as_of in the past returns the added column's value as it was then.
        before = conn.execute("SELECT severity, resolution FROM unknowns.as_of(%s, %s, %s)",
                              (day(5), severity_known_at, uid)).fetchall()
        assert before == [("high", None)]
        conn.rollback()
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SET ROLE pgattest_owner")
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as exc:
            su.execute("ALTER TABLE unknowns.unknowns DROP COLUMN severity")
        assert exc.value.sqlstate == errors.OBJECT_NOT_IN_STATE
        assert "severity" in [r[0] for r in su.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'unknowns.unknowns'::regclass AND NOT attisdropped")]


# ---- concurrency -------------------------------------------------------------------------

def correct_args(uid, reason):
    return (uid, day(1), day(2), "partial_match", "pkg:npm/left-pad@1.3.0", reason, Jsonb({}), None)


CORRECT = "SELECT count(*) FROM unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)"


def test_concurrent_writers_of_one_unknown_serialize(db, tenant_factory):
    tenant = tenant_factory("unk-conc")
    with app(db, tenant) as conn:
        uid = record(conn)
        conn.commit()
    first, second = app(db, tenant), app(db, tenant)
    try:
        # first began before second: second waits for first, then builds on its rows.
        first.execute(CORRECT, correct_args(uid, "first"))
        done = {}

        def run_second():
            try:
                second.execute(CORRECT, correct_args(uid, "second"))
                second.commit()
                done["ok"] = True
            except psycopg.Error as exc:  # pragma: no cover - reported below
                done["error"] = exc

        t = threading.Thread(target=run_second)
        t.start()
        t.join(1.0)
        assert t.is_alive(), "the second writer should wait for the first"
        first.commit()
        t.join(10)
        assert done == {"ok": True}
    finally:
        first.close()
        second.close()
    with app(db, tenant) as conn:
        assert [r[5] for r in current_rows(conn, uid)] == ["no SBOM", "second", "no SBOM"]
        hist = conn.execute("SELECT reason FROM unknowns.history(%s) WHERE valid_from = %s ORDER BY system_from",
                            (uid, day(1))).fetchall()
        assert [h[0] for h in hist] == ["first", "second"]
        conn.rollback()


def test_a_writer_that_began_before_the_latest_version_gets_40001(db, tenant_factory):
    tenant = tenant_factory("unk-late")
    with app(db, tenant) as conn:
        uid = record(conn)
        conn.commit()
    early, late = app(db, tenant), app(db, tenant)  # early's transaction began first (set_tenant)
    try:
        late.execute("SELECT pg_sleep(0.01)")
        late.execute(CORRECT, correct_args(uid, "late"))
        late.commit()
        with pytest.raises(psycopg.errors.SerializationFailure) as exc:
            early.execute(CORRECT, correct_args(uid, "early"))
        assert exc.value.sqlstate == errors.SERIALIZATION_FAILURE
        early.rollback()
        # Retried, it applies.
        early.execute("SELECT core.set_tenant(%s)", (tenant,))
        early.execute(CORRECT, correct_args(uid, "early, retried"))
        early.commit()
    finally:
        early.close()
        late.close()
    with app(db, tenant) as conn:
        assert [r[5] for r in current_rows(conn, uid)] == ["no SBOM", "early, retried", "no SBOM"]
        conn.rollback()


# ---- failure paths -----------------------------------------------------------------------

def expect(conn, sql, params, sqlstate):
    with pytest.raises(psycopg.Error) as exc:
        conn.execute(sql, params)
    conn.rollback()
    assert exc.value.sqlstate == sqlstate, (sql, params, exc.value)


def test_failure_paths(db, tenant_factory):
    tenant = tenant_factory("unk-fail")
    other = tenant_factory("unk-other")
    with app(db, tenant) as conn:
        uid = record(conn, valid_from=day(0), valid_to=day(20))
        resolved = record(conn, valid_from=day(0))
        conn.execute("SELECT unknowns.resolve(%s, 'feed_updated', %s)", (resolved, day(5)))
        conn.commit()
    with app(db, other) as theirs:
        theirs_id = record(theirs)
        theirs.commit()

    rec = "SELECT unknowns.record(%s, %s, %s, %s, %s, %s)"
    ok = ["missing_sbom", "pkg:npm/a@1", "why", Jsonb({}), day(0), day(1)]
    cases = [
        (rec, [None] + ok[1:], errors.NULL_NOT_ALLOWED),
        (rec, ok[:1] + [None] + ok[2:], errors.NULL_NOT_ALLOWED),
        (rec, ok[:3] + [None] + ok[4:], errors.NULL_NOT_ALLOWED),
        (rec, ok[:4] + [None] + ok[5:], errors.NULL_NOT_ALLOWED),
        (rec, ["missing_everything"] + ok[1:], errors.INVALID_PARAMETER),
        (rec, ok[:1] + ["left-pad"] + ok[2:], errors.INVALID_PARAMETER),
        (rec, ok[:1] + ["sha256:ABC"] + ok[2:], errors.INVALID_PARAMETER),
        (rec, ok[:2] + [""] + ok[3:], errors.INVALID_PARAMETER),
        (rec, ok[:2] + ["x" * 4001] + ok[3:], errors.INVALID_PARAMETER),
        (rec, ok[:3] + [Jsonb([1, 2])] + ok[4:], errors.INVALID_PARAMETER),
        (rec, ok[:3] + [Jsonb({"blob": "x" * 70000})] + ok[4:], errors.PROGRAM_LIMIT_EXCEEDED),
        (rec, ok[:4] + [day(2), day(1)], errors.INVALID_PARAMETER),
        (rec, ok[:4] + [day(1), day(1)], errors.INVALID_PARAMETER),
        ("SELECT unknowns.resolve(%s, %s, %s)", [None, "wont_fix", day(1)], errors.NULL_NOT_ALLOWED),
        ("SELECT unknowns.resolve(%s, %s, %s)", [uid, None, day(1)], errors.NULL_NOT_ALLOWED),
        ("SELECT unknowns.resolve(%s, %s, %s)", [uid, "wont_fix", None], errors.NULL_NOT_ALLOWED),
        ("SELECT unknowns.resolve(%s, %s, %s)", [uid, "fixed_itself", day(1)], errors.INVALID_PARAMETER),
        ("SELECT unknowns.resolve(%s, %s, %s)", [uid, "wont_fix", day(30)], errors.INVALID_PARAMETER),
        ("SELECT unknowns.resolve(%s, %s, %s)", [uid, "wont_fix", day(-1)], errors.INVALID_PARAMETER),
        ("SELECT unknowns.resolve(%s, %s, %s)", [resolved, "wont_fix", day(6)], errors.OBJECT_NOT_IN_STATE),
        ("SELECT unknowns.resolve(%s, %s, %s)", [theirs_id, "wont_fix", day(1)], errors.INVALID_PARAMETER),
        ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
         [theirs_id, day(0), day(1), "missing_sbom", "pkg:npm/a@1", "r", Jsonb({}), None], errors.INVALID_PARAMETER),
        ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
         [uid, day(0), day(1), "missing_sbom", "pkg:npm/a@1", "r", Jsonb({}), "maybe"], errors.INVALID_PARAMETER),
        ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
         [uid, day(3), day(1), "missing_sbom", "pkg:npm/a@1", "r", Jsonb({}), None], errors.INVALID_PARAMETER),
        ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
         [uid, None, day(1), "missing_sbom", "pkg:npm/a@1", "r", Jsonb({}), None], errors.NULL_NOT_ALLOWED),
        ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
         [uid, day(0), day(1), "missing_sbom", "pkg:npm/a@1", "r", None, None], errors.NULL_NOT_ALLOWED),
        ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
         [None, day(0), day(1), "missing_sbom", "pkg:npm/a@1", "r", Jsonb({}), None], errors.NULL_NOT_ALLOWED),
        ("SELECT * FROM unknowns.as_of(%s, %s, %s)", [None, None, None], errors.NULL_NOT_ALLOWED),
        ("SELECT * FROM unknowns.history(%s)", [None], errors.NULL_NOT_ALLOWED),
        ("SELECT * FROM unknowns.history(%s)", [theirs_id], errors.INVALID_PARAMETER),
        # Writes only through the functions.
        ("INSERT INTO unknowns.unknowns (id, valid_from, kind, subject, reason) VALUES (gen_random_uuid(), now(), "
         "'missing_sbom', 'pkg:npm/a@1', 'r')", [], errors.INSUFFICIENT_PRIVILEGE),
        ("UPDATE unknowns.unknowns SET reason = 'x'", [], errors.INSUFFICIENT_PRIVILEGE),
        ("DELETE FROM unknowns.unknowns", [], errors.INSUFFICIENT_PRIVILEGE),
        ("DELETE FROM unknowns.unknowns_history", [], errors.INSUFFICIENT_PRIVILEGE),
        ("SELECT _pgattest.split_unknown(%s, %s, now())", [tenant, uid], errors.INSUFFICIENT_PRIVILEGE),
    ]
    with app(db, None) as conn:
        for sql, params, sqlstate in cases:
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            before = conn.execute("SELECT count(*) FROM unknowns.unknowns_with_history").fetchone()[0]
            expect(conn, sql, params, sqlstate)
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            assert conn.execute("SELECT count(*) FROM unknowns.unknowns_with_history").fetchone()[0] == before, sql
            conn.rollback()
        # Without a tenant, every function refuses.
        for sql, params in [(rec, ok), ("SELECT unknowns.resolve(%s, 'wont_fix', %s)", [uid, day(1)]),
                            ("SELECT unknowns.correct(%s, %s, %s, %s, %s, %s, %s, %s)",
                             [uid, day(0), day(1), "missing_sbom", "pkg:npm/a@1", "r", Jsonb({}), None]),
                            ("SELECT * FROM unknowns.as_of(now())", []), ("SELECT * FROM unknowns.history(%s)", [uid])]:
            expect(conn, sql, params, errors.INSUFFICIENT_PRIVILEGE)


def test_tenants_never_see_each_others_unknowns(db, tenant_factory):
    a, b = tenant_factory("unk-a"), tenant_factory("unk-b")
    with app(db, a) as conn:
        uid = record(conn)
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        conn.execute("SELECT unknowns.resolve(%s, 'wont_fix', %s)", (uid, day(1)))
        conn.commit()
    with app(db, b) as conn:
        for sql in ("SELECT count(*) FROM unknowns.unknowns", "SELECT count(*) FROM unknowns.unknowns_history",
                    "SELECT count(*) FROM unknowns.unknowns_with_history",
                    "SELECT count(*) FROM unknowns.unknowns__as_of(now() - interval '1 hour')",
                    "SELECT count(*) FROM unknowns.as_of(now())",
                    "SELECT count(*) FROM unknowns.as_of(%s, now() - interval '1 millisecond')" % f"'{day(0).isoformat()}'"):
            assert conn.execute(sql).fetchone() == (0,), sql
        conn.rollback()
    with app(db, a) as conn:
        assert conn.execute("SELECT count(*) FROM unknowns.unknowns_history").fetchone() == (1,)
        conn.rollback()


# ---- as_of against a reference model -----------------------------------------------------

class Model:
    """Unknowns as the API defines them: per id, disjoint valid segments with a state."""

    def __init__(self):
        self.segs = {}  # id -> list of [vf, vt, state]; vt None = infinity

    @staticmethod
    def _lt(a, b):  # a < b with None as infinity
        return b is None if a is None else (b is None or a < b)

    def _split(self, uid, at):
        out = []
        for vf, vt, st in self.segs[uid]:
            if vf < at and self._lt(at, vt):
                out += [[vf, at, st], [at, vt, st]]
            else:
                out.append([vf, vt, st])
        self.segs[uid] = out

    def record(self, uid, state, vf, vt):
        self.segs[uid] = [[vf, vt, state]]

    def resolve_error(self, uid, at):
        seg = [s for s in self.segs[uid] if s[0] <= at and self._lt(at, s[1])]
        if not seg:
            return errors.INVALID_PARAMETER
        if seg[0][2]["resolution"] is not None:
            return errors.OBJECT_NOT_IN_STATE
        return None

    def resolve(self, uid, resolution, at):
        self._split(uid, at)
        self.segs[uid] = [[vf, vt, dict(st, resolution=resolution) if vf >= at else st]
                          for vf, vt, st in self.segs[uid]]

    def correct(self, uid, vf, vt, state):
        self._split(uid, vf)
        if vt is not None:
            self._split(uid, vt)
        keep = [s for s in self.segs[uid] if not (s[0] >= vf and (vt is None or (s[1] is not None and s[1] <= vt)))]
        self.segs[uid] = sorted(keep + [[vf, vt, state]], key=lambda s: s[0])

    def as_of(self, valid_at):
        return sorted((uid, vf, vt, st["kind"], st["subject"], st["reason"], st["details"], st["resolution"])
                      for uid, segs in self.segs.items() for vf, vt, st in segs
                      if vf <= valid_at and self._lt(valid_at, vt))


def test_as_of_matches_a_reference_over_a_random_sequence(db, tenant_factory):
    rng = random.Random(19)
    tenant = tenant_factory("unk-ref")
    model = Model()
    ids = []
    checkpoints = []  # (known_at, model.as_of at every probe)
    probes = [day(d / 2) for d in range(-2, 64)]

    def random_state(resolution=None):
        return {"kind": rng.choice(KINDS), "subject": f"pkg:npm/p{rng.randrange(5)}@1.{rng.randrange(3)}.0",
                "reason": f"r{rng.randrange(1000)}", "details": {"n": rng.randrange(10)}, "resolution": resolution}

    def random_period():
        vf = rng.randrange(0, 30)
        vt = None if rng.random() < 0.4 else vf + rng.randrange(1, 30)
        return day(vf), (None if vt is None else day(vt))

    with app(db, None) as conn:
        for step in range(45):
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            op = "record" if len(ids) < 3 or rng.random() < 0.25 else rng.choice(["resolve", "correct", "correct"])
            if op == "record":
                st = random_state()
                vf, vt = random_period()
                uid = record(conn, st["kind"], st["subject"], st["reason"], st["details"], vf, vt)
                ids.append(uid)
                model.record(uid, st, vf, vt)
            elif op == "resolve":
                uid, at, res = rng.choice(ids), day(rng.randrange(0, 40)), rng.choice(RESOLUTIONS)
                err = model.resolve_error(uid, at)
                if err:
                    expect(conn, "SELECT unknowns.resolve(%s, %s, %s)", (uid, res, at), err)
                    conn.execute("SELECT core.set_tenant(%s)", (tenant,))
                    conn.execute("SELECT 1")
                else:
                    conn.execute("SELECT unknowns.resolve(%s, %s, %s)", (uid, res, at))
                    model.resolve(uid, res, at)
            else:
                uid = rng.choice(ids)
                st = random_state(rng.choice([None, None] + RESOLUTIONS))
                vf, vt = random_period()
                conn.execute("SELECT unknowns.correct(%s, %s, coalesce(%s, 'infinity'::timestamptz), %s, %s, %s, %s, %s)",
                             (uid, vf, vt, st["kind"], st["subject"], st["reason"], Jsonb(st["details"]),
                              st["resolution"]))
                model.correct(uid, vf, vt, st)
            known_at = conn.execute("SELECT transaction_timestamp()").fetchone()[0]
            conn.commit()
            checkpoints.append((known_at, {p: model.as_of(p) for p in probes}))

        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        sql = f"SELECT {COLS} FROM unknowns.as_of(%s, %s) ORDER BY 1, 2"
        for known_at, expected in checkpoints:
            for p in probes:
                got = sorted(tuple(r) for r in conn.execute(sql, (p, known_at)).fetchall())
                assert got == expected[p], f"as_of({p}, {known_at})"
        # Known now (the current table alone) is the last checkpoint; point lookups agree.
        final = checkpoints[-1][1]
        for p in probes:
            got = sorted(tuple(r) for r in conn.execute(sql, (p, None)).fetchall())
            assert got == final[p], f"as_of({p}, NULL)"
            uid = rng.choice(ids)
            one = [tuple(r) for r in conn.execute(f"SELECT {COLS} FROM unknowns.as_of(%s, %s, %s)",
                                                  (p, checkpoints[20][0], uid)).fetchall()]
            assert one == [r for r in checkpoints[20][1][p] if r[0] == uid]
        # Before the first write nothing was known.
        assert conn.execute(sql, (day(5), checkpoints[0][0] - timedelta(microseconds=1))).fetchall() == []
        conn.rollback()
