"""Resilience 5: Hypothesis fuzzing of every PL/Python entry point, for a bounded time.

The targets come from the catalog, so a new entry point cannot be missed: every function
in LANGUAGE plpython3u in the module schemas, and every function there that calls one of
them, directly or through other functions (its definition names it, schema-qualified as
the house rules have every call), except trigger functions. Each is called with arguments
generated from its signature (composite types from their attributes): mutations of real
documents (Sigstore bundles, their tlog entries, DSSE envelopes and checkpoint notes,
trusted roots, VEX documents in OpenVEX, CSAF and CycloneDX, PEM keys, the development
log's entries), arbitrary JSON, text, bytes, numbers and NULLs; in a transaction rolled
back, as the superuser with a tenant set (so the wrappers get past the tenant check).

Every failure must be a typed SQL error with a specific SQLSTATE: not XX000 (an exception
PL/Python did not translate), not a generic P0001, not a lost connection; after each
function a new connection still runs SELECT 1, and the server log shows no crashed backend.

Budget: PGATTEST_RESILIENCE_FUZZ_SECONDS (default 30) shared by the targets; examples per
target at most PGATTEST_RESILIENCE_FUZZ_EXAMPLES (default 200); seed PGATTEST_RESILIENCE_SEED
(default random, printed)."""

import json
import os
import random
import re
import secrets
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ops.devlog import LocalRekor
from tests.support.queue_helpers import Signer
from tests.support.resilience import connect_retrying

pytestmark = pytest.mark.resilience

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT.parent / "shared" / "vectors" / "sigstore"
BUDGET = float(os.environ.get("PGATTEST_RESILIENCE_FUZZ_SECONDS", "30"))
MAX_EXAMPLES = int(os.environ.get("PGATTEST_RESILIENCE_FUZZ_EXAMPLES", "200"))
SCHEMAS = ["_pgattest", "core", "attestor", "proofchain", "vex", "vexhub", "verdict", "trustverdict", "watchlist",
           "unknowns", "triage", "audit", "health"]
# Not typed: internal errors, a generic RAISE, a failed ASSERT, a Python exception PL/Python
# passed on as it was (38000, and the rest of classes 38 and 39), lost connections, the
# server shutting down or out of resources.
UNTYPED = re.compile(r"^(XX...|P0001|P0004|38...|39...|08...|57P..|58...|53...)$")
# Known defects, found by this fuzzing and not fixable without reworking _pgattest/pylib:
# signature -> what the XX000 message says. Anything else untyped fails the test.
KNOWN_DEFECTS = {
    # signature -> a message pattern of an XX000 this run lets through (none: the one it had,
    # verify_stored_completions on a malformed logs argument, raises 22023 since stop 24).
}
CHUNK = 10
CRASH = re.compile(r"terminated by signal|was terminated|PANIC|exited with exit code|server process .* exited")

TARGETS_SQL = """
WITH RECURSIVE fn AS (
    SELECT p.oid, n.nspname || '.' || p.proname AS qname, l.lanname,
           CASE WHEN l.lanname IN ('sql', 'plpgsql') THEN pg_get_functiondef(p.oid) ELSE '' END AS def
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname = ANY(%(schemas)s) AND p.prokind = 'f'
       AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
), reach AS (
    SELECT oid, qname FROM fn WHERE lanname = 'plpython3u'
    UNION
    SELECT f.oid, f.qname FROM fn f JOIN reach r ON f.def LIKE '%%' || r.qname || '(%%'
)
SELECT DISTINCT p.oid, p.oid::regprocedure::text AS signature, l.lanname, p.proretset
  FROM reach r JOIN pg_proc p ON p.oid = r.oid JOIN pg_language l ON l.oid = p.prolang
 ORDER BY 2
"""


# --- seeds: real documents to mutate ----------------------------------------------------------

def _seeds():
    docs, texts = [], []
    for path in sorted(VECTORS.glob("*")):
        try:
            doc = json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError):
            texts.append(path.read_bytes()[:2000].decode(errors="replace"))
            continue
        docs.append(doc)
        vm = doc.get("verificationMaterial", {}) if isinstance(doc, dict) else {}
        for entry in vm.get("tlogEntries", []):
            docs.append(entry)
            note = (entry.get("inclusionProof") or {}).get("checkpoint", {}).get("envelope")
            if note:
                texts.append(note)
        if isinstance(doc, dict) and "dsseEnvelope" in doc:
            docs.append(doc["dsseEnvelope"])
    for path in sorted((ROOT / "tests" / "fixtures" / "vex").glob("*.json")):
        docs.append(json.loads(path.read_text()))
    signer = Signer()
    docs.append(signer.envelope())
    texts.append(signer.pem)
    for api in ("v1", "v2"):
        log = LocalRekor(api)
        leaf, _ = log._append(b'{"apiVersion":"0.0.1","kind":"dsse","spec":{}}')
        entry = log._v1_entry(leaf) if api == "v1" else log._v2_entry(leaf)
        docs += [entry, log.trusted_root()]
        texts += [log.checkpoint(), log.public_key_pem]
    texts += [json.dumps(d) for d in docs[:20]]
    return docs, [t.replace("\x00", "") for t in texts]


DOCS, TEXTS = _seeds()
NO_NUL = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
text_any = st.text(NO_NUL, max_size=200)
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                      text_any, st.integers(min_value=10 ** 30, max_value=10 ** 60))
json_any = st.recursive(json_leaf, lambda kids: st.one_of(st.lists(kids, max_size=5),
                                                          st.dictionaries(text_any, kids, max_size=5)), max_leaves=20)


@st.composite
def mutated_doc(draw):
    """A real document with one value somewhere in it replaced (or removed)."""
    doc = json.loads(json.dumps(draw(st.sampled_from(DOCS))))
    node, path = doc, []
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append((node, key))
        node = node[key]
    if not path:
        return doc if draw(st.booleans()) else draw(json_any)
    parent, key = path[-1]
    choice = draw(st.integers(0, 3))
    if choice == 0 and isinstance(parent, dict):
        del parent[key]
    elif choice == 1 and isinstance(node, str) and node:
        i = draw(st.integers(0, len(node) - 1))
        parent[key] = node[:i] + draw(st.text(NO_NUL, min_size=1, max_size=3)) + node[i + 1:]
    else:
        parent[key] = draw(json_any)
    return doc


@st.composite
def mutated_text(draw):
    text = draw(st.sampled_from(TEXTS))
    i = draw(st.integers(0, len(text)))
    j = draw(st.integers(i, min(len(text), i + 8)))
    return text[:i] + draw(st.text(NO_NUL, max_size=4)) + text[j:]


json_value = st.one_of(mutated_doc(), json_any, st.sampled_from(DOCS))
text_value = st.one_of(mutated_text(), st.sampled_from(TEXTS), text_any, json_value.map(json.dumps))


# --- a strategy per SQL type, from the catalog --------------------------------------------------

class Arg:
    """A generated argument: SQL (with placeholders) and its parameters."""
    __slots__ = ("sql", "params")

    def __init__(self, sql_text, params=()):
        self.sql, self.params = sql_text, list(params)


def _scalar(cast, values):
    return values.map(lambda v: Arg(f"%s::{cast}", [v]))


def strategy_for(conn, type_oid, depth=0):
    """Arguments of the type (NULL sometimes), from its catalog entry."""
    name, category, elem, relid = conn.execute(
        """SELECT format_type(t.oid, NULL), t.typcategory, t.typelem, t.typrelid FROM pg_type t WHERE t.oid = %s""",
        (type_oid,)).fetchone()
    null = st.just(Arg(f"NULL::{name}"))
    if category == "A" and elem:
        inner = strategy_for(conn, elem, depth + 1)
        elem_name = conn.execute("SELECT format_type(%s, NULL)", (elem,)).fetchone()[0]
        arrays = st.lists(inner, max_size=6 if depth else 70).map(
            lambda args: Arg(f"ARRAY[{', '.join(a.sql for a in args)}]::{elem_name}[]",
                             [p for a in args for p in a.params]))
        return st.one_of(null, arrays)
    if relid:
        attrs = conn.execute("""SELECT atttypid FROM pg_attribute WHERE attrelid = %s AND attnum > 0
                                 AND NOT attisdropped ORDER BY attnum""", (relid,)).fetchall()
        parts = [strategy_for(conn, a[0], depth + 1) for a in attrs]
        rows = st.tuples(*parts).map(lambda args: Arg(f"ROW({', '.join(a.sql for a in args)})::{name}",
                                                      [p for a in args for p in a.params]))
        return st.one_of(null, rows)
    values = {
        "text": text_value, "character varying": text_value, "name": text_any,
        "jsonb": json_value.map(json.dumps), "json": json_value.map(json.dumps),
        "bytea": st.one_of(st.binary(max_size=300), st.binary(min_size=32, max_size=32),
                           st.sampled_from(TEXTS).map(str.encode)),
        "bigint": st.one_of(st.integers(-3, 300), st.integers(-2 ** 63, 2 ** 63 - 1)),
        "integer": st.one_of(st.integers(-3, 300), st.integers(-2 ** 31, 2 ** 31 - 1)),
        "smallint": st.integers(-2 ** 15, 2 ** 15 - 1),
        "double precision": st.floats(), "real": st.floats(width=32), "numeric": st.decimals(allow_nan=False),
        "boolean": st.booleans(),
        "uuid": st.uuids().map(str),
        "timestamp with time zone": st.one_of(st.sampled_from(["now", "infinity", "-infinity", "epoch"]),
                                              st.datetimes().map(lambda d: d.isoformat() + "Z")),
        "interval": st.sampled_from(["1 second", "5 minutes", "-1 day", "0", "100 years", "1 microsecond"]),
        "regclass": st.sampled_from(["core.tenants", "attestor.rekor_submission_queue", "pg_class"]),
    }.get(name)
    if values is None:  # a type no entry point takes yet: a literal of it, cast from text
        values = text_any
    return st.one_of(null, _scalar(name, values))


# --- the run --------------------------------------------------------------------------------------

def targets(db):
    with psycopg.connect(db) as conn:
        return conn.execute(TARGETS_SQL, {"schemas": SCHEMAS}).fetchall()


def test_every_plpython_entry_point_fails_typed_and_never_crashes(private_pg, record):
    db = private_pg.dsn
    seed = int(os.environ.get("PGATTEST_RESILIENCE_SEED") or random.SystemRandom().randrange(2 ** 32))
    print(f"\n[resilience] fuzz: seed {seed} (PGATTEST_RESILIENCE_SEED={seed} repeats it)")
    tenant = f"fuzz-{secrets.token_hex(4)}"
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("SELECT core.register_tenant(%s, 'fuzzing')", (tenant,))
    found = targets(db)
    python = [t for t in found if t[2] == "plpython3u"]
    assert len(python) >= 20 and len(found) > len(python), f"the catalog query found too little: {found}"
    offset = private_pg.log_offset()
    per_target = BUDGET / len(found)
    calls, outcomes, bad, known_hits = 0, Counter(), [], Counter()
    started = time.monotonic()

    for oid, signature, _lang, retset in found:
        conn = psycopg.connect(db, autocommit=True)
        conn.execute("SET statement_timeout = '10s'")
        with conn.cursor() as cur:
            cur.execute("SELECT proargtypes::oid[] FROM pg_proc WHERE oid = %s", (oid,))
            arg_types = cur.fetchone()[0]
            qualified = cur.execute("""SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname)
                                         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                        WHERE p.oid = %s""", (oid,)).fetchone()[0]
        strategies = [strategy_for(conn, t) for t in arg_types]
        deadline = time.monotonic() + per_target
        state = {"conn": conn}

        def call(args):
            nonlocal calls
            statement = f"SELECT {'* FROM ' if retset else ''}{qualified}({', '.join(a.sql for a in args)})"
            params = [p for a in args for p in a.params]
            calls += 1
            c = state["conn"]
            try:
                c.execute("BEGIN")
                c.execute("SELECT core.set_tenant(%s)", (tenant,))
                cur = c.execute(statement, params)
                if retset:
                    cur.fetchall()
                outcomes["ok"] += 1
            except psycopg.Error as exc:
                code = exc.sqlstate or "none"
                outcomes[code] += 1
                message = str(exc)
                if code == "none" or UNTYPED.match(code):
                    known = KNOWN_DEFECTS.get(signature)
                    if known and code == "XX000" and re.search(known, message):
                        known_hits[signature] += 1
                    else:
                        bad.append((signature, code, message[:300], repr(params)[:300]))
            finally:
                if c.closed or c.broken:  # a crashed backend: the server recovers, the run goes on
                    state["conn"] = c = connect_retrying(db, autocommit=True)
                    c.execute("SET statement_timeout = '10s'")
                else:
                    c.execute("ROLLBACK")

        # Small runs of examples until the target's share of the budget is spent (Hypothesis
        # has no time limit of its own), each run with its own seed derived from the seed.
        chunk = 0
        while chunk == 0 or time.monotonic() < deadline:
            run = settings(max_examples=min(CHUNK, MAX_EXAMPLES), deadline=None, database=None,
                           phases=[Phase.generate], suppress_health_check=list(HealthCheck))(
                given(st.tuples(*strategies))(call))
            hypothesis_seed(seed + chunk)(run)()
            chunk += 1
            if chunk * CHUNK >= MAX_EXAMPLES:
                break
        state["conn"].close()
        with connect_retrying(db) as probe:  # the server still serves after this target
            assert probe.execute("SELECT 1").fetchone() == (1,), f"the server stopped answering after {signature}"
    elapsed = time.monotonic() - started
    crashes = [line for line in private_pg.log_since(offset).splitlines() if CRASH.search(line)]
    typed = sum(n for k, n in outcomes.items() if k != "ok")
    record("fuzz", targets=len(found), plpython=len(python), wrappers=len(found) - len(python), calls=calls,
           ok=outcomes["ok"], typed_errors=typed, sqlstates=len([k for k in outcomes if k != "ok"]),
           untyped=len(bad), known_defect_hits=sum(known_hits.values()), crashes=len(crashes),
           seconds=round(elapsed, 1), seed=seed)
    print("[resilience] fuzz SQLSTATEs: " + ", ".join(f"{k}={v}" for k, v in outcomes.most_common()))
    assert not crashes, crashes[:5]
    assert not bad, "untyped failures:\n" + "\n".join(map(str, bad[:15]))
    assert calls >= len(found) * 5, f"only {calls} calls for {len(found)} targets: the budget is too small to say anything"
