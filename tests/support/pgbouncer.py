"""A real PgBouncer for the tests: the Debian binary on a loopback port, from a shipped
configuration (ops/pgbouncer/) or from settings of the test's own.

    settings = shipped("production", db, pool_size=3, auth_file=path)   # ops/pgbouncer/pgbouncer.production.ini
    with PgBouncer(settings) as bouncer:
        psycopg.connect(bouncer.dsn("svc", "secret", sslmode="require"), prepare_threshold=None)

`shipped` keeps every setting of the file but what cannot hold on a test machine: the
listen address and port, [databases] (the test database, with the pool size the test
asks for), the file paths (log, pid, auth file, client TLS key and certificate, made here
as a self-signed pair) and server-side TLS (the test server speaks none). PgBouncer
refuses to run as root: as root it runs as the `pgattest` system user (created when
missing, as ops/cluster.py does for the embedded cluster).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ops import cluster

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "ops" / "pgbouncer"
BINARY = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def available():
    return Path(BINARY).exists()


def version():
    out = subprocess.run([BINARY, "--version"], capture_output=True, text=True).stdout
    return tuple(int(x) for x in out.split()[1].split(".")[:2])


def read_ini(path):
    """{section: {key: value}} of a PgBouncer ini file, in file order (';' and '#' comments)."""
    sections, current = {}, None
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"{path}: not a setting: {raw!r}"
        key, value = (part.strip() for part in line.split("=", 1))
        assert key not in current, f"{path}: {key} set twice"
        current[key] = value
    return sections


def render_ini(sections):
    return "".join(f"[{name}]\n" + "".join(f"{k} = {v}\n" for k, v in items.items()) + "\n"
                   for name, items in sections.items())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _runner():
    """The OS user PgBouncer runs as: the pgattest system user when we are root."""
    if os.geteuid() != 0:
        return None
    cluster.EmbeddedCluster._ensure_os_user(None)  # creates it when missing; uses no instance state
    return cluster.CLUSTER_USER


def self_signed(folder):
    """A throwaway key and certificate for localhost (PgBouncer's client-side TLS)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    key_file, cert_file = Path(folder) / "tls.key", Path(folder) / "tls.crt"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def shipped(name, backend_dsn, pool_size, auth_file=None, **overrides):
    """The settings of ops/pgbouncer/pgbouncer.<name>.ini, adapted to run here in front of
    backend_dsn's database with pool_size server connections per login; overrides
    ({"pool_mode": "session"}) replace settings of [pgbouncer] (None removes one)."""
    sections = read_ini(CONFIGS / f"pgbouncer.{name}.ini")
    settings = dict(sections["pgbouncer"])
    for key, value in overrides.items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    params = conninfo_to_dict(backend_dsn)
    backend = " ".join(f"{k}={params[k]}" for k in ("host", "port", "dbname") if k in params)
    if auth_file is not None:
        settings["auth_file"] = str(auth_file)
    # The test server speaks no TLS: the server leg is plain (the client leg stays as shipped).
    for key in [k for k in settings if k.startswith("server_tls_")]:
        del settings[key]
    return {"databases": {"pgattest": f"{backend} pool_size={pool_size}"}, "pgbouncer": settings}


class PgBouncer:
    """A pgbouncer process with the given settings ({section: {key: value}}) on a free
    loopback port; files (log, pid, TLS pair, a copy of the auth file) in its own folder."""

    def __init__(self, sections):
        self.folder = Path(tempfile.mkdtemp(prefix="pgattest-bouncer-", dir="/var/tmp"))
        self.folder.chmod(0o755)
        self.port = free_port()
        self.user = _runner()
        sections = {name: dict(items) for name, items in sections.items()}
        bouncer = sections["pgbouncer"]
        bouncer.update(listen_addr="127.0.0.1", listen_port=str(self.port), unix_socket_dir="",
                       logfile=str(self.folder / "pgbouncer.log"), pidfile=str(self.folder / "pgbouncer.pid"))
        if bouncer.get("auth_file"):
            copy = self.folder / "userlist.txt"
            shutil.copyfile(bouncer["auth_file"], copy)
            copy.chmod(0o600)
            bouncer["auth_file"] = str(copy)
        if bouncer.get("client_tls_sslmode", "disable") != "disable":
            key, cert = self_signed(self.folder)
            bouncer.update(client_tls_key_file=str(key), client_tls_cert_file=str(cert))
        self.sections = sections
        self.ini = self.folder / "pgbouncer.ini"
        self.ini.write_text(render_ini(sections))
        if self.user:
            for path in [self.folder, *self.folder.iterdir()]:
                shutil.chown(path, self.user, self.user)
        self.proc = None

    def start(self, wait=20):
        # -u: PgBouncer itself drops to the user (no runuser in between), so that kill()
        # reaches the pooler, as a crash would.
        cmd = [BINARY, *(["-u", self.user] if self.user else []), str(self.ini)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + wait
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pgbouncer exited ({self.proc.returncode}): {self.output()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"pgbouncer did not listen within {wait} s: {self.output()}")

    def output(self):
        log = self.folder / "pgbouncer.log"
        text = log.read_text() if log.exists() else ""
        if self.proc is not None and self.proc.poll() is not None and self.proc.stdout:
            text += self.proc.stdout.read().decode(errors="replace")
        return text[-4000:]

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def dsn(self, user, password=None, dbname="pgattest", **params):
        return make_conninfo(host="127.0.0.1", port=self.port, dbname=dbname, user=user,
                             **({"password": password} if password is not None else {}), **params)

    def connect(self, user, password=None, autocommit=False, **params):
        """A connection through the pooler, as clients must make it (no prepared statements)."""
        return psycopg.connect(self.dsn(user, password, **params), prepare_threshold=None, autocommit=autocommit)

    def close(self):
        """Stop it and remove its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
