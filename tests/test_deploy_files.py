"""Issue 20: compose.yaml and the images, checked where no Docker engine runs: the file
parses, everything it references exists, the images install what ./pgattest setup installs,
and each service runs the command the README documents. (The PgBouncer configuration it
uses is run for real in tests/test_pgbouncer.py; its migration script in
tests/test_existing_server.py.)"""

import os
import re
import shlex
from pathlib import Path

import pytest

from tests.support import pgbouncer
from tests.support.deploy_files import IMAGES, ROOT, bootstrap_list, compose, dockerfile_packages, dockerfile_pip

SERVICES = {"postgres", "migrate", "pgbouncer", "devlog", "worker"}
# Packages of the setup that the database image does not install, and why (ops/image/Dockerfile).
NOT_IN_SERVER_IMAGE = {
    "postgresql-15": "the base image's own",
    "postgresql-contrib": "part of postgresql-15; PGDG's metapackage would pull the newest major",
    "python3-venv": "the application image builds the virtualenv",
}


def service_command(service):
    """What a service runs: its entrypoint and command, as one shell line."""
    words = list(service.get("entrypoint") or ["./pgattest"]) + list(service.get("command") or [])
    return shlex.join(words)


def readme():
    return (ROOT / "README.md").read_text()


def check_compose(doc):
    services = doc["services"]
    assert set(services) == SERVICES
    # Every build context, Dockerfile and file a service runs exists.
    for name, svc in services.items():
        build = svc.get("build")
        if build:
            context = ROOT / (build if isinstance(build, str) else build["context"])
            assert context.is_dir(), f"{name}: no build context {context}"
            dockerfile = context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
            assert dockerfile.is_file(), f"{name}: no {dockerfile}"
        for word in list(svc.get("entrypoint") or []) + list(svc.get("command") or []):
            if re.match(r"^(ops|worker|bench)/", word):
                assert (ROOT / word).exists(), f"{name} runs {word}, which does not exist"
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            assert source in (doc.get("volumes") or {}) or (ROOT / source).exists(), f"{name}: volume {source}"
    # Healthy means the server answers on TCP (not the entrypoint's socket-only first start).
    health = services["postgres"]["healthcheck"]["test"]
    assert "pg_isready" in health and "-h" in health
    # The migration waits for health; the pooler and the log for the migration.
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("pgbouncer", "devlog"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    script = ROOT / services["migrate"]["entrypoint"][0]
    assert os.access(script, os.X_OK), f"{script} is not executable"
    migrate = script.read_text()
    assert re.search(r"^sqitch deploy --verify ", migrate, re.M), "the migration deploys with verify"
    # PgBouncer: transaction pooling, in front of the postgres service, its auth file where the
    # migration writes it (a volume both mount).
    ini_path = next(w for w in services["pgbouncer"]["entrypoint"] if w.endswith(".ini"))
    ini = pgbouncer.read_ini(ROOT / ini_path)
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert "host=postgres port=5432" in ini["databases"]["pgattest"]
    auth_dir = str(Path(ini["pgbouncer"]["auth_file"]).parent)
    assert re.search(r'PGATTEST_USERLIST:-' + re.escape(ini["pgbouncer"]["auth_file"]), migrate)
    for name in ("migrate", "pgbouncer"):
        assert any(v.split(":")[1] == auth_dir for v in services[name]["volumes"]), f"{name} lacks {auth_dir}"
    # The worker claims through the pooler and LISTENs on PostgreSQL directly, as its login.
    worker = services["worker"]["command"]
    dsn, listen = worker[worker.index("--dsn") + 1], worker[worker.index("--listen-dsn") + 1]
    login = doc["x-app"]["environment"]["PGATTEST_WORKER_LOGIN"]
    assert dsn == f"postgresql://{login}@pgbouncer:{ini['pgbouncer']['listen_port']}/pgattest"
    assert listen == f"postgresql://{login}@postgres:5432/pgattest"
    # The development log registers itself in the database, as the default log.
    assert services["devlog"]["command"][0] == "devlog" and "--register" in services["devlog"]["command"]
    # Each service runs what the README documents.
    text = readme()
    for name, svc in services.items():
        if name != "postgres":
            assert service_command(svc) in text, f"the README does not document {name}: {service_command(svc)}"


def test_compose_brings_up_every_service_with_documented_commands():
    check_compose(compose())


def test_the_compose_check_rejects_a_broken_file():
    import copy
    doc = compose()
    for breakage in (
        lambda d: d["services"]["postgres"]["healthcheck"].update(test=["CMD", "pg_isready", "-U", "postgres"]),
        lambda d: d["services"]["pgbouncer"].update(entrypoint=["pgbouncer", "ops/pgbouncer/missing.ini"]),
        lambda d: d["services"].pop("devlog"),
        lambda d: d["services"]["worker"]["command"].__setitem__(2, "postgresql://compose_worker@postgres:5432/pgattest"),
        lambda d: d["services"]["migrate"].update(build={"context": "ops/nowhere"}),
    ):
        broken = copy.deepcopy(doc)
        breakage(broken)
        with pytest.raises((AssertionError, FileNotFoundError, KeyError)):
            check_compose(broken)


def test_the_database_image_installs_the_setup_scripts_packages():
    dockerfile = (IMAGES / "Dockerfile").read_text()
    assert dockerfile.split("FROM ", 1)[1].startswith("postgres:15-bookworm")
    setup = set(bootstrap_list("PGATTEST_DEBS"))
    assert dockerfile_packages(dockerfile) == setup - set(NOT_IN_SERVER_IMAGE), \
        "ops/image/Dockerfile and ops/bootstrap.sh install different packages"
    assert dockerfile_pip(dockerfile) == set(bootstrap_list("PGATTEST_SERVER_PIP"))
    assert "COPY" not in dockerfile, "its build context is ops/image (testcontainers builds it there)"


def test_the_application_image_runs_the_setup_script():
    dockerfile = (IMAGES / "app.Dockerfile").read_text()
    assert "source ops/bootstrap.sh; pgattest_bootstrap" in dockerfile
    copied = [line.split()[1:-1] for line in dockerfile.splitlines() if line.startswith("COPY ")]
    for sources in copied:
        for source in sources:
            assert (ROOT / source).exists(), f"app.Dockerfile copies {source}, which does not exist"
    assert ".venv" in (ROOT / ".dockerignore").read_text().split()
    assert 'ENTRYPOINT ["./pgattest"]' in dockerfile


def test_dockerfile_readers_see_what_is_installed():
    text = "RUN apt-get update \\\n && apt-get install -y --no-install-recommends a b \\\n && apt-get purge -y b\n" \
           "RUN pip3 install --target /x rfc8785==0.1.4"
    assert dockerfile_packages(text) == {"a"}
    assert dockerfile_pip(text) == {"rfc8785==0.1.4"}
