"""Runs every pgTAP file in tests/pgtap with pg_prove against the session database."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest

PGTAP_DIR = Path(__file__).parent / "pgtap"
FILES = sorted(PGTAP_DIR.glob("*.sql"))


def test_there_are_pgtap_files():
    assert len(FILES) >= 2


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_pgtap_file(db, path):
    params = psycopg.conninfo.conninfo_to_dict(db)
    env = dict(os.environ)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                     ("password", "PGPASSWORD"), ("dbname", "PGDATABASE")):
        if key in params:
            env[var] = str(params[key])
    proc = subprocess.run(["pg_prove", "--verbose", "--failures", str(path)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, f"pg_prove {path.name} failed:\n{proc.stdout}\n{proc.stderr}"
    assert "All tests successful" in proc.stdout, proc.stdout
