"""pgattest.vex: OpenVEX, CSAF VEX and CycloneDX VEX parsed into one normalized form (no database).

The three fixtures express the same five decisions (2 vulnerabilities, 3 products:
not_affected with a justification, affected with an action, fixed, under_investigation),
so they must yield the same observation ids. Invalid variants are the fixtures mutated.
"""

import copy
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgattest import canonical, vex
from pgattest.errors import INVALID_DATETIME, INVALID_PARAMETER, INVALID_TEXT, InputError


def fixture_path(name):
    return Path(__file__).parents[1] / "fixtures" / "vex" / name


FILES = {"openvex": "openvex.json", "csaf": "csaf_vex.json", "cyclonedx": "cyclonedx_vex.json"}
PARSERS = {"openvex": vex.parse_openvex, "csaf": vex.parse_csaf_vex, "cyclonedx": vex.parse_cyclonedx_vex}

CVE = "CVE-2025-12345"
GHSA = "GHSA-jfh8-c2jp-5v3q"
API = "pkg:oci/acme-api@sha256:" + "1" * 64
WEB = "pkg:oci/acme-web@sha256:" + "2" * 64
WORKER = "pkg:oci/acme-worker@sha256:" + "3" * 64
CSAF_IDS = {"ACME-API": API, "ACME-WEB": WEB, "ACME-WORKER": WORKER}
CDX_REFS = {"acme-api": API, "acme-web": WEB, "acme-worker": WORKER}
DOC_TS = "2026-01-17T10:00:00Z"
IMPACT = "The vulnerable parser is never called: only the encoder of libfoo is linked."
ACTION = "Upgrade acme-worker to 2.4.1, which ships libfoo 1.9.3."

# The five decisions every fixture makes: (vulnerability, product, status, justification, impact, action).
DECISIONS = {
    (CVE, API, "not_affected", "vulnerable_code_not_in_execute_path", IMPACT, None),
    (CVE, WEB, "not_affected", "vulnerable_code_not_in_execute_path", IMPACT, None),
    (CVE, WORKER, "affected", None, None, ACTION),
    (GHSA, API, "fixed", None, None, None),
    (GHSA, WEB, "under_investigation", None, None, None),
}
KEYS = {"vulnerability_id", "product_key", "status", "justification", "impact_statement", "action_statement",
        "timestamp", "supplier", "native_status", "native_justification", "source_format", "statement",
        "content_id", "source"}


def load(fmt):
    return json.loads(fixture_path(FILES[fmt]).read_text())


def parse(fmt, doc):
    return PARSERS[fmt](json.dumps(doc))


def decision(o):
    return (o["vulnerability_id"], o["product_key"], o["status"], o["justification"], o["impact_statement"],
            o["action_statement"])


def expected_statement(vuln, product, status, ts, justification=None, impact=None, action=None):
    statement = {"vulnerability": {"name": vuln}, "products": [{"@id": product}], "status": status, "timestamp": ts}
    for key, value in (("justification", justification), ("impact_statement", impact), ("action_statement", action)):
        if value is not None:
            statement[key] = value
    return rfc8785.dumps(statement).decode()


def rejected(call, sqlstate=INVALID_PARAMETER):
    with pytest.raises(InputError) as exc:
        call()
    assert exc.value.sqlstate == sqlstate, exc.value.message
    assert exc.value.hint, f"no hint for {exc.value.message!r}"
    return exc.value


# --- mutation helpers ------------------------------------------------------------------

def _walk(doc, path):
    for key in path[:-1]:
        doc = doc[key]
    return doc


def put(path, value):
    def mutate(doc):
        _walk(doc, path)[path[-1]] = copy.deepcopy(value)
    return mutate


def drop(path):
    def mutate(doc):
        del _walk(doc, path)[path[-1]]
    return mutate


def append(path, value):
    def mutate(doc):
        _walk(doc, path)[path[-1]].append(copy.deepcopy(value))
    return mutate


def both(*mutations):
    def mutate(doc):
        for m in mutations:
            m(doc)
    return mutate


# --- happy paths -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FILES)
def test_fixture_yields_the_five_decisions(fmt):
    obs = parse(fmt, load(fmt))
    assert len(obs) == 5
    assert {decision(o) for o in obs} == DECISIONS
    for o in obs:
        assert set(o) == KEYS
        assert o["source_format"] == fmt
        assert o["timestamp"] == DOC_TS
        assert o["statement"] == expected_statement(o["vulnerability_id"], o["product_key"], o["status"], DOC_TS,
                                                    o["justification"], o["impact_statement"], o["action_statement"])
        assert o["content_id"] == "sha256:" + hashlib.sha256(o["statement"].encode()).hexdigest()
        assert vex.verdict_id(o["statement"]) == o["content_id"]
        assert o["source"] == rfc8785.dumps(json.loads(o["source"])).decode()  # compact, deterministic JSON


def test_the_three_formats_give_the_same_content_ids():
    ids = {fmt: sorted(o["content_id"] for o in parse(fmt, load(fmt))) for fmt in FILES}
    assert len(set(ids["openvex"])) == 5
    assert ids["openvex"] == ids["csaf"] == ids["cyclonedx"]


def test_openvex_fields():
    doc = load("openvex")
    obs = parse("openvex", doc)
    assert [o["native_status"] for o in obs] == ["not_affected", "not_affected", "affected", "fixed",
                                                 "under_investigation"]
    assert obs[0]["native_justification"] == "vulnerable_code_not_in_execute_path"
    assert all(o["supplier"] is None for o in obs)
    # source is the statement each observation came from, as compact JSON
    assert [json.loads(o["source"]) for o in obs] == [doc["statements"][i] for i in (0, 0, 1, 2, 3)]
    # statement 2 states its own timestamp with an offset: normalized to UTC
    assert doc["statements"][2]["timestamp"] == "2026-01-17T11:00:00+01:00" and obs[3]["timestamp"] == DOC_TS


def test_csaf_fields():
    doc = load("csaf")
    obs = parse("csaf", doc)
    assert [o["native_status"] for o in obs] == ["known_not_affected", "known_not_affected", "known_affected",
                                                 "fixed", "under_investigation"]
    assert [o["native_justification"] for o in obs] == ["vulnerable_code_not_in_execute_path"] * 2 + [None] * 3
    assert {o["supplier"] for o in obs} == {"Acme Product Security"}
    assert json.loads(obs[0]["source"]) == doc["vulnerabilities"][0]
    assert json.loads(obs[4]["source"]) == doc["vulnerabilities"][1]


def test_cyclonedx_fields():
    doc = load("cyclonedx")
    obs = parse("cyclonedx", doc)
    assert [o["native_status"] for o in obs] == ["not_affected", "not_affected", "exploitable", "resolved",
                                                 "in_triage"]
    assert [o["native_justification"] for o in obs] == ["code_not_reachable"] * 2 + [None] * 3
    assert {o["supplier"] for o in obs} == {"Acme Product Security"}
    assert json.loads(obs[2]["source"]) == doc["vulnerabilities"][1]


def test_parse_dispatches_by_format():
    for fmt in FILES:
        assert vex.parse(fmt, fixture_path(FILES[fmt]).read_text()) == parse(fmt, load(fmt))
    err = rejected(lambda: vex.parse("spdx", "{}"))
    assert "unknown VEX format" in err.message
    rejected(lambda: vex.parse(["openvex"], "{}"))


# --- OpenVEX specifics -----------------------------------------------------------------

def test_openvex_v0_0_x_forms_normalize_to_v0_2_0():
    doc = load("openvex")
    doc["version"] = "1"
    doc["statements"][0]["vulnerability"] = CVE
    doc["statements"][0]["products"] = [API, {"identifiers": {"purl": WEB}}]
    assert {decision(o) for o in parse("openvex", doc)} == DECISIONS


def test_openvex_product_key_prefers_a_purl():
    doc = load("openvex")
    doc["statements"][2]["products"] = [{"@id": "https://acme.example/products/api", "identifiers": {"purl": API}}]
    assert parse("openvex", doc)[3]["product_key"] == API
    doc["statements"][2]["products"] = [{"@id": API, "identifiers": {"purl": "pkg:oci/other@1"}}]
    assert parse("openvex", doc)[3]["product_key"] == API
    doc["statements"][2]["products"] = [{"@id": "https://acme.example/products/api"}]
    assert parse("openvex", doc)[3]["product_key"] == "https://acme.example/products/api"


def test_openvex_duplicate_products_in_a_statement_count_once_but_history_is_kept():
    doc = load("openvex")
    doc["statements"][0]["products"].append({"@id": API})
    later = copy.deepcopy(doc["statements"][3])
    later.update(status="fixed", timestamp="2026-02-01T00:00:00Z")
    doc["statements"].append(later)  # a later statement about the same product: both stand
    obs = parse("openvex", doc)
    assert len(obs) == 6
    assert [(o["status"], o["timestamp"]) for o in obs if o["product_key"] == WEB and o["vulnerability_id"] == GHSA] \
        == [("under_investigation", DOC_TS), ("fixed", "2026-02-01T00:00:00Z")]


def test_openvex_supplier_and_null_optionals():
    doc = load("openvex")
    doc["statements"][2].update(supplier="Acme", justification=None, action_statement=None)
    o = parse("openvex", doc)[3]
    assert o["supplier"] == "Acme" and o["justification"] is None and "justification" not in o["statement"]


def test_normalize_statement_one_observation_per_product():
    st_ = load("openvex")["statements"][0]
    obs = vex.normalize_statement(json.dumps(st_), DOC_TS)
    assert [o["product_key"] for o in obs] == [API, WEB]
    assert {decision(o) for o in obs} <= DECISIONS
    assert obs == [o for o in parse("openvex", load("openvex"))[:2]]


# --- timestamps ----------------------------------------------------------------------

def test_openvex_timestamp_cascades_from_document_to_statement():
    doc = load("openvex")
    doc["timestamp"] = "2026-03-01T08:00:00-02:00"
    obs = parse("openvex", doc)
    assert [o["timestamp"] for o in obs] == ["2026-03-01T10:00:00Z"] * 3 + [DOC_TS, "2026-03-01T10:00:00Z"]


def test_normalize_statement_timestamp_own_then_default():
    st_ = {"vulnerability": {"name": GHSA}, "products": [{"@id": API}], "status": "fixed"}
    assert vex.normalize_statement(json.dumps(st_), "2026-05-05T05:05:05.500+00:00")[0]["timestamp"] \
        == "2026-05-05T05:05:05.5Z"
    st_["timestamp"] = "2026-01-17T10:00:00.000001Z"
    assert vex.normalize_statement(json.dumps(st_), "2026-05-05T05:05:05Z")[0]["timestamp"] \
        == "2026-01-17T10:00:00.000001Z"
    assert vex.normalize_statement(json.dumps(st_))[0]["timestamp"] == "2026-01-17T10:00:00.000001Z"


def test_csaf_timestamp_is_the_current_release_date():
    doc = load("csaf")
    doc["document"]["tracking"]["current_release_date"] = "2026-03-01T12:00:00+02:00"
    assert {o["timestamp"] for o in parse("csaf", doc)} == {"2026-03-01T10:00:00Z"}


def test_cyclonedx_timestamp_cascade():
    doc = load("cyclonedx")
    analysis = doc["vulnerabilities"][0]["analysis"]
    doc["metadata"]["timestamp"] = "2026-01-01T00:00:00Z"
    assert parse("cyclonedx", doc)[0]["timestamp"] == "2026-01-01T00:00:00Z"
    analysis["firstIssued"] = "2026-01-02T00:00:00Z"
    assert parse("cyclonedx", doc)[0]["timestamp"] == "2026-01-02T00:00:00Z"
    analysis["lastUpdated"] = "2026-01-03T01:00:00+01:00"
    assert parse("cyclonedx", doc)[0]["timestamp"] == "2026-01-03T00:00:00Z"
    del doc["metadata"]["timestamp"]  # the analysis needs no document timestamp of its own
    doc["vulnerabilities"] = doc["vulnerabilities"][:1]
    assert parse("cyclonedx", doc)[0]["timestamp"] == "2026-01-03T00:00:00Z"


@pytest.mark.parametrize("raw, normalized", [
    ("2026-01-17T10:00:00Z", "2026-01-17T10:00:00Z"),
    ("2026-01-17t10:00:00z", "2026-01-17T10:00:00Z"),
    ("2026-01-17 10:00:00Z", "2026-01-17T10:00:00Z"),
    ("2026-01-17T10:00:00.000Z", "2026-01-17T10:00:00Z"),
    ("2026-01-17T10:00:00.120Z", "2026-01-17T10:00:00.12Z"),
    ("2023-01-08T18:02:03.647787998-06:00", "2023-01-09T00:02:03.647787998Z"),
    ("2026-01-17T00:30:00+01:00", "2026-01-16T23:30:00Z"),
    ("2026-01-17T10:00:00-00:00", "2026-01-17T10:00:00Z"),
    ("2024-02-29T23:59:59+05:45", "2024-02-29T18:14:59Z"),
    ("0999-01-01T00:00:00Z", "0999-01-01T00:00:00Z"),
])
def test_timestamp_normalization(raw, normalized):
    assert vex.timestamp(raw) == normalized


@pytest.mark.parametrize("raw", [
    "yesterday", "2026-01-17", "2026-01-17T10:00:00", "2026-01-17T10:00Z", "20260117T100000Z",
    "2026-02-30T10:00:00Z", "2026-01-17T24:00:00Z", "2026-01-17T10:00:60Z", "2026-01-17T10:00:00+24:00",
    "2026-01-17T10:00:00+01:60", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
    "2026-01-17T10:00:00.1234567891Z", "2026-01-17T10:00:00Z\n", "\uff12026-01-17T10:00:00Z", "2026-W03-6T10:00:00Z",
    12345, None, ["2026-01-17T10:00:00Z"],
])
def test_bad_timestamps_are_22007(raw):
    err = rejected(lambda: vex.timestamp(raw, "$.x"), INVALID_DATETIME)
    assert err.message.endswith("at $.x")


# --- CSAF specifics ------------------------------------------------------------------

def test_csaf_product_id_without_purl_is_the_key():
    doc = load("csaf")
    del doc["product_tree"]["branches"][0]["branches"][0]["product"]["product_identification_helper"]
    assert {o["product_key"] for o in parse("csaf", doc)} == {"ACME-API", WEB, WORKER}


def test_csaf_groups_relationships_and_full_product_names_resolve():
    doc = load("csaf")
    tree = doc["product_tree"]
    tree["full_product_names"] = [{"name": "libfoo 1.9.2", "product_id": "LIBFOO-192",
                                   "product_identification_helper": {"purl": "pkg:generic/libfoo@1.9.2"}}]
    tree["relationships"] = [{"category": "default_component_of", "product_reference": "LIBFOO-192",
                              "relates_to_product_reference": "ACME-WORKER",
                              "full_product_name": {"name": "libfoo in acme-worker", "product_id": "WORKER-LIBFOO"}}]
    tree["product_groups"] = [{"group_id": "G-FRONT", "product_ids": ["ACME-API", "ACME-WEB"]}]
    vuln = doc["vulnerabilities"][0]
    for item in vuln["flags"] + vuln["threats"]:
        del item["product_ids"]
        item["group_ids"] = ["G-FRONT"]
    vuln["product_status"]["known_affected"].append("WORKER-LIBFOO")
    vuln["remediations"][0]["product_ids"].append("WORKER-LIBFOO")
    obs = parse("csaf", doc)
    assert {decision(o) for o in obs} == DECISIONS | {(CVE, "WORKER-LIBFOO", "affected", None, None, ACTION)}


def test_csaf_overlapping_categories_and_recommended():
    doc = load("csaf")
    vuln = doc["vulnerabilities"][0]
    vuln["product_status"]["last_affected"] = ["ACME-WORKER"]  # same group as known_affected: one observation
    doc["vulnerabilities"][1]["product_status"]["recommended"] = ["ACME-API"]  # not a VEX status: nothing
    doc["vulnerabilities"][1]["product_status"]["first_fixed"] = ["ACME-API"]
    assert {decision(o) for o in parse("csaf", doc)} == DECISIONS
    assert len(parse("csaf", doc)) == 5


def test_csaf_several_remediations_and_impacts_are_joined_in_order():
    doc = load("csaf")
    vuln = doc["vulnerabilities"][0]
    vuln["remediations"].append({"category": "workaround", "details": "Disable the parser.", "product_ids": ["ACME-WORKER"]})
    vuln["remediations"].append(copy.deepcopy(vuln["remediations"][0]))  # the same words twice count once
    vuln["threats"].append({"category": "impact", "details": "Sandboxed too.", "product_ids": ["ACME-API"]})
    vuln["threats"].append({"category": "exploit_status", "details": "None known.", "product_ids": ["ACME-API"]})
    obs = {o["product_key"]: o for o in parse("csaf", doc) if o["vulnerability_id"] == CVE}
    assert obs[WORKER]["action_statement"] == ACTION + "\nDisable the parser."
    assert obs[API]["impact_statement"] == IMPACT + "\nSandboxed too."
    assert obs[WEB]["impact_statement"] == IMPACT


def test_csaf_impact_threat_alone_or_flag_alone_suffice():
    doc = load("csaf")
    del doc["vulnerabilities"][0]["flags"]
    obs = parse("csaf", doc)
    assert obs[0]["justification"] is None and obs[0]["impact_statement"] == IMPACT
    doc = load("csaf")
    del doc["vulnerabilities"][0]["threats"]
    obs = parse("csaf", doc)
    assert obs[0]["justification"] == "vulnerable_code_not_in_execute_path" and obs[0]["impact_statement"] is None


# --- CycloneDX specifics -------------------------------------------------------------

def test_cyclonedx_refs_nested_metadata_purl_and_bom_link():
    doc = load("cyclonedx")
    worker = doc["components"].pop()
    doc["components"][0]["components"] = [worker]  # nested
    doc["metadata"]["component"] = doc["components"].pop(1)  # the BOM's subject
    doc["vulnerabilities"][2]["affects"] = [{"ref": API}]  # a purl as the ref itself
    doc["vulnerabilities"][3]["affects"] = [{"ref": f"urn:cdx:{doc['serialNumber'][9:]}/1#acme%2Dweb"}]  # BOM-Link
    assert {decision(o) for o in parse("cyclonedx", doc)} == DECISIONS


def test_cyclonedx_workaround_and_duplicate_refs():
    doc = load("cyclonedx")
    doc["vulnerabilities"][1]["workaround"] = "Disable the parser."
    doc["vulnerabilities"][1]["affects"].append({"ref": "acme-worker"})
    obs = parse("cyclonedx", doc)
    assert len(obs) == 5 and obs[2]["action_statement"] == ACTION + "\nDisable the parser."
    del doc["vulnerabilities"][1]["recommendation"]
    assert parse("cyclonedx", doc)[2]["action_statement"] == "Disable the parser."


def test_cyclonedx_fields_of_other_states_are_ignored():
    doc = load("cyclonedx")
    doc["vulnerabilities"][2]["analysis"].update(justification="code_not_present", detail="Fixed in 2.4.1.")
    doc["vulnerabilities"][2]["recommendation"] = "Nothing to do."
    obs = parse("cyclonedx", doc)
    assert decision(obs[3]) == (GHSA, API, "fixed", None, None, None)
    assert obs[3]["native_justification"] is None


# --- the mapping ---------------------------------------------------------------------

def test_mapping_table_shape_and_coverage():
    seen = set()
    for row in vex.MAPPINGS:
        assert set(row) == {"format", "field", "native", "status", "justification", "note"}
        assert row["format"] in ("openvex", "csaf", "cyclonedx") and row["field"] in ("status", "justification")
        assert (row["format"], row["field"], row["native"]) not in seen
        seen.add((row["format"], row["field"], row["native"]))
        assert isinstance(row["note"], str) and row["note"]
        if row["field"] == "status":
            assert row["status"] in vex.STATUSES
            assert row["justification"] in (None,) + vex.JUSTIFICATIONS
        else:
            assert row["status"] is None and row["justification"] in vex.JUSTIFICATIONS

    def natives(fmt, field):
        return {r["native"] for r in vex.MAPPINGS if r["format"] == fmt and r["field"] == field}

    assert natives("openvex", "status") == set(vex.STATUSES)
    assert natives("openvex", "justification") == natives("csaf", "justification") == set(vex.JUSTIFICATIONS)
    assert natives("csaf", "status") == {"known_not_affected", "known_affected", "fixed", "first_fixed",
                                         "under_investigation", "first_affected", "last_affected"}
    assert natives("cyclonedx", "status") == {"not_affected", "false_positive", "exploitable", "resolved",
                                              "resolved_with_pedigree", "in_triage"}
    assert natives("cyclonedx", "justification") == {
        "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
        "requires_environment", "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
        "protected_by_mitigating_control"}
    assert vex.STATUSES == ("not_affected", "affected", "fixed", "under_investigation")
    assert json.loads(json.dumps(vex.MAPPINGS)) == vex.MAPPINGS  # published as JSON by vex_mappings()


def _one_observation(row):
    """The observation of a minimal document that uses row's native value."""
    fmt, native = row["format"], row["native"]
    if row["field"] == "justification":
        status, why = "not_affected", native
    else:
        status, why = row["status"], None
    if fmt == "openvex":
        st_ = {"vulnerability": {"name": CVE}, "products": [{"@id": API}], "status": native if why is None else status}
        if status == "not_affected":
            st_.update({"justification": why} if why else {"impact_statement": IMPACT})
        if status == "affected":
            st_["action_statement"] = ACTION
        doc = load("openvex")
        doc["statements"] = [st_]
    elif fmt == "csaf":
        # The VEX profile wants one of the four main categories in every product_status.
        category = native if why is None else "known_not_affected"
        companion = "fixed" if category == "under_investigation" else "under_investigation"
        vuln = {"cve": CVE, "notes": [{"category": "description", "text": "t"}],
                "product_status": {category: ["ACME-API"], companion: ["ACME-WEB"]}}
        if status == "not_affected":
            vuln.update({"flags": [{"label": why, "product_ids": ["ACME-API"]}]} if why else
                        {"threats": [{"category": "impact", "details": IMPACT, "product_ids": ["ACME-API"]}]})
        if status == "affected":
            vuln["remediations"] = [{"category": "vendor_fix", "details": ACTION, "product_ids": ["ACME-API"]}]
        doc = load("csaf")
        doc["vulnerabilities"] = [vuln]
    else:
        analysis = {"state": native} if why is None else {"state": "not_affected", "justification": why}
        vuln = {"id": CVE, "analysis": analysis, "affects": [{"ref": "acme-api"}]}
        if why is None and status == "not_affected" and row["justification"] is None:
            analysis["detail"] = IMPACT
        if status == "affected":
            vuln["recommendation"] = ACTION
        doc = load("cyclonedx")
        doc["vulnerabilities"] = [vuln]
    obs = [o for o in parse(fmt, doc) if o["product_key"] == API]
    assert len(obs) == 1
    return obs[0]


@pytest.mark.parametrize("row", vex.MAPPINGS, ids=lambda r: f"{r['format']}-{r['field']}-{r['native']}")
def test_every_mapping_row_is_applied(row):
    o = _one_observation(row)
    if row["field"] == "status":
        assert o["status"] == row["status"] and o["native_status"] == row["native"]
        if row["justification"]:  # CycloneDX false_positive without a justification
            assert o["justification"] == row["justification"] and o["native_justification"] is None
    else:
        assert o["status"] == "not_affected"
        assert o["justification"] == row["justification"] and o["native_justification"] == row["native"]


# --- one decision, three formats (property) -----------------------------------------

_CSAF_CATEGORY = {"not_affected": "known_not_affected", "affected": "known_affected", "fixed": "fixed",
                  "under_investigation": "under_investigation"}
_CDX_STATE = {"not_affected": "not_affected", "affected": "exploitable", "fixed": "resolved",
              "under_investigation": "in_triage"}
# CycloneDX has no native for component_not_present (a BOM lists what is present), so
# that one decision cannot be phrased in CycloneDX; the other four can.
_CDX_NATIVE = {}
for _row in vex.MAPPINGS:
    if _row["format"] == "cyclonedx" and _row["field"] == "justification":
        _CDX_NATIVE.setdefault(_row["justification"], _row["native"])


def _rfc3339(moment, offset_minutes):
    local = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + (f".{local.microsecond:06d}" if local.microsecond else "")
    sign, minutes = ("+" if offset_minutes >= 0 else "-"), abs(offset_minutes)
    return text + (f"{sign}{minutes // 60:02d}:{minutes % 60:02d}" if offset_minutes else "Z")


_prose = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(str.strip)


@st.composite
def _decisions(draw):
    status = draw(st.sampled_from(vex.STATUSES))
    justification = impact = action = None
    if status == "not_affected":
        justification = draw(st.none() | st.sampled_from(sorted(_CDX_NATIVE)))
        impact = draw(st.none() | _prose) if justification else draw(_prose)
    elif status == "affected":
        action = draw(_prose)
    vuln = draw(st.from_regex(r"CVE-20[0-9]{2}-[0-9]{4,6}", fullmatch=True)
                | st.sampled_from([GHSA, "OSV-2024-17", "RHSA-2024:1234"]))
    moment = draw(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1),
                               timezones=st.just(timezone.utc)))
    offsets = draw(st.lists(st.integers(-23 * 60, 23 * 60), min_size=3, max_size=3))
    return dict(vuln=vuln, pid=draw(st.sampled_from(sorted(CSAF_IDS))), status=status, justification=justification,
                impact=impact, action=action, stamps=[_rfc3339(moment, o) for o in offsets])


def _express(d):
    """The decision d as an OpenVEX, a CSAF and a CycloneDX document, each timestamped in its own offset."""
    st_ = {"vulnerability": {"name": d["vuln"]}, "products": [{"@id": CSAF_IDS[d["pid"]]}], "status": d["status"],
           "timestamp": d["stamps"][0]}
    csaf_vuln = {"notes": [{"category": "description", "text": "t"}],
                 "product_status": {_CSAF_CATEGORY[d["status"]]: [d["pid"]]}}
    if d["vuln"].startswith("CVE-"):
        csaf_vuln["cve"] = d["vuln"]
    else:
        csaf_vuln["ids"] = [{"system_name": "other", "text": d["vuln"]}]
    ref = {v: k for k, v in CDX_REFS.items()}[CSAF_IDS[d["pid"]]]
    cdx_vuln = {"id": d["vuln"], "analysis": {"state": _CDX_STATE[d["status"]], "lastUpdated": d["stamps"][2]},
                "affects": [{"ref": ref}]}
    if d["justification"]:
        st_["justification"] = d["justification"]
        csaf_vuln["flags"] = [{"label": d["justification"], "product_ids": [d["pid"]]}]
        cdx_vuln["analysis"]["justification"] = _CDX_NATIVE[d["justification"]]
    if d["impact"]:
        st_["impact_statement"] = d["impact"]
        csaf_vuln["threats"] = [{"category": "impact", "details": d["impact"], "product_ids": [d["pid"]]}]
        cdx_vuln["analysis"]["detail"] = d["impact"]
    if d["action"]:
        st_["action_statement"] = d["action"]
        csaf_vuln["remediations"] = [{"category": "vendor_fix", "details": d["action"], "product_ids": [d["pid"]]}]
        cdx_vuln["recommendation"] = d["action"]
    openvex, csaf, cdx = load("openvex"), load("csaf"), load("cyclonedx")
    openvex["statements"] = [st_]
    csaf["vulnerabilities"] = [csaf_vuln]
    csaf["document"]["tracking"]["current_release_date"] = d["stamps"][1]
    cdx["vulnerabilities"] = [cdx_vuln]
    return {"openvex": openvex, "csaf": csaf, "cyclonedx": cdx}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_decisions())
def test_any_decision_has_one_id_in_all_three_formats(d):
    obs = {fmt: parse(fmt, doc) for fmt, doc in _express(d).items()}
    assert all(len(o) == 1 for o in obs.values())
    statements = {fmt: o[0]["statement"] for fmt, o in obs.items()}
    assert statements["openvex"] == statements["csaf"] == statements["cyclonedx"]
    assert len({o[0]["content_id"] for o in obs.values()}) == 1
    assert vex.normalize_statement(json.dumps(_express(d)["openvex"]["statements"][0]))[0]["statement"] \
        == statements["openvex"]


# --- verdict_id ------------------------------------------------------------------------

def test_verdict_id_ignores_key_order_and_whitespace():
    a = vex.verdict_id('{"status":"fixed","vulnerability":{"name":"CVE-2025-1"}}')
    b = vex.verdict_id('{ "vulnerability" : { "name" : "CVE-2025-1" },\n\t"status": "fixed" }\n')
    assert a == b == canonical.content_id('{"vulnerability":{"name":"CVE-2025-1"},"status":"fixed"}')
    assert a.startswith("sha256:") and len(a) == 71
    assert a != vex.verdict_id('{"status":"affected","vulnerability":{"name":"CVE-2025-1"}}')


def test_verdict_id_rejects_what_is_not_canonical_json():
    rejected(lambda: vex.verdict_id("not json"), INVALID_TEXT)
    rejected(lambda: vex.verdict_id('{"a": 1, "a": 2}'), INVALID_PARAMETER)


def _shuffled(value, rnd):
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: _shuffled(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rnd) for v in value]
    return value


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 53) + 1, 2 ** 53 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",)), max_size=6), inner, max_size=5),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(value=_json, seed=st.integers(0, 2 ** 32), indent=st.none() | st.integers(0, 4) | st.just("\t"),
       ensure_ascii=st.booleans(), loose=st.booleans())
def test_verdict_id_is_invariant_under_reserialization(value, seed, indent, ensure_ascii, loose):
    reference = vex.verdict_id(json.dumps(value, sort_keys=True, separators=(",", ":")))
    text = json.dumps(_shuffled(value, random.Random(seed)), indent=indent, ensure_ascii=ensure_ascii,
                      separators=(" , ", " : ") if loose else None)
    assert vex.verdict_id(text) == reference
    assert vex.verdict_id("\n " + text + " \n") == reference


# --- rejections --------------------------------------------------------------------------

_STMT = ("statements", 0)
_V0, _V1 = ("vulnerabilities", 0), ("vulnerabilities", 1)
_BR = ("product_tree", "branches", 0, "branches")
_REL = {"category": "default_component_of", "product_reference": "ACME-API", "relates_to_product_reference": "NOPE",
        "full_product_name": {"name": "x", "product_id": "ACME-API-ON-NOPE"}}

# (format, mutation, SQLSTATE, text the message must contain: the value or the JSON path)
REJECTIONS = [
    # OpenVEX document
    ("openvex", drop(("@context",)), INVALID_PARAMETER, "missing required field at $['@context']"),
    ("openvex", put(("@context",), "https://example.com/ns"), INVALID_PARAMETER, "is not OpenVEX's"),
    ("openvex", put(("@context",), ["https://openvex.dev/ns"]), INVALID_PARAMETER, "at $['@context']"),
    ("openvex", drop(("@id",)), INVALID_PARAMETER, "at $['@id']"),
    ("openvex", put(("author",), ""), INVALID_PARAMETER, "expected a non-empty string at $.author"),
    ("openvex", put(("author",), 5), INVALID_PARAMETER, "expected a string, got a number at $.author"),
    ("openvex", drop(("version",)), INVALID_PARAMETER, "at $.version"),
    ("openvex", put(("version",), 0), INVALID_PARAMETER, "version must be an integer"),
    ("openvex", put(("version",), True), INVALID_PARAMETER, "version must be an integer"),
    ("openvex", put(("version",), "v1"), INVALID_PARAMETER, "version must be an integer"),
    ("openvex", drop(("timestamp",)), INVALID_PARAMETER, "missing required field at $.timestamp"),
    ("openvex", put(("timestamp",), "yesterday"), INVALID_DATETIME, "'yesterday' at $.timestamp"),
    ("openvex", put(("last_updated",), "2026-13-01T00:00:00Z"), INVALID_DATETIME, "at $.last_updated"),
    ("openvex", put(("statements",), []), INVALID_PARAMETER, "expected a non-empty array at $.statements"),
    ("openvex", put(("statements",), {}), INVALID_PARAMETER, "expected a JSON array, got an object at $.statements"),
    ("openvex", put(_STMT, []), INVALID_PARAMETER, "expected a JSON object, got an array at $.statements[0]"),
    # OpenVEX statement
    ("openvex", drop(_STMT + ("vulnerability",)), INVALID_PARAMETER, "at $.statements[0].vulnerability"),
    ("openvex", put(_STMT + ("vulnerability",), 5), INVALID_PARAMETER, "expected a JSON object"),
    ("openvex", put(_STMT + ("vulnerability",), {}), INVALID_PARAMETER, "at $.statements[0].vulnerability.name"),
    ("openvex", put(_STMT + ("vulnerability", "name"), "not an id!"), INVALID_PARAMETER, "invalid vulnerability id"),
    ("openvex", put(_STMT + ("vulnerability", "name"), CVE + "\n"), INVALID_PARAMETER, "invalid vulnerability id"),
    ("openvex", put(_STMT + ("vulnerability", "name"), "X" * 129), INVALID_PARAMETER, "invalid vulnerability id"),
    ("openvex", put(_STMT + ("vulnerability", "name"), "CVE-2025-\u0661\u0662\u0663\u0664"), INVALID_PARAMETER,
     "invalid vulnerability id"),
    ("openvex", drop(_STMT + ("status",)), INVALID_PARAMETER, "at $.statements[0].status"),
    ("openvex", put(_STMT + ("status",), "broken"), INVALID_PARAMETER, "invalid status 'broken' at $.statements[0].status"),
    ("openvex", put(_STMT + ("status",), ["fixed"]), INVALID_PARAMETER, "invalid status"),
    ("openvex", put(_STMT + ("justification",), "because"), INVALID_PARAMETER, "invalid justification 'because'"),
    ("openvex", put(("statements", 1, "justification"), "component_not_present"), INVALID_PARAMETER,
     "justification does not belong with status affected"),
    ("openvex", put(("statements", 2, "action_statement"), "Upgrade."), INVALID_PARAMETER,
     "action_statement does not belong with status fixed"),
    ("openvex", put(_STMT + ("action_statement",), "Upgrade."), INVALID_PARAMETER, "does not belong with status not_affected"),
    ("openvex", put(("statements", 3, "impact_statement"), "Maybe."), INVALID_PARAMETER,
     "impact_statement does not belong with status under_investigation"),
    ("openvex", both(drop(_STMT + ("justification",)), drop(_STMT + ("impact_statement",))), INVALID_PARAMETER,
     "needs a justification or an impact_statement"),
    ("openvex", drop(("statements", 1, "action_statement")), INVALID_PARAMETER, "needs an action_statement"),
    ("openvex", put(_STMT + ("impact_statement",), "  "), INVALID_PARAMETER, "at $.statements[0].impact_statement"),
    ("openvex", put(_STMT + ("supplier",), 5), INVALID_PARAMETER, "at $.statements[0].supplier"),
    ("openvex", put(("statements", 2, "timestamp"), "2026-01-17T10:00:00"), INVALID_DATETIME, "at $.statements[2].timestamp"),
    ("openvex", put(_STMT + ("action_statement_timestamp",), "soon"), INVALID_DATETIME, "action_statement_timestamp"),
    ("openvex", drop(_STMT + ("products",)), INVALID_PARAMETER, "at $.statements[0].products"),
    ("openvex", put(_STMT + ("products",), []), INVALID_PARAMETER, "expected a non-empty array at $.statements[0].products"),
    ("openvex", put(_STMT + ("products", 0), 5), INVALID_PARAMETER, "at $.statements[0].products[0]"),
    ("openvex", put(_STMT + ("products", 0), {"hashes": {"sha-256": "ab"}}), INVALID_PARAMETER, "neither @id nor identifiers"),
    ("openvex", put(_STMT + ("products", 0), {"identifiers": [API]}), INVALID_PARAMETER, "at $.statements[0].products[0].identifiers"),
    ("openvex", put(_STMT + ("products", 0), {"@id": 5}), INVALID_PARAMETER, "at $.statements[0].products[0]['@id']"),
    ("openvex", put(_STMT + ("products", 0), {"@id": "pkg:npm/" + "a" * 2048}), INVALID_PARAMETER, "longer than 2048"),
    # CSAF document
    ("csaf", drop(("document",)), INVALID_PARAMETER, "missing required field at $.document"),
    ("csaf", put(("document",), []), INVALID_PARAMETER, "at $.document"),
    ("csaf", put(("document", "category"), "csaf_base"), INVALID_PARAMETER, "'csaf_base' is not 'csaf_vex'"),
    ("csaf", put(("document", "csaf_version"), "2.1"), INVALID_PARAMETER, "at $.document.csaf_version"),
    ("csaf", drop(("document", "title")), INVALID_PARAMETER, "at $.document.title"),
    ("csaf", drop(("document", "publisher")), INVALID_PARAMETER, "at $.document.publisher"),
    ("csaf", put(("document", "publisher"), "Acme"), INVALID_PARAMETER, "at $.document.publisher"),
    ("csaf", drop(("document", "publisher", "namespace")), INVALID_PARAMETER, "at $.document.publisher.namespace"),
    ("csaf", drop(("document", "publisher", "name")), INVALID_PARAMETER, "at $.document.publisher.name"),
    ("csaf", drop(("document", "tracking")), INVALID_PARAMETER, "at $.document.tracking"),
    ("csaf", drop(("document", "tracking", "id")), INVALID_PARAMETER, "at $.document.tracking.id"),
    ("csaf", put(("document", "tracking", "version"), 1), INVALID_PARAMETER, "at $.document.tracking.version"),
    ("csaf", put(("document", "tracking", "status"), "published"), INVALID_PARAMETER, "invalid tracking status"),
    ("csaf", put(("document", "tracking", "revision_history"), []), INVALID_PARAMETER, "revision_history"),
    ("csaf", put(("document", "tracking", "initial_release_date"), "2026-01-17"), INVALID_DATETIME, "initial_release_date"),
    ("csaf", drop(("document", "tracking", "current_release_date")), INVALID_PARAMETER, "current_release_date"),
    ("csaf", put(("document", "tracking", "current_release_date"), "2026-01-17T10:00Z"), INVALID_DATETIME,
     "at $.document.tracking.current_release_date"),
    # CSAF product tree
    ("csaf", drop(("product_tree",)), INVALID_PARAMETER, "missing required field at $.product_tree"),
    ("csaf", put(("product_tree", "branches"), {}), INVALID_PARAMETER, "at $.product_tree.branches"),
    ("csaf", put(("product_tree", "branches", 0), "Acme"), INVALID_PARAMETER, "at $.product_tree.branches[0]"),
    ("csaf", put(_BR + (1, "product", "product_id"), "ACME-API"), INVALID_PARAMETER, "'ACME-API' is defined twice"),
    ("csaf", drop(_BR + (1, "product", "product_id")), INVALID_PARAMETER, "branches[1].product.product_id"),
    ("csaf", put(_BR + (0, "product", "product_identification_helper"), API), INVALID_PARAMETER,
     "branches[0].product.product_identification_helper"),
    ("csaf", put(_BR + (0, "product", "product_identification_helper", "purl"), "acme-api"), INVALID_PARAMETER,
     "does not start with 'pkg:'"),
    ("csaf", put(("product_tree", "relationships"), [_REL]), INVALID_PARAMETER, "relates_to_product_reference 'NOPE'"),
    ("csaf", put(("product_tree", "relationships"), [{"product_reference": "ACME-API"}]), INVALID_PARAMETER,
     "at $.product_tree.relationships[0].full_product_name"),
    ("csaf", put(("product_tree", "product_groups"), [{"group_id": "G", "product_ids": ["ACME-API", "ACME-WEB"]}] * 2),
     INVALID_PARAMETER, "group_id 'G' is defined twice"),
    ("csaf", put(("product_tree", "product_groups"), [{"group_id": "G", "product_ids": ["ACME-API", "NOPE"]}]), INVALID_PARAMETER,
     "at $.product_tree.product_groups[0].product_ids[1]"),
    # CSAF vulnerabilities
    ("csaf", drop(("vulnerabilities",)), INVALID_PARAMETER, "at $.vulnerabilities"),
    ("csaf", put(("vulnerabilities",), []), INVALID_PARAMETER, "expected a non-empty array at $.vulnerabilities"),
    ("csaf", put(_V0, CVE), INVALID_PARAMETER, "at $.vulnerabilities[0]"),
    ("csaf", drop(_V1 + ("ids",)), INVALID_PARAMETER, "neither cve nor ids"),
    ("csaf", put(_V1 + ("ids",), []), INVALID_PARAMETER, "at $.vulnerabilities[1].ids"),
    ("csaf", put(_V1 + ("ids", 0, "text"), "bad id!"), INVALID_PARAMETER, "at $.vulnerabilities[1].ids[0].text"),
    ("csaf", put(_V0 + ("cve",), "CVE-12"), INVALID_PARAMETER, "'CVE-12' is not a CVE id"),
    ("csaf", drop(_V0 + ("notes",)), INVALID_PARAMETER, "at $.vulnerabilities[0].notes"),
    ("csaf", drop(_V0 + ("product_status",)), INVALID_PARAMETER, "at $.vulnerabilities[0].product_status"),
    ("csaf", put(_V0 + ("product_status",), []), INVALID_PARAMETER, "at $.vulnerabilities[0].product_status"),
    ("csaf", put(_V1 + ("product_status", "known_not_afected"), ["ACME-WORKER"]), INVALID_PARAMETER,
     "unknown product status category 'known_not_afected'"),
    ("csaf", put(_V1 + ("product_status",), {"recommended": ["ACME-API"]}), INVALID_PARAMETER, "lists none of fixed"),
    ("csaf", put(_V1 + ("product_status", "fixed"), ["NOPE"]), INVALID_PARAMETER,
     "'NOPE' is not in the product tree at $.vulnerabilities[1].product_status.fixed[0]"),
    ("csaf", put(_V1 + ("product_status", "fixed"), [["ACME-API"]]), INVALID_PARAMETER, "is not in the product tree"),
    ("csaf", put(_V1 + ("product_status", "fixed"), "ACME-API"), INVALID_PARAMETER, "product_status.fixed"),
    ("csaf", put(_V1 + ("product_status", "recommended"), ["NOPE"]), INVALID_PARAMETER, "product_status.recommended[0]"),
    ("csaf", put(_V0 + ("flags",), {}), INVALID_PARAMETER, "at $.vulnerabilities[0].flags"),
    ("csaf", put(_V0 + ("flags", 0, "label"), "not_important"), INVALID_PARAMETER, "invalid flag label 'not_important'"),
    ("csaf", drop(_V0 + ("flags", 0, "product_ids")), INVALID_PARAMETER, "flag names no product"),
    ("csaf", append(_V0 + ("flags",), {"label": "component_not_present", "product_ids": ["ACME-API"]}), INVALID_PARAMETER,
     "'ACME-API' has two justification flags"),
    ("csaf", put(_V0 + ("flags", 0, "group_ids"), ["G-NOPE"]), INVALID_PARAMETER, "product group 'G-NOPE'"),
    ("csaf", drop(_V0 + ("threats", 0, "details")), INVALID_PARAMETER, "at $.vulnerabilities[0].threats[0].details"),
    ("csaf", put(_V0 + ("remediations", 0, "category"), "upgrade"), INVALID_PARAMETER, "invalid category 'upgrade'"),
    ("csaf", put(_V0 + ("remediations", 0, "product_ids"), ["NOPE"]), INVALID_PARAMETER, "remediations[0].product_ids[0]"),
    ("csaf", put(_V1 + ("product_status", "known_affected"), ["ACME-API"]), INVALID_PARAMETER,
     "'ACME-API' is both fixed and affected"),
    ("csaf", both(drop(_V0 + ("flags",)), drop(_V0 + ("threats",))), INVALID_PARAMETER,
     "known_not_affected product 'ACME-API' has neither a flag nor an impact threat"),
    ("csaf", drop(_V0 + ("remediations",)), INVALID_PARAMETER, "known_affected product 'ACME-WORKER' has no remediation"),
    ("csaf", put(_V1 + ("product_status", "first_affected"), ["ACME-WORKER"]), INVALID_PARAMETER,
     "first_affected product 'ACME-WORKER' has no remediation"),
    # CycloneDX
    ("cyclonedx", put(("bomFormat",), "SPDX"), INVALID_PARAMETER, "bomFormat 'SPDX'"),
    ("cyclonedx", drop(("bomFormat",)), INVALID_PARAMETER, "missing required field at $.bomFormat"),
    ("cyclonedx", put(("specVersion",), "1.2"), INVALID_PARAMETER, "specVersion '1.2'"),
    ("cyclonedx", put(("specVersion",), 1.5), INVALID_PARAMETER, "at $.specVersion"),
    ("cyclonedx", put(("metadata",), []), INVALID_PARAMETER, "at $.metadata"),
    ("cyclonedx", put(("metadata", "timestamp"), "now"), INVALID_DATETIME, "at $.metadata.timestamp"),
    ("cyclonedx", put(("metadata", "supplier"), "Acme"), INVALID_PARAMETER, "at $.metadata.supplier"),
    ("cyclonedx", put(("components",), {}), INVALID_PARAMETER, "at $.components"),
    ("cyclonedx", put(("components", 0), "acme-api"), INVALID_PARAMETER, "at $.components[0]"),
    ("cyclonedx", put(("components", 0, "bom-ref"), 5), INVALID_PARAMETER, "at $.components[0]['bom-ref']"),
    ("cyclonedx", put(("components", 1, "bom-ref"), "acme-api"), INVALID_PARAMETER, "bom-ref 'acme-api' is used twice"),
    ("cyclonedx", put(("components", 0, "components"), [{"bom-ref": "acme-web"}]), INVALID_PARAMETER, "used twice"),
    ("cyclonedx", drop(("vulnerabilities",)), INVALID_PARAMETER, "at $.vulnerabilities"),
    ("cyclonedx", put(("vulnerabilities",), []), INVALID_PARAMETER, "expected a non-empty array at $.vulnerabilities"),
    ("cyclonedx", drop(_V0 + ("id",)), INVALID_PARAMETER, "at $.vulnerabilities[0].id"),
    ("cyclonedx", put(_V0 + ("id",), "CVE 2025 12345"), INVALID_PARAMETER, "invalid vulnerability id 'CVE 2025 12345'"),
    ("cyclonedx", drop(_V0 + ("analysis",)), INVALID_PARAMETER, "at $.vulnerabilities[0].analysis"),
    ("cyclonedx", drop(_V0 + ("analysis", "state")), INVALID_PARAMETER, "at $.vulnerabilities[0].analysis.state"),
    ("cyclonedx", put(_V0 + ("analysis", "state"), "maybe"), INVALID_PARAMETER, "invalid analysis.state 'maybe'"),
    ("cyclonedx", put(_V0 + ("analysis", "state"), ["exploitable"]), INVALID_PARAMETER, "invalid analysis.state"),
    ("cyclonedx", put(_V0 + ("analysis", "justification"), "because"), INVALID_PARAMETER, "invalid analysis.justification"),
    ("cyclonedx", put(_V0 + ("analysis", "justification"), {}), INVALID_PARAMETER, "analysis.justification"),
    ("cyclonedx", both(drop(_V0 + ("analysis", "justification")), drop(_V0 + ("analysis", "detail"))), INVALID_PARAMETER,
     "needs a justification or a detail"),
    ("cyclonedx", put(_V0 + ("analysis", "detail"), 5), INVALID_PARAMETER, "at $.vulnerabilities[0].analysis.detail"),
    ("cyclonedx", drop(_V1 + ("recommendation",)), INVALID_PARAMETER, "needs a recommendation or a workaround"),
    ("cyclonedx", put(_V1 + ("recommendation",), ""), INVALID_PARAMETER, "at $.vulnerabilities[1].recommendation"),
    ("cyclonedx", drop(("metadata", "timestamp")), INVALID_PARAMETER, "no timestamp"),
    ("cyclonedx", put(_V0 + ("analysis", "lastUpdated"), "2026-01-17"), INVALID_DATETIME, "analysis.lastUpdated"),
    ("cyclonedx", put(_V0 + ("analysis", "firstIssued"), "2026-01-17"), INVALID_DATETIME, "analysis.firstIssued"),
    ("cyclonedx", drop(_V0 + ("affects",)), INVALID_PARAMETER, "at $.vulnerabilities[0].affects"),
    ("cyclonedx", put(_V0 + ("affects",), []), INVALID_PARAMETER, "at $.vulnerabilities[0].affects"),
    ("cyclonedx", put(_V0 + ("affects", 0), "acme-api"), INVALID_PARAMETER, "at $.vulnerabilities[0].affects[0]"),
    ("cyclonedx", drop(_V0 + ("affects", 0, "ref")), INVALID_PARAMETER, "at $.vulnerabilities[0].affects[0].ref"),
    ("cyclonedx", append(_V0 + ("affects",), {"ref": "missing"}), INVALID_PARAMETER,
     "ref 'missing' names no component of the BOM at $.vulnerabilities[0].affects[2].ref"),
    ("cyclonedx", drop(("components", 0, "purl")), INVALID_PARAMETER, "ref 'acme-api' names a component without a purl"),
]


@pytest.mark.parametrize("fmt, mutate, sqlstate, fragment", REJECTIONS,
                         ids=[f"{r[0]}-{i}-{r[3][:40]}" for i, r in enumerate(REJECTIONS)])
def test_rejections(fmt, mutate, sqlstate, fragment):
    doc = load(fmt)
    mutate(doc)
    err = rejected(lambda: parse(fmt, doc), sqlstate)
    assert fragment in err.message


@pytest.mark.parametrize("fmt", FILES)
@pytest.mark.parametrize("text, sqlstate", [("{not json", INVALID_TEXT), ('{"a": 1, "a": 2}', INVALID_PARAMETER), ("[]", INVALID_PARAMETER),
                                            ('"csaf_vex"', INVALID_PARAMETER), ("NaN", INVALID_TEXT)])
def test_rejections_of_the_text(fmt, text, sqlstate):
    rejected(lambda: PARSERS[fmt](text), sqlstate)


def test_normalize_statement_rejections():
    st_ = {"vulnerability": {"name": GHSA}, "products": [{"@id": API}], "status": "fixed"}
    err = rejected(lambda: vex.normalize_statement(json.dumps(st_)))
    assert "no timestamp" in err.message and "$.timestamp" in err.message
    err = rejected(lambda: vex.normalize_statement(json.dumps(st_), "2026-01-17 10:00:00+00"), INVALID_DATETIME)
    assert "default_timestamp" in err.message
    rejected(lambda: vex.normalize_statement(json.dumps([st_]), DOC_TS))
    rejected(lambda: vex.normalize_statement("{", DOC_TS), INVALID_TEXT)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, prefix + (i,))


_WRONG = [None, True, 0, -1.5, "", "x", "pkg:x/y@1", [], [None], [[]], {}, {"": None}]


@pytest.mark.parametrize("fmt", FILES)
def test_no_malformed_shape_escapes_as_a_python_error(fmt):
    """Every value of the fixture replaced by every wrong shape, and every member removed:
    the parser either accepts the document or raises InputError, never KeyError, TypeError..."""
    doc = load(fmt)
    rejections = 0
    for path in list(_paths(doc))[1:]:
        variants = [put(path, wrong) for wrong in _WRONG]
        if isinstance(path[-1], str):
            variants.append(drop(path))
        for mutate in variants:
            mutated = copy.deepcopy(doc)
            mutate(mutated)
            try:
                parse(fmt, mutated)
            except InputError as exc:
                assert exc.sqlstate in (INVALID_PARAMETER, INVALID_DATETIME) and exc.hint
                rejections += 1
    assert rejections > 100
