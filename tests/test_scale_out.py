"""Issue 21: readiness to distribute the schema by tenant_id with Citus.

Citus is not installable here, so what would make create_distributed_table refuse, or
make cross-shard queries necessary, is checked in the catalog instead:
- every tenant table's primary key and unique constraints include tenant_id (they must
  contain the distribution column);
- every foreign key between tenant tables includes tenant_id on both sides, in the same
  position (co-located tables, so the key is checked on one shard), and every other
  foreign key of a tenant table points to a global table (which becomes a reference table);
- a global table's foreign keys point only to global tables (reference tables cannot
  reference distributed ones);
- docs/scale-out.md distributes exactly the tenant tables and makes exactly the global
  tables reference tables, each table listed after the tables it references.
"""

import re
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ("core", "attestor", "proofchain", "vex", "vexhub", "verdict", "trustverdict", "watchlist", "unknowns",
           "triage", "audit", "health", "_pgattest")


def tables(dsn):
    """{table: is_tenant_table} for every table (not partition) of the module schemas; a
    tenant table is one with the tenant_isolation policy (_pgattest.enable_tenancy)."""
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute("""
            SELECT c.oid::regclass::text,
                   EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY (%s) AND c.relkind IN ('r', 'p') AND NOT c.relispartition""",
            (list(SCHEMAS),)).fetchall())


def foreign_keys(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute("""
            SELECT k.conname, k.conrelid::regclass::text, k.confrelid::regclass::text,
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
                           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
                   ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
                           JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)
              FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
             WHERE k.contype = 'f' AND n.nspname = ANY (%s)""", (list(SCHEMAS),)).fetchall()


def test_keys_include_the_distribution_column(db):
    kinds = tables(db)
    with psycopg.connect(db) as conn:
        bad = conn.execute("""
            SELECT i.indexrelid::regclass::text FROM pg_index i
             WHERE i.indrelid = ANY (%s::regclass[]) AND (i.indisunique OR i.indisprimary)
               AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = 'tenant_id'
                                  AND a.attnum = ANY (i.indkey))""",
            ([t for t, tenant in kinds.items() if tenant],)).fetchall()
    assert not bad, f"unique keys of tenant tables without tenant_id (Citus refuses them): {bad}"


def test_foreign_keys_stay_on_one_shard_or_reach_a_reference_table(db):
    kinds = tables(db)
    problems = []
    for name, child, parent, cols, refcols in foreign_keys(db):
        if kinds.get(child) and kinds.get(parent):
            same_shard = "tenant_id" in cols and "tenant_id" in refcols and \
                cols.index("tenant_id") == refcols.index("tenant_id")
            if not same_shard:
                problems.append(f"{child}.{name}: between tenant tables without tenant_id on both sides")
        elif not kinds.get(child) and kinds.get(parent):
            problems.append(f"{child}.{name}: a global (reference) table references tenant table {parent}")
    assert not problems, problems


def doc_calls():
    text = (ROOT / "docs" / "scale-out.md").read_text()
    calls = re.findall(r"SELECT (create_reference_table|create_distributed_table)\('([a-z_]+\.[a-z_]+)'", text)
    return calls


def test_scale_out_guide_names_every_table_in_a_valid_order(db):
    kinds = tables(db)
    calls = doc_calls()
    reference = [t for kind, t in calls if kind == "create_reference_table"]
    distributed = [t for kind, t in calls if kind == "create_distributed_table"]
    assert sorted(reference) == sorted(t for t, tenant in kinds.items() if not tenant), \
        "docs/scale-out.md must make exactly the global tables reference tables"
    assert sorted(distributed) == sorted(t for t, tenant in kinds.items() if tenant), \
        "docs/scale-out.md must distribute exactly the tenant tables"
    order = {t: i for i, (_, t) in enumerate(calls)}
    late = [f"{child} before {parent}" for _, child, parent, _, _ in foreign_keys(db)
            if child != parent and child in order and parent in order and order[parent] > order[child]]
    assert not late, f"a table must be distributed after the tables it references: {late}"


@pytest.mark.parametrize("broken", ["tenant key", "cross-shard key"])
def test_the_checks_catch_a_table_that_would_not_distribute(fresh_db, broken):
    """The checks above fail on a planted table that breaks each rule."""
    _, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET ROLE pgattest_owner")
        if broken == "tenant key":
            conn.execute("""CREATE TABLE vex.planted (id uuid NOT NULL, tenant_id text NOT NULL REFERENCES core.tenants,
                            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
                            PRIMARY KEY (tenant_id, id), code text)""")
            conn.execute("SELECT _pgattest.enable_tenancy('vex.planted')")
            conn.execute("CREATE UNIQUE INDEX planted_code ON vex.planted (code)")
            with pytest.raises(AssertionError, match="without tenant_id"):
                test_keys_include_the_distribution_column(dsn)
        else:
            conn.execute("""CREATE TABLE vex.planted (id uuid NOT NULL, tenant_id text NOT NULL REFERENCES core.tenants,
                            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
                            observation_id uuid, PRIMARY KEY (tenant_id, id))""")
            conn.execute("SELECT _pgattest.enable_tenancy('vex.planted')")
            conn.execute("CREATE UNIQUE INDEX observations_by_id ON vex.observations (id, tenant_id)")
            conn.execute("ALTER TABLE vex.planted ADD FOREIGN KEY (observation_id, tenant_id) "
                         "REFERENCES vex.observations (id, tenant_id)")
            test_foreign_keys_stay_on_one_shard_or_reach_a_reference_table(dsn)  # tenant_id on both sides, same place
            conn.execute("ALTER TABLE vex.planted ADD COLUMN other_tenant text")
            conn.execute("ALTER TABLE vex.planted ADD FOREIGN KEY (observation_id, other_tenant) "
                         "REFERENCES vex.observations (id, tenant_id)")
            with pytest.raises(AssertionError, match="without tenant_id on both sides"):
                test_foreign_keys_stay_on_one_shard_or_reach_a_reference_table(dsn)
