"""./pgattest subcommands (after ops/bootstrap.sh has installed what they need).

    up (default)   deploy into the target and run the demo
    test [ARGS]    run every test against fresh databases; ARGS go to pytest
    psql [ARGS]    psql into the target database
    status | stop  the embedded cluster
    bench NAME     run bench/NAME.py against a fresh database
    devlog [ARGS]  run the development transparency log (ops/devlog.py; --help lists ARGS)
    worker [ARGS]  run the transparency-log worker (worker/rekor_worker.py; --help lists ARGS)
    docs [--check] regenerate docs/schema/ and docs/api/ from a temporary deploy (or check them)
    setup          only install (done by ./pgattest itself)

The target is DATABASE_URL, else the server the PG* variables name (PGHOST or
PGDATABASE set), else the embedded cluster's database `pgattest`.
"""

import os
import subprocess
import sys

from ops.cluster import (ROOT, EmbeddedCluster, HarnessError, create_database, dsn_with_db, log,
                         sqitch, uri_from_dsn)

EMBEDDED_DB = "pgattest"


def target():
    """(dsn, sqitch target URI, description) of where `up` deploys."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, uri_from_dsn(url), "DATABASE_URL"
    if os.environ.get("PGHOST") or os.environ.get("PGDATABASE"):
        # libpq and sqitch both read the PG* variables themselves.
        return "", "db:pg:", "the server named by the PG* variables"
    cluster = EmbeddedCluster()
    admin = cluster.ensure()
    import psycopg
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DB,)).fetchone()
    if not exists:
        create_database(admin, EMBEDDED_DB)
    return dsn_with_db(admin, EMBEDDED_DB), uri_from_dsn(admin, EMBEDDED_DB), f"embedded cluster {cluster.data}"


def psql_cmd(dsn):
    return ["psql", *( [dsn] if dsn else [] ), "-X", "-v", "ON_ERROR_STOP=1"]


def cmd_up(_args):
    dsn, uri, where = target()
    log(f"deploying into {where}")
    out = sqitch(["deploy", "--verify"], uri)
    print(out.stdout.strip())
    log("running the demo (ops/demo.sql)")
    subprocess.run([*psql_cmd(dsn), "-q", "-f", str(ROOT / "ops" / "demo.sql")], check=True)
    print()
    print(f"pgattest is deployed in {where}.")
    if dsn:
        print(f"  connect:  psql \"{dsn}\"      (or ./pgattest psql)")
        print(f"  sqitch:   sqitch status --target {uri}")
    return 0


def cmd_test(args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *(args or ["tests"])]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def cmd_psql(args):
    dsn, _, _ = target()
    return subprocess.run([*psql_cmd(dsn), *args]).returncode


def cmd_status(_args):
    cluster = EmbeddedCluster()
    state = "running" if cluster.is_running() else "stopped"
    print(f"embedded cluster: {cluster.data} ({state}), port {cluster.port}, sockets {cluster.sockets}")
    print(f"  connect: psql \"{dsn_with_db(cluster.admin_dsn, EMBEDDED_DB)}\"")
    return 0


def cmd_stop(_args):
    EmbeddedCluster().stop()
    return 0


def cmd_bench(args):
    if not args:
        names = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if not p.stem.startswith("_"))
        print("usage: ./pgattest bench NAME [ARGS]; NAME is one of: " + ", ".join(names))
        return 2
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(ROOT / "bench" / f"{args[0]}.py"), *args[1:]],
                          cwd=ROOT, env=env).returncode


def _module(name, args):
    """Run `python -m name args` from the repository, in the foreground (signals reach it)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", name, *args], cwd=ROOT, env=env).returncode


def cmd_devlog(args):
    """The development log, started the same way everywhere (here, the demo, the benchmarks)."""
    return _module("ops.devlog", args)


def cmd_worker(args):
    return _module("worker.rekor_worker", args)


def cmd_docs(args):
    """Deploy the plan into a temporary database (the tests' server) and regenerate, or
    with --check only compare, the schema and API references."""
    from ops import gen_api_docs, gen_schema_ref
    check = "--check" in args
    with gen_schema_ref.deployed_database() as dsn:
        rendered = [(gen_schema_ref.render_all(dsn), gen_schema_ref.TARGET),
                    (gen_api_docs.render_all(dsn), gen_api_docs.TARGET)]
    return max(gen_schema_ref.write_or_check(files, target, check, "./pgattest docs")
               for files, target in rendered)


COMMANDS = {"up": cmd_up, "docs": cmd_docs, "test": cmd_test, "psql": cmd_psql, "status": cmd_status,
            "stop": cmd_stop, "bench": cmd_bench, "devlog": cmd_devlog, "worker": cmd_worker,
            "setup": lambda _a: 0}


def main(argv):
    name, args = (argv[0], argv[1:]) if argv else ("up", [])
    if name not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return COMMANDS[name](args)
    except HarnessError as exc:
        log(str(exc))
        return 1
    except subprocess.CalledProcessError as exc:
        log(f"failed: {' '.join(map(str, exc.cmd))} (exit {exc.returncode})")
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
