"""Where pgattest's databases live: the embedded cluster, other servers, fresh databases.

Used by the ./pgattest command and by the test suite, so that "which server, which
database, deployed how" has one answer.

The embedded default is a throwaway PostgreSQL 15 cluster under the project folder
(.pgattest/), on its own port (55432, or PGATTEST_PORT) and socket directory, bound
to 127.0.0.1 with trust authentication. initdb refuses to run as root, so when run as
root the cluster belongs to a dedicated system user, `pgattest`.
"""

import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path(os.environ.get("PGATTEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
CLUSTER_USER = "pgattest"
DEFAULT_PORT = 55432
# Settings of a throwaway cluster: durable enough for the demo and tests, fast on CI.
CLUSTER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "200",
    "shared_buffers": "'256MB'",
    "fsync": "off",
    "full_page_writes": "off",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
}


class HarnessError(RuntimeError):
    """Raised when no usable database server can be found or started."""


def log(msg):
    print(f"[pgattest] {msg}", file=sys.stderr, flush=True)


def run(cmd, check=True, capture=True, user=None, **kw):
    """Run a command (as `user` when given and we are root); raise with its output on failure."""
    if user and os.geteuid() == 0:
        cmd = ["runuser", "-u", user, "--", *map(str, cmd)]
    proc = subprocess.run([str(c) for c in cmd], text=True, capture_output=capture, **kw)
    if check and proc.returncode != 0:
        out = (proc.stdout or "") + (proc.stderr or "")
        raise HarnessError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{out}")
    return proc


class EmbeddedCluster:
    """The project's own local cluster. `ensure()` creates and starts it when needed."""

    def __init__(self, root=ROOT, port=None):
        self.explicit_port = port or os.environ.get("PGATTEST_PORT")
        self.user = CLUSTER_USER if os.geteuid() == 0 else None
        self.base = self._base_dir(Path(root))
        self.data = self.base / "data"
        self.sockets = self.base / "run"
        self.logfile = self.base / "server.log"
        self.port = int(self.explicit_port or self._configured_port() or DEFAULT_PORT)

    def _configured_port(self):
        """The port this cluster was set up with (the last `port =` line pgattest wrote)."""
        conf = self.data / "postgresql.conf"
        if not conf.exists():
            return None
        ports = [line.split("=", 1)[1].strip() for line in conf.read_text().splitlines()
                 if line.startswith("port = ")]
        return int(ports[-1]) if ports else None

    def _choose_port(self):
        """The explicit port, else the first free one from 55432 up (another checkout's
        cluster may hold the default)."""
        if self.explicit_port:
            return int(self.explicit_port)
        return next(p for p in range(DEFAULT_PORT, DEFAULT_PORT + 100) if not _port_in_use(p))

    def _base_dir(self, root):
        base = root / ".pgattest"
        if self.user is None:
            return base
        self._ensure_os_user()
        # The server process runs as the cluster user, so every folder above its data
        # must be traversable by it; a clone under `mktemp -d` (mode 0700) is not.
        if run(["test", "-x", str(root)], check=False, user=self.user).returncode == 0:
            return base
        digest = hashlib.sha256(str(root).encode()).hexdigest()[:12]
        fallback = Path("/var/tmp") / f"pgattest-{digest}"
        log(f"{root} is not readable by OS user {self.user}; the cluster lives in {fallback}")
        return fallback

    def _ensure_os_user(self):
        try:
            pwd.getpwnam(CLUSTER_USER)
        except KeyError:
            log(f"creating system user {CLUSTER_USER} to own the embedded cluster")
            run(["useradd", "--system", "--user-group", "--no-create-home",
                 "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", CLUSTER_USER])

    @property
    def admin_dsn(self):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def is_running(self):
        if not (self.data / "PG_VERSION").exists():
            return False
        return run([PG_BIN / "pg_ctl", "-D", self.data, "status"], check=False, user=self.user).returncode == 0

    def ensure(self):
        """Create and start the cluster unless it is already running; return its admin DSN."""
        if self.is_running():
            return self.admin_dsn
        if not (PG_BIN / "initdb").exists():
            raise HarnessError(f"PostgreSQL 15 binaries not found in {PG_BIN}: run ./pgattest setup first")
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        if _port_in_use(self.port):
            if self.explicit_port:
                raise HarnessError(f"port {self.port} is taken by another server; choose another PGATTEST_PORT")
            self.port = self._choose_port()
            with open(self.data / "postgresql.conf", "a") as fh:
                fh.write(f"port = {self.port}\n")
        log(f"starting embedded cluster in {self.data} on port {self.port}")
        run([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.logfile, "-w", "-t", "60", "start"],
            user=self.user)
        return self.admin_dsn

    def _initdb(self):
        log(f"creating embedded cluster in {self.data}")
        for d in (self.base, self.sockets):
            d.mkdir(parents=True, exist_ok=True)
        if self.user:
            shutil.chown(self.base, self.user, self.user)
            shutil.chown(self.sockets, self.user, self.user)
        run([PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-E", "UTF8", "--locale=C",
             "--auth-local=trust", "--auth-host=trust"], user=self.user)
        self.port = self._choose_port()
        settings = dict(CLUSTER_SETTINGS, port=str(self.port),
                        unix_socket_directories=f"'{self.sockets}'")
        conf = "".join(f"{k} = {v}\n" for k, v in settings.items())
        with open(self.data / "postgresql.conf", "a") as fh:
            fh.write("\n# pgattest embedded cluster\n" + conf)

    def stop(self):
        if self.is_running():
            run([PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"], user=self.user)


def _port_in_use(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def uri_from_dsn(dsn, dbname=None):
    """A sqitch target URI (db:pg://...) for a libpq keyword DSN or a postgres:// URL."""
    if dsn.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(dsn)
        path = "/" + quote(dbname) if dbname else parts.path
        return "db:pg://" + parts.netloc + path + (("?" + parts.query) if parts.query else "")
    params = dict(kv.split("=", 1) for kv in dsn.split())
    if dbname:
        params["dbname"] = dbname
    user = quote(params.pop("user", ""))
    password = params.pop("password", None)
    auth = (user + (":" + quote(password) if password else "") + "@") if user else ""
    host = params.pop("host", "")
    port = params.pop("port", "")
    db = quote(params.pop("dbname", ""))
    query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return f"db:pg://{auth}{host}{':' + port if port else ''}/{db}" + (f"?{query}" if query else "")


def dsn_with_db(dsn, dbname):
    """The same server DSN pointed at another database."""
    if dsn.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(dsn)
        return parts._replace(path="/" + quote(dbname)).geturl()
    params = dict(kv.split("=", 1) for kv in dsn.split())
    params["dbname"] = dbname
    return " ".join(f"{k}={v}" for k, v in params.items())


def sqitch(args, target_uri=None, check=True):
    """Run sqitch in the project root (against a target URI when given)."""
    env = dict(os.environ, SQITCH_FULLNAME=os.environ.get("SQITCH_FULLNAME", "pgattest"),
               SQITCH_EMAIL=os.environ.get("SQITCH_EMAIL", "pgattest@localhost"))
    target = ["--target", target_uri] if target_uri else []
    return run(["sqitch", *args, *target], check=check, cwd=ROOT, env=env)


def create_database(admin_dsn, dbname, template=None):
    """Create dbname (a copy of the database template when given) and return its DSN."""
    import psycopg
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"' + (f' TEMPLATE "{template}"' if template else ""))
    return dsn_with_db(admin_dsn, dbname)


def drop_database(admin_dsn, dbname):
    import psycopg
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def fresh_database(admin_dsn, prefix="pgattest_test", deploy=True, to=None, template=None):
    """Create a new, uniquely named database on the server; deploy the plan into it.

    template: the name of a database that holds a whole deploy of this same plan (and
    nothing else, and no connection): the new database is a copy of it, which takes a
    second where a deploy takes a minute. Only for a whole deploy (deploy and no `to`).
    The copy has the sqitch registry too, so sqitch reverts and deploys it as usual."""
    dbname = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    if template and deploy and to is None:
        return dbname, create_database(admin_dsn, dbname, template=template)
    dsn = create_database(admin_dsn, dbname)
    if deploy:
        sqitch(["deploy", "--verify", *(["--to", to] if to else [])], uri_from_dsn(admin_dsn, dbname))
    return dbname, dsn


def test_server():
    """The server tests run against, in the documented order of preference.

    1. PGATTEST_TEST_DSN (a superuser DSN to any PostgreSQL 15 with PL/Python and pgTAP);
    2. the embedded cluster, started here (as a non-root user when run as root);
    3. a testcontainers PostgreSQL, if a Docker engine answers;
    4. otherwise a clear error.
    Returns (admin_dsn, description, cleanup callable).
    """
    dsn = os.environ.get("PGATTEST_TEST_DSN")
    if dsn:
        return dsn, "PGATTEST_TEST_DSN", lambda: None
    errors = []
    if (PG_BIN / "initdb").exists():
        try:
            cluster = EmbeddedCluster()
            return cluster.ensure(), f"embedded cluster {cluster.data} (port {cluster.port})", lambda: None
        except HarnessError as exc:
            errors.append(f"embedded cluster: {exc}")
    else:
        errors.append(f"embedded cluster: no PostgreSQL 15 binaries in {PG_BIN}")
    try:
        return _testcontainers_server()
    except HarnessError as exc:
        errors.append(f"testcontainers: {exc}")
    raise HarnessError("no database server for the tests:\n  " + "\n  ".join(errors) +
                       "\nRun ./pgattest setup (installs PostgreSQL 15), or set PGATTEST_TEST_DSN.")


def _testcontainers_server():
    try:
        import docker  # noqa: F401  (part of testcontainers' dependencies)
        from testcontainers.postgres import PostgresContainer
    except ImportError as exc:
        raise HarnessError(f"testcontainers is not installed ({exc})") from None
    try:
        docker.from_env().ping()
    except Exception as exc:  # any failure to reach the engine means "no Docker here"
        raise HarnessError(f"no Docker engine answers ({type(exc).__name__})") from None
    image_dir = ROOT / "ops" / "image"
    from testcontainers.core.image import DockerImage
    image = DockerImage(path=str(image_dir), tag="pgattest-postgres:15").build()
    container = PostgresContainer(str(image), username="postgres", password="postgres", dbname="postgres")
    container.start()
    host, port = container.get_container_host_ip(), container.get_exposed_port(5432)
    dsn = f"host={host} port={port} user=postgres password=postgres dbname=postgres"
    return dsn, f"testcontainers {image}", container.stop
