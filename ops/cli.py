"""./pgattest subcommands (after ops/bootstrap.sh has installed what they need).

    up [--demo|--no-demo]
                   deploy into the target; the demo runs after it only on the embedded
                   cluster (the default there) or with --demo
    demo           run the demo (ops/demo.sql) in the target, which must be deployed
    test [ARGS]    run every test against fresh databases; ARGS go to pytest
    psql [ARGS]    psql into the target database
    status | stop  the embedded cluster
    bench NAME     run bench/NAME.py against a fresh database
    devlog [ARGS]  run the development transparency log (ops/devlog.py; --help lists ARGS);
                   --register registers it in the target (--default: as its default log)
    worker [ARGS]  run the transparency-log worker (worker/rekor_worker.py; --help lists ARGS)
    docs [--check] regenerate docs/schema/ and docs/api/ from a temporary deploy (or check them)
    userlist [--output FILE]
                   PgBouncer's auth_file for the service and worker logins of the target
                   (ops/pooler.py; see ops/pgbouncer/)
    setup          only install (done by ./pgattest itself)

The target is DATABASE_URL, else the server the PG* variables name (PGHOST or
PGDATABASE set), else the embedded cluster's database `pgattest`. The demo writes demo
tenants, trust anchors, a queued envelope and registers Sigstore's staging log as the default
transparency log: on someone else's server that is never done unasked.
"""

import os
import subprocess
import sys

from ops.cluster import (ROOT, EmbeddedCluster, HarnessError, create_database, dsn_with_db, log,
                         sqitch, uri_from_dsn)

EMBEDDED_DB = "pgattest"


def target():
    """(dsn, sqitch target URI, description, embedded?) of where `up` deploys."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, uri_from_dsn(url), "DATABASE_URL", False
    if os.environ.get("PGHOST") or os.environ.get("PGDATABASE"):
        # libpq and sqitch both read the PG* variables themselves.
        return "", "db:pg:", "the server named by the PG* variables", False
    cluster = EmbeddedCluster()
    admin = cluster.ensure()
    import psycopg
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DB,)).fetchone()
    if not exists:
        create_database(admin, EMBEDDED_DB)
    return (dsn_with_db(admin, EMBEDDED_DB), uri_from_dsn(admin, EMBEDDED_DB), f"embedded cluster {cluster.data}",
            True)


def psql_cmd(dsn):
    return ["psql", *( [dsn] if dsn else [] ), "-X", "-v", "ON_ERROR_STOP=1"]


def run_demo(dsn):
    log("running the demo (ops/demo.sql)")
    subprocess.run([*psql_cmd(dsn), "-q", "-f", str(ROOT / "ops" / "demo.sql")], check=True)


def cmd_up(args):
    if "-h" in args or "--help" in args:
        print(__doc__)
        return 0
    unknown = [a for a in args if a not in ("--demo", "--no-demo")]
    if unknown:
        log(f"up takes --demo or --no-demo, not {' '.join(unknown)}")
        return 2
    dsn, uri, where, embedded = target()
    # The demo commits demo tenants and trust anchors and makes Sigstore's staging log the
    # default: fine in the throwaway embedded cluster, never unasked in anyone else's database.
    demo = "--demo" in args or (embedded and "--no-demo" not in args)
    log(f"deploying into {where}")
    out = sqitch(["deploy", "--verify"], uri)
    print(out.stdout.strip())
    if demo:
        run_demo(dsn)
    elif not embedded:
        log("deploy only: the demo writes demo tenants and a default log; ./pgattest demo runs it here")
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


def cmd_demo(args):
    if args:
        log("demo takes no arguments (the target is DATABASE_URL, PG*, or the embedded cluster)")
        return 2
    dsn = target()[0]
    run_demo(dsn)
    return 0


def cmd_userlist(args):
    from ops import pooler
    return pooler.main(target()[0], args)


def cmd_psql(args):
    dsn = target()[0]
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
    """The development log, started the same way everywhere (here, compose, the tests and the
    benchmarks run `python -m ops.devlog`). --register registers it in ./pgattest's target
    (the embedded cluster, DATABASE_URL or PG*): --register-dsn with that database."""
    if "--register" in args:
        args = [a for a in args if a != "--register"] + ["--register-dsn", target()[0] or "postgresql://"]
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


COMMANDS = {"up": cmd_up, "demo": cmd_demo, "userlist": cmd_userlist, "docs": cmd_docs, "test": cmd_test,
            "psql": cmd_psql, "status": cmd_status, "stop": cmd_stop, "bench": cmd_bench, "devlog": cmd_devlog,
            "worker": cmd_worker, "setup": lambda _a: 0}


def main(argv):
    # `./pgattest --demo` is `./pgattest up --demo`.
    name, args = (argv[0], argv[1:]) if argv and not argv[0].startswith("--") else ("up", list(argv))
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
