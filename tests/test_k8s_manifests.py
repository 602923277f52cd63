"""Issue 20: the CloudNativePG manifests (ops/k8s/) against the operator's CRD schemas
(../shared/k8s/cloudnative-pg/, their openAPIV3Schema, with jsonschema), and the fields
that matter to pgattest: transaction pooling, the parameters and their sums, the image and
its extensions, the migration, the monitoring ConfigMap (generated from
ops/monitoring/queries.yaml). Each check is also run once on a broken copy, which it must
reject. No cluster runs here: nothing is applied."""

import copy
import functools
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import pgbouncer
from tests.support.deploy_files import bootstrap_list, dockerfile_packages, dockerfile_pip

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (requirements-test.txt) is not installed")

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "ops" / "k8s"
CRDS = ROOT.parent / "shared" / "k8s" / "cloudnative-pg"
ENVIRONMENTS = ("production", "staging")
# Per Cluster: the connections that must bypass the pooler (superuser_reserved_connections,
# replication, one LISTEN session per worker, the exporter, operators).
DIRECT_HEADROOM = 20


def strict(schema):
    """The CRD schema as the API server applies it with strict field validation (kubectl's
    default): an object with declared properties accepts no other field."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if ("properties" in node and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema)
    return schema


def crd_validator(kind):
    path = CRDS / f"postgresql.cnpg.io_{kind.lower()}s.yaml"
    if not path.exists():
        pytest.skip(f"{path} is missing (../shared)")
    return _validator(path)


@functools.lru_cache(maxsize=None)
def _validator(path):
    crd = yaml.safe_load(path.read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    return jsonschema.Draft7Validator(strict(version["schema"]["openAPIV3Schema"]))


def documents(env):
    """{kind: [document]} of every manifest of an environment (its kustomization's resources)."""
    kustomization = yaml.safe_load((K8S / env / "kustomization.yaml").read_text())
    found = {}
    for resource in kustomization["resources"]:
        path = (K8S / env / resource).resolve()
        if path.is_dir():
            sub = yaml.safe_load((path / "kustomization.yaml").read_text())
            files = [path / r for r in sub["resources"]]
        else:
            files = [path]
        for file in files:
            assert file.exists(), f"{env}: {file} is listed but missing"
            for doc in yaml.safe_load_all(file.read_text()):
                found.setdefault(doc["kind"], []).append(doc)
    return found


def schema_errors(doc):
    validator = crd_validator(doc["kind"])
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def only(docs, kind):
    assert len(docs.get(kind, [])) == 1, f"expected one {kind}, found {len(docs.get(kind, []))}"
    return docs[kind][0]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_cluster_and_pooler_is_valid_against_the_crd(env):
    docs = documents(env)
    checked = 0
    for kind in ("Cluster", "Pooler"):
        for doc in docs.get(kind, []):
            assert doc["apiVersion"] == "postgresql.cnpg.io/v1"
            assert schema_errors(doc) == [], f"{env} {kind} {doc['metadata']['name']}"
            checked += 1
    assert checked == 2


def test_the_schema_check_rejects_broken_manifests():
    cluster = only(documents("production"), "Cluster")
    typo = copy.deepcopy(cluster)
    typo["spec"]["storage"]["sise"] = typo["spec"]["storage"].pop("size")   # a misspelt field
    assert any("'sise' was unexpected" in e for e in schema_errors(typo))
    missing = copy.deepcopy(cluster)
    del missing["spec"]["instances"]
    assert any("'instances' is a required property" in e for e in schema_errors(missing))
    number = copy.deepcopy(cluster)
    number["spec"]["postgresql"]["parameters"]["max_connections"] = 200   # not a string
    assert any("max_connections" in e for e in schema_errors(number))
    pooler = copy.deepcopy(only(documents("production"), "Pooler"))
    pooler["spec"]["pgbouncer"]["poolMode"] = "statement"          # not a mode the operator knows
    assert any("poolMode" in e for e in schema_errors(pooler))


def check_pooler(pooler, cluster, ini):
    spec = pooler["spec"]
    assert spec["pgbouncer"]["poolMode"] == "transaction", "pgattest's tenant context needs transaction pooling"
    assert spec["cluster"]["name"] == cluster["metadata"]["name"]
    assert spec["type"] == "rw"
    params = spec["pgbouncer"]["parameters"]
    # The same pool settings as the PgBouncer configuration of the environment, tested for real.
    for key in ("default_pool_size", "max_db_connections", "reserve_pool_size", "query_wait_timeout",
                "idle_transaction_timeout", "max_client_conn"):
        assert params[key] == ini[key], f"{key}: Pooler {params[key]} vs {ini[key]}"
    # Every pooler pod's server connections, plus what must connect directly, fit.
    max_connections = int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])
    pooled = spec.get("instances", 1) * (int(params["max_db_connections"]) + int(params["reserve_pool_size"]))
    assert pooled + DIRECT_HEADROOM <= max_connections, f"{pooled} pooled + {DIRECT_HEADROOM} > {max_connections}"
    hba = spec["pgbouncer"].get("pg_hba", [])
    assert "host all postgres all reject" in hba, "the superuser must not pass the pooler"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_poolers_pool_transactions_within_the_clusters_connections(env):
    docs = documents(env)
    ini = pgbouncer.read_ini(pgbouncer.CONFIGS / f"pgbouncer.{env}.ini")["pgbouncer"]
    check_pooler(only(docs, "Pooler"), only(docs, "Cluster"), ini)


def test_the_pooler_check_rejects_session_pooling_and_oversized_pools():
    docs = documents("production")
    ini = pgbouncer.read_ini(pgbouncer.CONFIGS / "pgbouncer.production.ini")["pgbouncer"]
    session = copy.deepcopy(only(docs, "Pooler"))
    session["spec"]["pgbouncer"]["poolMode"] = "session"
    with pytest.raises(AssertionError, match="transaction pooling"):
        check_pooler(session, only(docs, "Cluster"), ini)
    crowded = copy.deepcopy(only(docs, "Pooler"))
    crowded["spec"]["instances"] = 5
    with pytest.raises(AssertionError, match="pooled"):
        check_pooler(crowded, only(docs, "Cluster"), ini)


def check_cluster(cluster):
    spec = cluster["spec"]
    params = spec["postgresql"]["parameters"]
    # The image: built from ops/image/cnpg.Dockerfile, which installs the server side of the setup.
    dockerfile = (ROOT / "ops" / "image" / "cnpg.Dockerfile").read_text()
    repository = spec["imageName"].rsplit(":", 1)[0]
    assert f"-t {repository}:" in dockerfile, f"{spec['imageName']} is not what ops/image/cnpg.Dockerfile builds"
    assert dockerfile.split("FROM ", 1)[1].startswith("ghcr.io/cloudnative-pg/postgresql:15"), "PostgreSQL 15"
    server = {p for p in bootstrap_list("PGATTEST_DEBS") if p.startswith(("postgresql-15-", "postgresql-plpython3"))}
    assert server | {"python3-cryptography"} <= dockerfile_packages(dockerfile), "the image lacks server packages"
    assert dockerfile_pip(dockerfile) == set(bootstrap_list("PGATTEST_SERVER_PIP"))
    # What the README asks of the server.
    assert params["idle_in_transaction_session_timeout"], "a transaction left open holds back vacuum"
    assert params["password_encryption"] == "scram-sha-256"
    memory = spec["resources"]["limits"]["memory"]
    assert memory.endswith("Gi") and int(params["shared_buffers"].rstrip("GB")) * 4 <= int(memory[:-2]), \
        "shared_buffers beyond a quarter of the memory limit"
    # The plan is deployed as a superuser (plpython3u): the Cluster must allow one.
    assert spec["enableSuperuserAccess"] is True and spec["superuserSecret"]["name"]
    assert spec["bootstrap"]["initdb"]["database"] == "pgattest"
    assert spec["backup"]["barmanObjectStore"]["destinationPath"] and spec["backup"]["retentionPolicy"]
    for role in spec["managed"]["roles"]:
        assert not role.get("superuser") and not role.get("bypassrls")
        assert set(role["inRoles"]) <= {"pgattest_app", "pgattest_worker"}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_clusters_run_the_pgattest_image_with_reasoned_parameters(env):
    docs = documents(env)
    cluster = only(docs, "Cluster")
    check_cluster(cluster)
    # Every parameter has its reason: a comment line within the few lines above it.
    lines = (K8S / env / "cluster.yaml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "parameters:")
    for key in cluster["spec"]["postgresql"]["parameters"]:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:"))
        above = [line for line in lines[start:at] if line.strip().startswith("#")]
        assert above, f"{env}: {key} has no reason given"
    scheduled = only(docs, "ScheduledBackup")  # its CRD is not in ../shared: checked by hand
    assert scheduled["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert len(scheduled["spec"]["schedule"].split()) == 6


def test_the_cluster_check_rejects_a_wrong_image_or_no_superuser():
    cluster = only(documents("production"), "Cluster")
    upstream = copy.deepcopy(cluster)
    upstream["spec"]["imageName"] = "ghcr.io/cloudnative-pg/postgresql:15.14-system-bookworm"  # no PL/Python
    with pytest.raises(AssertionError, match="not what"):
        check_cluster(upstream)
    locked = copy.deepcopy(cluster)
    locked["spec"]["enableSuperuserAccess"] = False
    with pytest.raises(AssertionError):
        check_cluster(locked)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_migration_job_deploys_the_plan_into_the_cluster(env):
    docs = documents(env)
    cluster, job = only(docs, "Cluster"), only(docs, "Job")
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][:3] == ["sqitch", "deploy", "--verify"]
    target = container["command"][container["command"].index("--target") + 1]
    name, database = cluster["metadata"]["name"], cluster["spec"]["bootstrap"]["initdb"]["database"]
    assert target == f"db:pg://postgres@{name}-rw:5432/{database}", "the primary, as the superuser, not the pooler"
    env_vars = {e["name"]: e for e in container["env"]}
    assert env_vars["PGPASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == cluster["spec"]["superuserSecret"]["name"]
    assert env_vars["PGSSLMODE"]["value"] == "verify-full"
    assert "pgattest/app:" in container["image"] and (ROOT / "ops" / "image" / "app.Dockerfile").exists()
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    wait = job["spec"]["template"]["spec"]["initContainers"][0]["command"][-1]
    assert f"pg_isready -h {name}-rw" in wait, "the Job waits for the primary before its first try"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_monitoring_uses_the_configmap_generated_from_queries_yaml(env):
    docs = documents(env)
    cluster = only(docs, "Cluster")
    refs = cluster["spec"]["monitoring"]["customQueriesConfigMap"]
    maps = {d["metadata"]["name"]: d for d in docs["ConfigMap"]}
    for ref in refs:
        content = maps[ref["name"]]["data"][ref["key"]]
        assert content == (ROOT / "ops" / "monitoring" / "queries.yaml").read_text()
        assert "pgattest_health" in yaml.safe_load(content)
    assert cluster["spec"]["monitoring"]["enablePodMonitor"] is True


def test_the_monitoring_configmap_is_up_to_date(tmp_path):
    from ops import gen_k8s_monitoring
    done = subprocess.run([sys.executable, "-m", "ops.gen_k8s_monitoring", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # And the check notices a change of the queries.
    changed = tmp_path / "queries.yaml"
    changed.write_text((ROOT / "ops" / "monitoring" / "queries.yaml").read_text() + "\nextra:\n  query: SELECT 1\n")
    assert gen_k8s_monitoring.render(changed) != gen_k8s_monitoring.TARGET.read_text()
