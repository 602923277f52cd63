"""Table contents as comparable fingerprints, for tests that must prove nothing was lost
(a revert and a deploy, a restore): one place for "every table of the module schemas" and
for how rows are compared (md5 of the rows' text in a stable order)."""

import psycopg
from psycopg import sql

MODULE_SCHEMAS = ("core", "attestor", "proofchain", "vex", "vexhub", "verdict", "trustverdict", "watchlist",
                  "unknowns", "triage", "audit", "health", "_pgattest")


def table_columns(dsn):
    """{table: [column, ...] in order} of every table (and partition) of the module schemas."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            """SELECT c.oid::regclass::text, a.attname
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(%s)
                ORDER BY 1, a.attnum""", (list(MODULE_SCHEMAS),)).fetchall()
    out = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def table_contents(dsn, columns=None):
    """{table: (rows, md5 of its rows in a stable order)} for every table of the module schemas.

    columns ({table: [column, ...]}) compares only those columns of a table (those two
    databases share, say); a table it leaves out is compared whole (row as text)."""
    columns = columns or {}
    out = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in sorted(table_columns(dsn)):
            cols = columns.get(table)
            row = (sql.SQL("t::text") if cols is None else
                   sql.SQL("ROW({})::text").format(sql.SQL(", ").join(sql.Identifier(c) for c in cols)))
            out[table] = conn.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg({row}, E'\\n' ORDER BY {row}), '')) FROM {table} t").format(
                row=row, table=sql.SQL(table))).fetchone()
    return out


def partitions(dsn):
    """{partition: its partitioned table} (a partition belongs to its parent's change)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return dict(conn.execute("SELECT inhrelid::regclass::text, inhparent::regclass::text FROM pg_inherits").fetchall())


def table_rows(dsn):
    """{table: [row as a dict of JSON values]} of every table of the module schemas, for
    comparisons on columns chosen later (the columns two states of a schema share)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return {table: [r[0] for r in conn.execute(sql.SQL("SELECT to_jsonb(t) FROM {} t").format(sql.SQL(table)))]
                for table in sorted(table_columns(dsn))}


def fingerprint(rows, columns=None):
    """(rows, md5) of rows (dicts) restricted to columns (all when None), order-independent."""
    import hashlib
    import json
    lines = sorted(json.dumps(r if columns is None else {c: r.get(c) for c in columns}, sort_keys=True) for r in rows)
    return len(lines), hashlib.md5("\n".join(lines).encode()).hexdigest()
