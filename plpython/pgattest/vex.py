"""VEX documents (OpenVEX v0.2.0, CSAF 2.0 VEX profile, CycloneDX 1.4-1.6) in one normalized form.

Every parser yields one observation per vulnerability and product, in OpenVEX terms:
status (not_affected, affected, fixed, under_investigation), justification (OpenVEX's
five labels), impact and action statements and a UTC timestamp. Its `statement` is the
RFC 8785 canonical text of a single-product OpenVEX statement built from those fields
alone, and `observation_id` is the sha256 of that text: the same decision expressed in
any of the three formats has the same id. What each format's own words mean is the
table MAPPINGS (published in the database as vex.format_mappings).

Documents that break their spec's required fields raise InputError (SQLSTATE 22023;
22007 for a malformed timestamp; 22P02 for text that is not JSON), naming the JSON path.
"""

import datetime
import hashlib
import json
import re

import rfc8785

from . import canonical
from .errors import InputError

STATUSES = ("not_affected", "affected", "fixed", "under_investigation")
JUSTIFICATIONS = ("component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
                  "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist")
INVALID_DATETIME = "22007"

_VULN_ID = re.compile(r"^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|[A-Za-z][A-Za-z0-9._:-]{1,127})$")


def _m(fmt, field, native, status=None, justification=None, note=""):
    return {"format": fmt, "field": field, "native": native, "status": status, "justification": justification,
            "note": note}


MAPPINGS = (
    [_m("openvex", "status", s, s, None, "OpenVEX is the normalized vocabulary") for s in STATUSES]
    + [_m("openvex", "justification", j, None, j, "OpenVEX is the normalized vocabulary") for j in JUSTIFICATIONS]
    + [
        _m("csaf", "status", "known_not_affected", "not_affected"),
        _m("csaf", "status", "known_affected", "affected"),
        _m("csaf", "status", "fixed", "fixed"),
        _m("csaf", "status", "first_fixed", "fixed", note="the first version that is fixed is fixed"),
        _m("csaf", "status", "under_investigation", "under_investigation"),
        _m("csaf", "status", "first_affected", "affected", note="a version range bound that is affected"),
        _m("csaf", "status", "last_affected", "affected", note="a version range bound that is affected"),
        # 'recommended' is not a VEX status (it marks the product to upgrade to): ignored.
    ]
    + [_m("csaf", "justification", j, None, j, "CSAF flag labels are OpenVEX's five justifications") for j in JUSTIFICATIONS]
    + [
        _m("cyclonedx", "status", "not_affected", "not_affected"),
        _m("cyclonedx", "status", "false_positive", "not_affected",
           note="the finding does not apply; without a justification it is taken as vulnerable_code_not_present"),
        _m("cyclonedx", "status", "exploitable", "affected"),
        _m("cyclonedx", "status", "resolved", "fixed"),
        _m("cyclonedx", "status", "resolved_with_pedigree", "fixed", note="fixed, with the fix's pedigree recorded"),
        _m("cyclonedx", "status", "in_triage", "under_investigation"),
        _m("cyclonedx", "justification", "code_not_present", None, "vulnerable_code_not_present"),
        _m("cyclonedx", "justification", "code_not_reachable", None, "vulnerable_code_not_in_execute_path"),
        _m("cyclonedx", "justification", "requires_configuration", None, "vulnerable_code_cannot_be_controlled_by_adversary",
           note="the vulnerable code runs only in a configuration an adversary cannot set"),
        _m("cyclonedx", "justification", "requires_dependency", None, "component_not_present",
           note="the dependency that makes it exploitable is absent"),
        _m("cyclonedx", "justification", "requires_environment", None, "vulnerable_code_cannot_be_controlled_by_adversary",
           note="the environment it needs is not one an adversary controls"),
        _m("cyclonedx", "justification", "protected_by_compiler", None, "inline_mitigations_already_exist"),
        _m("cyclonedx", "justification", "protected_at_runtime", None, "inline_mitigations_already_exist"),
        _m("cyclonedx", "justification", "protected_at_perimeter", None, "inline_mitigations_already_exist"),
        _m("cyclonedx", "justification", "protected_by_mitigating_control", None, "inline_mitigations_already_exist"),
    ]
)
_MAP = {(m["format"], m["field"], m["native"]): m for m in MAPPINGS}


def _fail(message, path, hint, sqlstate="22023"):
    raise InputError(f"{message} at {path}", sqlstate=sqlstate, hint=hint)


def _obj(value, path, hint):
    if not isinstance(value, dict):
        _fail("expected a JSON object", path, hint)
    return value


def _list(value, path, hint, non_empty=True):
    if not isinstance(value, list) or (non_empty and not value):
        _fail("expected a non-empty JSON array" if non_empty else "expected a JSON array", path, hint)
    return value


def _str(value, path, hint, required=True):
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        _fail("expected a non-empty string", path, hint)
    return value


def timestamp(value, path, hint="Use RFC 3339, e.g. 2026-01-17T10:00:00Z."):
    """UTC RFC 3339 text of an RFC 3339 timestamp with an offset (fractional seconds kept when not zero)."""
    if not isinstance(value, str):
        _fail("timestamp must be a string", path, hint, INVALID_DATETIME)
    try:
        t = datetime.datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        _fail(f"invalid timestamp {value[:40]!r}", path, hint, INVALID_DATETIME)
    if t.tzinfo is None:
        _fail(f"timestamp {value[:40]!r} has no UTC offset", path, hint, INVALID_DATETIME)
    t = t.astimezone(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{t.microsecond:06d}".rstrip("0") if t.microsecond else "") + "Z"


def _vuln_id(value, path):
    _str(value, path, "Name the vulnerability (CVE-, GHSA- or another id).")
    if not _VULN_ID.match(value):
        _fail(f"invalid vulnerability id {value[:60]!r}", path, "Use a CVE-, GHSA- or other id of letters, digits and ._:-.")
    return value


def _observation(fmt, vuln, product, status, justification, impact, action, ts, supplier, native_status,
                 native_justification, source, path):
    if status == "not_affected" and justification is None and not impact:
        _fail("a not_affected statement needs a justification or an impact statement", path,
              "Say why the product is not affected.")
    statement = {"vulnerability": {"name": vuln}, "products": [{"@id": product}], "status": status, "timestamp": ts}
    for key, value in (("justification", justification), ("impact_statement", impact), ("action_statement", action)):
        if value:
            statement[key] = value
    text = rfc8785.dumps(statement).decode("utf-8")
    return {
        "vulnerability_id": vuln, "product_key": product, "status": status, "justification": justification,
        "impact_statement": impact or None, "action_statement": action or None, "timestamp": ts,
        "supplier": supplier, "native_status": native_status, "native_justification": native_justification,
        "source_format": fmt, "statement": text, "observation_id": "sha256:" + hashlib.sha256(text.encode()).hexdigest(),
        "source": json.dumps(source, sort_keys=True, separators=(",", ":")),
    }


# --- OpenVEX ---------------------------------------------------------------------------

_OPENVEX_HINT = "See the OpenVEX v0.2.0 specification (https://github.com/openvex/spec)."


def _openvex_statement(st, path, doc_ts, fmt="openvex"):
    st = _obj(st, path, _OPENVEX_HINT)
    vuln = st.get("vulnerability")
    name = vuln.get("name") if isinstance(vuln, dict) else vuln  # v0.0.x gave the id as a string
    vuln_id = _vuln_id(name, f"{path}.vulnerability.name")
    status = st.get("status")
    if status not in STATUSES:
        _fail(f"invalid status {status!r}", f"{path}.status", f"Use one of {', '.join(STATUSES)}.")
    justification = st.get("justification")
    if justification is not None and justification not in JUSTIFICATIONS:
        _fail(f"invalid justification {justification!r}", f"{path}.justification", f"Use one of {', '.join(JUSTIFICATIONS)}.")
    impact = _str(st.get("impact_statement"), f"{path}.impact_statement", _OPENVEX_HINT, required=False)
    action = _str(st.get("action_statement"), f"{path}.action_statement", _OPENVEX_HINT, required=False)
    if status == "affected" and not action:
        _fail("an affected statement needs an action_statement", path, "Say what users should do.")
    raw_ts = st.get("timestamp")
    ts = timestamp(raw_ts, f"{path}.timestamp") if raw_ts is not None else doc_ts
    if ts is None:
        _fail("statement has no timestamp and its document none to inherit", f"{path}.timestamp", _OPENVEX_HINT)
    supplier = _str(st.get("supplier"), f"{path}.supplier", _OPENVEX_HINT, required=False)
    out = []
    for i, product in enumerate(_list(st.get("products"), f"{path}.products", "Name the products as [{\"@id\": purl}].")):
        pid = product.get("@id") if isinstance(product, dict) else product
        _str(pid, f"{path}.products[{i}].@id", "Identify each product by @id (a purl).")
        out.append(_observation(fmt, vuln_id, pid, status, justification, impact, action, ts, supplier, status,
                                justification, st, f"{path}.products[{i}]"))
    return out


def parse_openvex(text):
    doc = _obj(canonical.parse(text), "$", _OPENVEX_HINT)
    context = doc.get("@context")
    if not isinstance(context, str) or not context.startswith("https://openvex.dev/ns"):
        _fail(f"@context {str(context)[:60]!r} is not OpenVEX's", "$.@context", "OpenVEX documents use https://openvex.dev/ns/v0.2.0.")
    for field in ("@id", "author"):
        _str(doc.get(field), f"$.{field}", _OPENVEX_HINT)
    doc_ts = timestamp(doc.get("timestamp"), "$.timestamp") if "timestamp" in doc else _fail(
        "document has no timestamp", "$.timestamp", _OPENVEX_HINT)
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        _fail(f"version must be an integer of at least 1, got {version!r}", "$.version", _OPENVEX_HINT)
    out = []
    for i, st in enumerate(_list(doc.get("statements"), "$.statements", _OPENVEX_HINT)):
        out.extend(_openvex_statement(st, f"$.statements[{i}]", doc_ts))
    return out


def normalize_statement(text, default_timestamp=None):
    """Observations (one per product) of a single OpenVEX statement (JSON text)."""
    doc_ts = timestamp(default_timestamp, "default_timestamp") if default_timestamp is not None else None
    return _openvex_statement(canonical.parse(text), "$", doc_ts)


# --- CSAF 2.0, VEX profile -----------------------------------------------------------

_CSAF_HINT = "See CSAF 2.0 section 4.5 (profile VEX)."
_CSAF_VEX_STATUSES = ("fixed", "known_affected", "known_not_affected", "under_investigation")


def _csaf_products(tree):
    """product_id -> purl (or the product_id when the tree gives no purl)."""
    products = {}

    def add(fpn, path):
        fpn = _obj(fpn, path, _CSAF_HINT)
        pid = _str(fpn.get("product_id"), f"{path}.product_id", _CSAF_HINT)
        helper = fpn.get("product_identification_helper")
        purl = helper.get("purl") if isinstance(helper, dict) else None
        products[pid] = purl if isinstance(purl, str) and purl else pid

    def walk(branches, path):
        for i, b in enumerate(_list(branches, path, _CSAF_HINT)):
            b = _obj(b, f"{path}[{i}]", _CSAF_HINT)
            if "product" in b:
                add(b["product"], f"{path}[{i}].product")
            if "branches" in b:
                walk(b["branches"], f"{path}[{i}].branches")

    if "branches" in tree:
        walk(tree["branches"], "$.product_tree.branches")
    for i, fpn in enumerate(_list(tree.get("full_product_names", []), "$.product_tree.full_product_names", _CSAF_HINT,
                                  non_empty=False)):
        add(fpn, f"$.product_tree.full_product_names[{i}]")
    for i, rel in enumerate(_list(tree.get("relationships", []), "$.product_tree.relationships", _CSAF_HINT, non_empty=False)):
        add(_obj(rel, f"$.product_tree.relationships[{i}]", _CSAF_HINT).get("full_product_name"),
            f"$.product_tree.relationships[{i}].full_product_name")
    return products


def _by_product(items, path, key):
    """{product_id: first item naming it} over a list of CSAF objects with product_ids."""
    found = {}
    for i, item in enumerate(_list(items or [], path, _CSAF_HINT, non_empty=False)):
        item = _obj(item, f"{path}[{i}]", _CSAF_HINT)
        for pid in _list(item.get("product_ids", []), f"{path}[{i}].product_ids", _CSAF_HINT, non_empty=False):
            found.setdefault(pid, item.get(key))
    return found


def parse_csaf_vex(text):
    doc = _obj(canonical.parse(text), "$", _CSAF_HINT)
    meta = _obj(doc.get("document"), "$.document", _CSAF_HINT)
    if meta.get("category") != "csaf_vex":
        _fail(f"document.category is {meta.get('category')!r}, not 'csaf_vex'", "$.document.category", _CSAF_HINT)
    if meta.get("csaf_version") != "2.0":
        _fail(f"csaf_version {meta.get('csaf_version')!r} is not '2.0'", "$.document.csaf_version", _CSAF_HINT)
    publisher = _obj(meta.get("publisher"), "$.document.publisher", _CSAF_HINT)
    tracking = _obj(meta.get("tracking"), "$.document.tracking", _CSAF_HINT)
    _str(tracking.get("id"), "$.document.tracking.id", _CSAF_HINT)
    ts = timestamp(tracking.get("current_release_date"), "$.document.tracking.current_release_date")
    products = _csaf_products(_obj(doc.get("product_tree"), "$.product_tree", _CSAF_HINT))
    out = []
    for v, vuln in enumerate(_list(doc.get("vulnerabilities"), "$.vulnerabilities", _CSAF_HINT)):
        path = f"$.vulnerabilities[{v}]"
        vuln = _obj(vuln, path, _CSAF_HINT)
        ids = vuln.get("ids") if isinstance(vuln.get("ids"), list) else []
        name = vuln.get("cve") or (ids[0].get("text") if ids and isinstance(ids[0], dict) else None)
        vuln_id = _vuln_id(name, f"{path}.cve")
        status_map = _obj(vuln.get("product_status"), f"{path}.product_status", _CSAF_HINT)
        if not any(status_map.get(k) for k in _CSAF_VEX_STATUSES):
            _fail("product_status lists none of fixed, known_affected, known_not_affected, under_investigation",
                  f"{path}.product_status", _CSAF_HINT)
        flags = _by_product(vuln.get("flags"), f"{path}.flags", "label")
        impacts = _by_product([t for t in vuln.get("threats") or [] if isinstance(t, dict) and t.get("category") == "impact"],
                              f"{path}.threats", "details")
        remediations = _by_product(vuln.get("remediations"), f"{path}.remediations", "details")
        for native, mapping in ((k, _MAP.get(("csaf", "status", k))) for k in status_map):
            if mapping is None:
                continue  # 'recommended' and unknown categories carry no VEX status
            for i, pid in enumerate(_list(status_map[native], f"{path}.product_status.{native}", _CSAF_HINT)):
                ppath = f"{path}.product_status.{native}[{i}]"
                if pid not in products:
                    _fail(f"product {str(pid)[:60]!r} is not in the product tree", ppath, "Declare every product in product_tree.")
                label = flags.get(pid)
                if label is not None and label not in JUSTIFICATIONS:
                    _fail(f"invalid flag label {label!r}", f"{path}.flags", f"Use one of {', '.join(JUSTIFICATIONS)}.")
                status = mapping["status"]
                if status == "not_affected" and label is None and pid not in impacts:
                    _fail(f"known_not_affected product {pid!r} has neither a flag nor an impact threat", ppath, _CSAF_HINT)
                if status == "affected" and pid not in remediations:
                    _fail(f"known_affected product {pid!r} has no remediation", ppath, _CSAF_HINT)
                out.append(_observation(
                    "csaf", vuln_id, products[pid], status, label if status == "not_affected" else None,
                    impacts.get(pid) if status == "not_affected" else None,
                    remediations.get(pid) if status == "affected" else None, ts, publisher.get("name"),
                    native, label, vuln, ppath))
    return out


# --- CycloneDX -----------------------------------------------------------------------

_CDX_HINT = "See the CycloneDX 1.5 vulnerabilities[].analysis schema."


def _cdx_components(components, path, refs):
    for i, c in enumerate(_list(components, path, _CDX_HINT, non_empty=False)):
        c = _obj(c, f"{path}[{i}]", _CDX_HINT)
        if isinstance(c.get("bom-ref"), str):
            refs[c["bom-ref"]] = c.get("purl") if isinstance(c.get("purl"), str) else None
        if "components" in c:
            _cdx_components(c["components"], f"{path}[{i}].components", refs)
    return refs


def parse_cyclonedx_vex(text):
    doc = _obj(canonical.parse(text), "$", _CDX_HINT)
    if doc.get("bomFormat") != "CycloneDX":
        _fail(f"bomFormat is {doc.get('bomFormat')!r}, not 'CycloneDX'", "$.bomFormat", _CDX_HINT)
    if doc.get("specVersion") not in ("1.4", "1.5", "1.6"):
        _fail(f"specVersion {doc.get('specVersion')!r} is not 1.4, 1.5 or 1.6", "$.specVersion", _CDX_HINT)
    metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    refs = _cdx_components(doc.get("components", []), "$.components", {})
    if isinstance(metadata.get("component"), dict):
        _cdx_components([metadata["component"]], "$.metadata.component", refs)
    doc_ts = timestamp(metadata["timestamp"], "$.metadata.timestamp") if "timestamp" in metadata else None
    supplier = (metadata.get("supplier") or {}).get("name") if isinstance(metadata.get("supplier"), dict) else None
    out = []
    for v, vuln in enumerate(_list(doc.get("vulnerabilities"), "$.vulnerabilities", _CDX_HINT)):
        path = f"$.vulnerabilities[{v}]"
        vuln = _obj(vuln, path, _CDX_HINT)
        vuln_id = _vuln_id(vuln.get("id"), f"{path}.id")
        analysis = _obj(vuln.get("analysis"), f"{path}.analysis", _CDX_HINT)
        state = analysis.get("state")
        mapping = _MAP.get(("cyclonedx", "status", state))
        if mapping is None:
            _fail(f"invalid analysis.state {state!r}", f"{path}.analysis.state",
                  "Use not_affected, false_positive, exploitable, resolved, resolved_with_pedigree or in_triage.")
        status = mapping["status"]
        native_just = analysis.get("justification")
        justification = None
        if native_just is not None:
            jmap = _MAP.get(("cyclonedx", "justification", native_just))
            if jmap is None:
                _fail(f"invalid analysis.justification {native_just!r}", f"{path}.analysis.justification", _CDX_HINT)
            justification = jmap["justification"]
        if state == "false_positive" and justification is None:
            justification = "vulnerable_code_not_present"
        if status != "not_affected":
            justification = None
        detail = _str(analysis.get("detail"), f"{path}.analysis.detail", _CDX_HINT, required=False)
        recommendation = _str(vuln.get("recommendation"), f"{path}.recommendation", _CDX_HINT, required=False)
        if status == "affected" and not recommendation:
            _fail("an exploitable vulnerability needs a recommendation", f"{path}.recommendation", "Say what users should do.")
        raw_ts = analysis.get("lastUpdated") or analysis.get("firstIssued")
        ts = timestamp(raw_ts, f"{path}.analysis.lastUpdated") if raw_ts else doc_ts
        if ts is None:
            _fail("no timestamp: analysis.lastUpdated, analysis.firstIssued or metadata.timestamp", f"{path}.analysis", _CDX_HINT)
        for i, affect in enumerate(_list(vuln.get("affects"), f"{path}.affects", _CDX_HINT)):
            ref = _str(_obj(affect, f"{path}.affects[{i}]", _CDX_HINT).get("ref"), f"{path}.affects[{i}].ref", _CDX_HINT)
            purl = refs.get(ref) or (ref if ref.startswith("pkg:") else None)
            if purl is None:
                _fail(f"ref {ref[:60]!r} names no component with a purl", f"{path}.affects[{i}].ref",
                      "Point affects[].ref at a component's bom-ref that has a purl.")
            out.append(_observation("cyclonedx", vuln_id, purl, status, justification,
                                    detail if status == "not_affected" else None,
                                    recommendation if status == "affected" else None, ts, supplier, state, native_just,
                                    vuln, f"{path}.affects[{i}]"))
    return out


PARSERS = {"openvex": parse_openvex, "csaf": parse_csaf_vex, "cyclonedx": parse_cyclonedx_vex}


def parse(fmt, text):
    if fmt not in PARSERS:
        raise InputError(f"unknown VEX format {str(fmt)[:40]!r}", hint="Use openvex, csaf or cyclonedx.")
    return PARSERS[fmt](text)


def verdict_id(text):
    """'sha256:' + hex SHA-256 of the RFC 8785 form of a JSON statement."""
    return canonical.content_id(text)
