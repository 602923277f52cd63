"""What every benchmark needs: a fresh deployed database and the library on sys.path."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plpython"))

from ops import cluster  # noqa: E402

__all__ = ["ROOT", "cluster", "fresh_deployed_database", "machine"]


def fresh_deployed_database(prefix):
    """(admin_dsn, dbname, dsn) of a new database with the plan deployed; drop it when done."""
    admin, where, _cleanup = cluster.test_server()
    print(f"server: {where}")
    name, dsn = cluster.fresh_database(admin, prefix=prefix)
    return admin, name, dsn


def machine():
    import os
    import platform
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
