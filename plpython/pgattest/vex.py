"""VEX documents (OpenVEX v0.2.0, CSAF 2.0 profile VEX, CycloneDX 1.4-1.6) in one normalized form.

The normalized observation
--------------------------
Each parser returns one observation per vulnerability and product, in OpenVEX terms:

    vulnerability_id   CVE-..., GHSA-... or another id (the DB's vulnerability_id check)
    product_key        a purl where the document gives one (CSAF: the product's
                       product_identification_helper.purl, else its product_id)
    status             not_affected | affected | fixed | under_investigation
    justification      one of OpenVEX's five labels, not_affected only
    impact_statement   why it is not affected, not_affected only
    action_statement   what to do, affected only (required there)
    timestamp          UTC 'YYYY-MM-DDTHH:MM:SS[.f]Z', fractional seconds kept when not zero
    supplier, native_status, native_justification, source_format, source (the original
    fragment as compact JSON)

and `statement`, the RFC 8785 text of a single-product OpenVEX v0.2.0 statement built
from the normalized fields alone ({"vulnerability": {"name"}, "products": [{"@id"}],
"status", "justification"?, "impact_statement"?, "action_statement"?, "timestamp"}),
with `content_id` = 'sha256:' + its hex SHA-256 (vex.observations.content_id; the uuid
vex.observations.id is the observation id). Nothing format-specific reaches the
statement, so the same decision expressed in any of the three formats has the same id.
Each status carries only its own fields (as openvex/go-vex's Statement.Validate demands):
CSAF flags and impact threats and CycloneDX justification and detail count for
not_affected only; CSAF remediations and CycloneDX recommendation for affected only.

The mapping (MAPPINGS, published as vex.format_mappings)
-------------------------------------------------------
OpenVEX is the normalized vocabulary, so its rows are identities, as are CSAF's flag
labels (the same five names). CSAF product_status categories map by meaning:
known_not_affected, known_affected, fixed, under_investigation directly; first_fixed is
fixed; first_affected and last_affected are affected (the listed versions are). The
category 'recommended' is not a VEX status: it names the product to upgrade to, which
is stated separately as fixed when it is, so it yields no observation. CycloneDX states:
false_positive is not_affected (justified vulnerable_code_not_present when it gives no
justification: the weakest claim true of any false positive), exploitable is affected,
resolved and resolved_with_pedigree are fixed, in_triage is under_investigation.
CycloneDX's nine justifications are finer than OpenVEX's five; each row's note says why
its label is the closest: the requires_* ones and protected_at_perimeter say a
precondition of the attack is missing, which is vulnerable_code_cannot_be_controlled_
by_adversary (component_not_present would be false: the vulnerable component is there).

Decisions where the specifications leave room
--------------------------------------------
- OpenVEX v0.0.x forms are accepted as well: "vulnerability" as a plain string and
  products as plain strings (or with a purl in identifiers.purl instead of @id); they
  normalize to the v0.2.0 form. A product's key is @id when that is a purl, else
  identifiers.purl, else @id. Statements must list their products: there is no
  encapsulating document to inherit them from.
- OpenVEX statements that give a field another status does not use (a justification on
  affected, an action_statement on fixed) are rejected, as go-vex rejects them; a CSAF or
  CycloneDX document's fields are only read for the statuses they belong to.
- CSAF: every category mapped to affected needs a remediation (the profile asks it of
  known_affected; the normalized statement needs an action for any affected product).
  Several impact threats or remediations naming a product are joined, in document order,
  with a newline. Product Group IDs are resolved. A product in two contradicting status
  groups (mandatory test 6.1.6) or with two justification flags (6.1.33) is rejected.
- CycloneDX: analysis is required (it is the VEX); affects[].ref may be a BOM-Link
  (urn:cdx:serial/version#bom-ref) whose bom-ref is resolved like a local one; the action
  of an exploitable vulnerability is its recommendation and workaround, newline-joined.
- Timestamps are RFC 3339 date-times with an offset ('T', 't' or the space RFC 3339
  allows, at most nine fractional digits, no leap second); anything else in a timestamp
  field is SQLSTATE 22007. Every other rejection is 22023, text that is not JSON 22P02.
  A message names the value and its JSON path; the hint says what the spec wants.
"""

import hashlib
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import rfc8785

from . import canonical
from .errors import INVALID_DATETIME, INVALID_PARAMETER, InputError

STATUSES = ("not_affected", "affected", "fixed", "under_investigation")
JUSTIFICATIONS = ("component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
                  "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist")

# The brief's id grammar, anchored with fullmatch (a '$' would let a trailing newline
# through) and ASCII-only (\d would take any Unicode digit). 128 characters at most, as
# the vex.observations check allows.
_VULN_ID = re.compile(r"CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|[A-Za-z][A-Za-z0-9._:-]{1,127}", re.ASCII)
_MAX_VULN_ID = 128
_MAX_PRODUCT_KEY = 2048  # the vex.observations product_key check

_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
                      re.ASCII)
_TIMESTAMP_HINT = "Use an RFC 3339 date-time with an offset, e.g. 2026-01-17T10:00:00Z."


def _m(fmt, field, native, status=None, justification=None, note=None):
    return {"format": fmt, "field": field, "native": native, "status": status, "justification": justification,
            "note": note}


MAPPINGS = (
    [_m("openvex", "status", s, status=s, note="OpenVEX is the normalized vocabulary") for s in STATUSES]
    + [_m("openvex", "justification", j, justification=j, note="OpenVEX is the normalized vocabulary")
       for j in JUSTIFICATIONS]
    + [
        _m("csaf", "status", "known_not_affected", "not_affected",
           note="needs a justification flag or an impact threat naming the product (CSAF 2.0 section 4.5)"),
        _m("csaf", "status", "known_affected", "affected",
           note="needs a remediation naming the product, whose details become the action statement (section 4.5)"),
        _m("csaf", "status", "fixed", "fixed", note="same meaning"),
        _m("csaf", "status", "first_fixed", "fixed", note="the first version containing the fix is itself fixed"),
        _m("csaf", "status", "under_investigation", "under_investigation", note="same meaning"),
        _m("csaf", "status", "first_affected", "affected",
           note="the listed version is affected (the start of an affected range); needs a remediation like known_affected"),
        _m("csaf", "status", "last_affected", "affected",
           note="the listed version is affected (the last one before the fix); needs a remediation like known_affected"),
    ]
    + [_m("csaf", "justification", j, justification=j, note="CSAF flag labels are the VEX justifications OpenVEX uses")
       for j in JUSTIFICATIONS]
    + [
        _m("cyclonedx", "status", "not_affected", "not_affected", note="same meaning"),
        _m("cyclonedx", "status", "false_positive", "not_affected", "vulnerable_code_not_present",
           note="the finding does not apply; without analysis.justification it is justified vulnerable_code_not_present, "
                "the weakest claim true of any false positive"),
        _m("cyclonedx", "status", "exploitable", "affected",
           note="needs a recommendation or workaround, which becomes the action statement"),
        _m("cyclonedx", "status", "resolved", "fixed", note="the vulnerability was remediated in this version"),
        _m("cyclonedx", "status", "resolved_with_pedigree", "fixed",
           note="remediated, with the fix recorded in the component's pedigree"),
        _m("cyclonedx", "status", "in_triage", "under_investigation", note="being analysed, no verdict yet"),
        _m("cyclonedx", "justification", "code_not_present", justification="vulnerable_code_not_present",
           note="the vulnerable code is not in the component"),
        _m("cyclonedx", "justification", "code_not_reachable", justification="vulnerable_code_not_in_execute_path",
           note="the vulnerable code is present but never executed"),
        _m("cyclonedx", "justification", "requires_configuration",
           justification="vulnerable_code_cannot_be_controlled_by_adversary",
           note="the attack needs a configuration the product does not have: an adversary cannot drive the code"),
        _m("cyclonedx", "justification", "requires_dependency",
           justification="vulnerable_code_cannot_be_controlled_by_adversary",
           note="the attack needs a dependency that is absent; not component_not_present, which would claim the "
                "vulnerable component itself is absent"),
        _m("cyclonedx", "justification", "requires_environment",
           justification="vulnerable_code_cannot_be_controlled_by_adversary",
           note="the attack needs an environment the product does not run in: an adversary cannot drive the code"),
        _m("cyclonedx", "justification", "protected_by_compiler", justification="inline_mitigations_already_exist",
           note="compiler hardening built into the product prevents exploitation"),
        _m("cyclonedx", "justification", "protected_at_runtime", justification="inline_mitigations_already_exist",
           note="runtime protection built into the product prevents exploitation"),
        _m("cyclonedx", "justification", "protected_at_perimeter",
           justification="vulnerable_code_cannot_be_controlled_by_adversary",
           note="a perimeter control keeps adversary input away from the code; it sits outside the product, so it is "
                "not an inline mitigation"),
        _m("cyclonedx", "justification", "protected_by_mitigating_control",
           justification="inline_mitigations_already_exist",
           note="a mitigating control prevents exploitation: the closest label, though the control may be outside "
                "the product"),
    ]
)
_MAP = {(m["format"], m["field"], m["native"]): m for m in MAPPINGS}


# --- shapes -----------------------------------------------------------------------------

def _fail(message, path, hint, sqlstate=INVALID_PARAMETER):
    # A path names the document's own keys: bounded, as every echoed value (issue 15 item 8).
    if len(path) > 200:
        path = path[:197] + "..."
    raise InputError(f"{message} at {path}", sqlstate=sqlstate, hint=hint)


def _show(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key(path, key):
    """JSONPath of member key of path: dotted when the key is an identifier, bracketed otherwise."""
    return f"{path}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{path}['{key}']"


def _type_name(value):
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _obj(value, path, hint):
    if not isinstance(value, dict):
        _fail(f"expected a JSON object, got {_type_name(value)}", path, hint)
    return value


def _array(value, path, hint, non_empty=True):
    if not isinstance(value, list):
        _fail(f"expected a JSON array, got {_type_name(value)}", path, hint)
    if non_empty and not value:
        _fail("expected a non-empty array", path, hint)
    return value


def _text(value, path, hint):
    if not isinstance(value, str):
        _fail(f"expected a string, got {_type_name(value)}", path, hint)
    if not value.strip():
        _fail("expected a non-empty string", path, hint)
    return value


def _required(container, key, path, hint):
    """container[key], failing when it is absent or null."""
    value = container.get(key)
    if value is None:
        _fail("missing required field", _key(path, key), hint)
    return value


def _optional_text(container, key, path, hint):
    """A non-empty string, or None when absent or null (generators differ on emitting null)."""
    value = container.get(key)
    return None if value is None else _text(value, _key(path, key), hint)


def _optional_array(container, key, path, hint):
    value = container.get(key)
    return [] if value is None else _array(value, _key(path, key), hint, non_empty=False)


def timestamp(value, path="timestamp"):
    """UTC RFC 3339 text 'YYYY-MM-DDTHH:MM:SS[.f]Z' of an RFC 3339 date-time with an offset.

    The fraction is carried as text (trailing zeros dropped), so nanoseconds survive;
    offsets are whole minutes, so converting to UTC never touches it.
    """
    if not isinstance(value, str):
        _fail(f"expected an RFC 3339 timestamp string, got {_type_name(value)}", path, _TIMESTAMP_HINT,
              INVALID_DATETIME)
    m = _RFC3339.fullmatch(value)
    if not m:
        _fail(f"invalid RFC 3339 timestamp {_show(value)}", path, _TIMESTAMP_HINT, INVALID_DATETIME)
    year, month, day, hour, minute, second = (int(g) for g in m.group(1, 2, 3, 4, 5, 6))
    if second == 60:
        _fail(f"leap second in timestamp {_show(value)}", path, "Give the instant as :59 or the next minute's :00.",
              INVALID_DATETIME)
    try:
        if m.group(8):
            offset = timedelta(0)
        else:
            oh, om = int(m.group(10)), int(m.group(11))
            if oh > 23 or om > 59:
                raise ValueError("offset out of range")
            offset = (1 if m.group(9) == "+" else -1) * timedelta(hours=oh, minutes=om)
        t = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset)).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        _fail(f"timestamp {_show(value)} is out of range", path, _TIMESTAMP_HINT, INVALID_DATETIME)
    fraction = (m.group(7) or "").rstrip("0")
    return (f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
            + (f".{fraction}" if fraction else "") + "Z")


def _optional_timestamp(container, key, path):
    value = container.get(key)
    return None if value is None else timestamp(value, _key(path, key))


def _defined(value, table):
    """value is a key of table (a JSON array or object is never one, and cannot be hashed)."""
    return isinstance(value, str) and value in table


def _vuln_id(value, path, hint):
    _text(value, path, hint)
    if len(value) > _MAX_VULN_ID or not _VULN_ID.fullmatch(value):
        _fail(f"invalid vulnerability id {_show(value)}", path,
              "Use a CVE or GHSA id, or another of at most 128 letters, digits and ._:- starting with a letter.")
    return value


def _product_key(value, path, hint):
    _text(value, path, hint)
    if len(value) > _MAX_PRODUCT_KEY:
        _fail(f"product identifier of {len(value)} characters is longer than {_MAX_PRODUCT_KEY}", path, hint)
    return value


def _observation(fmt, vuln_id, product, status, justification, impact, action, ts, supplier, native_status,
                 native_justification, fragment):
    statement = {"vulnerability": {"name": vuln_id}, "products": [{"@id": product}], "status": status, "timestamp": ts}
    for key, value in (("justification", justification), ("impact_statement", impact), ("action_statement", action)):
        if value is not None:
            statement[key] = value
    text = rfc8785.dumps(statement).decode("utf-8")
    return {
        "vulnerability_id": vuln_id, "product_key": product, "status": status, "justification": justification,
        "impact_statement": impact, "action_statement": action, "timestamp": ts, "supplier": supplier,
        "native_status": native_status, "native_justification": native_justification, "source_format": fmt,
        "statement": text, "content_id": "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "source": rfc8785.dumps(fragment).decode("utf-8"),
    }


# --- OpenVEX ---------------------------------------------------------------------------

_OPENVEX_HINT = "See the OpenVEX v0.2.0 specification (https://github.com/openvex/spec)."
_OPENVEX_FIELDS = {"not_affected": ("justification", "impact_statement"), "affected": ("action_statement",),
                   "fixed": (), "under_investigation": ()}


def _openvex_vulnerability(st, path):
    vuln = _required(st, "vulnerability", path, "Name the vulnerability: {\"name\": \"CVE-...\"}.")
    if isinstance(vuln, str):  # OpenVEX v0.0.x gave the id itself
        return _vuln_id(vuln, f"{path}.vulnerability", _OPENVEX_HINT)
    _obj(vuln, f"{path}.vulnerability", "Name the vulnerability: {\"name\": \"CVE-...\"}.")
    return _vuln_id(_required(vuln, "name", f"{path}.vulnerability", _OPENVEX_HINT), f"{path}.vulnerability.name",
                    _OPENVEX_HINT)


def _openvex_product(product, path):
    hint = "Identify each product by @id (a purl) or identifiers.purl."
    if isinstance(product, str):  # OpenVEX v0.0.x listed the ids themselves
        return _product_key(product, path, hint)
    _obj(product, path, hint)
    pid = _optional_text(product, "@id", path, hint)
    identifiers = product.get("identifiers")
    purl = None
    if identifiers is not None:
        purl = _optional_text(_obj(identifiers, f"{path}.identifiers", hint), "purl", f"{path}.identifiers", hint)
    if pid is not None and pid.startswith("pkg:"):
        return _product_key(pid, _key(path, "@id"), hint)
    if purl is not None:
        return _product_key(purl, f"{path}.identifiers.purl", hint)
    if pid is not None:
        return _product_key(pid, _key(path, "@id"), hint)
    _fail("product has neither @id nor identifiers.purl", path, hint)


def _openvex_statement(st, path, inherited_ts):
    st = _obj(st, path, _OPENVEX_HINT)
    vuln_id = _openvex_vulnerability(st, path)
    status = _required(st, "status", path, f"Use one of {', '.join(STATUSES)}.")
    if status not in STATUSES:
        _fail(f"invalid status {_show(status)}", f"{path}.status", f"Use one of {', '.join(STATUSES)}.")
    justification = st.get("justification")
    if justification is not None and justification not in JUSTIFICATIONS:
        _fail(f"invalid justification {_show(justification)}", f"{path}.justification",
              f"Use one of {', '.join(JUSTIFICATIONS)}.")
    fields = {"justification": justification,
              "impact_statement": _optional_text(st, "impact_statement", path, _OPENVEX_HINT),
              "action_statement": _optional_text(st, "action_statement", path, _OPENVEX_HINT)}
    for name, value in fields.items():
        if value is not None and name not in _OPENVEX_FIELDS[status]:
            _fail(f"{name} does not belong with status {status}", f"{path}.{name}",
                  "OpenVEX gives justification and impact_statement to not_affected, action_statement to affected.")
    if status == "not_affected" and justification is None and fields["impact_statement"] is None:
        _fail("a not_affected statement needs a justification or an impact_statement", path,
              "Say why the products are not affected.")
    if status == "affected" and fields["action_statement"] is None:
        _fail("an affected statement needs an action_statement", path, "Say what users should do.")
    ts = _optional_timestamp(st, "timestamp", path) or inherited_ts  # the statement's own, else cascaded
    if ts is None:
        _fail("statement has no timestamp and none to inherit", f"{path}.timestamp", _OPENVEX_HINT)
    for name in ("last_updated", "action_statement_timestamp"):
        _optional_timestamp(st, name, path)
    supplier = _optional_text(st, "supplier", path, _OPENVEX_HINT)
    products = _array(_required(st, "products", path, "List the products as [{\"@id\": purl}]."), f"{path}.products",
                      "List the products as [{\"@id\": purl}].")
    out, seen = [], set()
    for i, product in enumerate(products):
        key = _openvex_product(product, f"{path}.products[{i}]")
        if key not in seen:  # the same product twice says the same thing once
            seen.add(key)
            out.append(_observation("openvex", vuln_id, key, status, justification, fields["impact_statement"],
                                    fields["action_statement"], ts, supplier, status, justification, st))
    return out


def parse_openvex(text):
    """Observations of an OpenVEX document (JSON text)."""
    doc = _obj(canonical.parse(text), "$", _OPENVEX_HINT)
    context = _required(doc, "@context", "$", "OpenVEX documents use https://openvex.dev/ns/v0.2.0.")
    if not isinstance(context, str) or not context.startswith("https://openvex.dev/ns"):
        _fail(f"@context {_show(context)} is not OpenVEX's", "$['@context']",
              "OpenVEX documents use https://openvex.dev/ns/v0.2.0.")
    _text(_required(doc, "@id", "$", _OPENVEX_HINT), "$['@id']", _OPENVEX_HINT)
    _text(_required(doc, "author", "$", _OPENVEX_HINT), "$.author", _OPENVEX_HINT)
    version = _required(doc, "version", "$", _OPENVEX_HINT)
    # v0.2.0 has an integer; v0.0.x documents wrote it as a string of digits. Sixteen at
    # most, as for JSON integers (canonical.parse): int() refuses more than 4,300 digits
    # with a ValueError, an untyped XX000 in the database.
    if isinstance(version, str) and version.isascii() and version.isdigit() and len(version) <= 16:
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        _fail(f"version must be an integer of at least 1, got {_show(version)}", "$.version", _OPENVEX_HINT)
    doc_ts = timestamp(_required(doc, "timestamp", "$", _OPENVEX_HINT), "$.timestamp")
    _optional_timestamp(doc, "last_updated", "$")
    statements = _array(_required(doc, "statements", "$", _OPENVEX_HINT), "$.statements", _OPENVEX_HINT)
    out = []
    for i, st in enumerate(statements):
        out.extend(_openvex_statement(st, f"$.statements[{i}]", doc_ts))
    return out


def normalize_statement(text, default_timestamp=None):
    """Observations (one per product) of one OpenVEX statement (JSON text).

    default_timestamp (RFC 3339 text) stands in for the statement's own when it has none.
    """
    inherited = None if default_timestamp is None else timestamp(default_timestamp, "default_timestamp")
    return _openvex_statement(canonical.parse(text), "$", inherited)


# --- CSAF 2.0, profile VEX -----------------------------------------------------------

_CSAF_HINT = "See CSAF 2.0 section 4.5 (profile VEX) and section 3 for the document's required fields."
_CSAF_CATEGORIES = ("first_affected", "first_fixed", "fixed", "known_affected", "known_not_affected", "last_affected",
                    "recommended", "under_investigation")
_CSAF_VEX_CATEGORIES = ("fixed", "known_affected", "known_not_affected", "under_investigation")
_CSAF_TRACKING_STATUSES = ("draft", "final", "interim")
_CSAF_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.ASCII)  # the CSAF schema's pattern for cve
_CSAF_REMEDIATIONS = ("mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround")


def _csaf_product_tree(tree):
    """({product_id: product_key}, {group_id: [product_id]}) of the product tree."""
    products = {}

    def define(fpn, path):
        fpn = _obj(fpn, path, _CSAF_HINT)
        pid = _text(_required(fpn, "product_id", path, _CSAF_HINT), f"{path}.product_id", _CSAF_HINT)
        if pid in products:
            _fail(f"product_id {_show(pid)} is defined twice", f"{path}.product_id", "Define each product once (6.1.2).")
        key = pid
        helper = fpn.get("product_identification_helper")
        if helper is not None:
            hpath = f"{path}.product_identification_helper"
            purl = _optional_text(_obj(helper, hpath, _CSAF_HINT), "purl", hpath, _CSAF_HINT)
            if purl is not None:
                if not purl.startswith("pkg:"):
                    _fail(f"purl {_show(purl)} does not start with 'pkg:'", f"{hpath}.purl", "Give a package URL.")
                key = purl
        products[pid] = _product_key(key, path, _CSAF_HINT)

    # Branches nest arbitrarily deep: walk them with a stack, not recursion.
    stack = [(b, f"$.product_tree.branches[{i}]")
             for i, b in enumerate(_optional_array(tree, "branches", "$.product_tree", _CSAF_HINT))]
    while stack:
        branch, path = stack.pop()
        branch = _obj(branch, path, _CSAF_HINT)
        if branch.get("product") is not None:
            define(branch["product"], f"{path}.product")
        stack.extend((b, f"{path}.branches[{i}]")
                     for i, b in enumerate(_optional_array(branch, "branches", path, _CSAF_HINT)))
    for i, fpn in enumerate(_optional_array(tree, "full_product_names", "$.product_tree", _CSAF_HINT)):
        define(fpn, f"$.product_tree.full_product_names[{i}]")
    relationships = _optional_array(tree, "relationships", "$.product_tree", _CSAF_HINT)
    for i, rel in enumerate(relationships):
        path = f"$.product_tree.relationships[{i}]"
        define(_required(_obj(rel, path, _CSAF_HINT), "full_product_name", path, _CSAF_HINT),
               f"{path}.full_product_name")
    for i, rel in enumerate(relationships):  # references may point at products defined later
        path = f"$.product_tree.relationships[{i}]"
        for name in ("product_reference", "relates_to_product_reference"):
            ref = _required(rel, name, path, _CSAF_HINT)
            if not _defined(ref, products):
                _fail(f"{name} {_show(ref)} is not a product in the product tree", f"{path}.{name}",
                      "Define every referenced product (6.1.1).")
    groups = {}
    for i, group in enumerate(_optional_array(tree, "product_groups", "$.product_tree", _CSAF_HINT)):
        path = f"$.product_tree.product_groups[{i}]"
        group = _obj(group, path, _CSAF_HINT)
        gid = _text(_required(group, "group_id", path, _CSAF_HINT), f"{path}.group_id", _CSAF_HINT)
        if gid in groups:
            _fail(f"group_id {_show(gid)} is defined twice", f"{path}.group_id", "Define each group once (6.1.5).")
        groups[gid] = _csaf_ids(_required(group, "product_ids", path, _CSAF_HINT), f"{path}.product_ids", products)
    return products, groups


def _csaf_ids(ids, path, products):
    """The product ids of a list, each defined in the product tree."""
    out = []
    for i, pid in enumerate(_array(ids, path, _CSAF_HINT)):
        if not _defined(pid, products):
            _fail(f"product {_show(pid)} is not in the product tree", f"{path}[{i}]",
                  "Declare every product in product_tree (6.1.1).")
        out.append(pid)
    return out


def _csaf_refs(item, path, products, groups):
    """Product ids an object names through product_ids and group_ids."""
    ids = []
    if item.get("product_ids") is not None:
        ids.extend(_csaf_ids(item["product_ids"], f"{path}.product_ids", products))
    for i, gid in enumerate(_optional_array(item, "group_ids", path, _CSAF_HINT)):
        if not _defined(gid, groups):
            _fail(f"product group {_show(gid)} is not in the product tree", f"{path}.group_ids[{i}]",
                  "Declare every group in product_tree.product_groups (6.1.4).")
        ids.extend(groups[gid])
    return ids


def _csaf_vuln_id(vuln, path):
    if vuln.get("cve") is not None:
        cve = _vuln_id(vuln["cve"], f"{path}.cve", _CSAF_HINT)
        if not _CSAF_CVE.fullmatch(cve):
            _fail(f"cve {_show(cve)} is not a CVE id", f"{path}.cve", "Put other ids in ids [{system_name, text}].")
        return cve
    if vuln.get("ids") is None:
        _fail("vulnerability has neither cve nor ids", path, "Give the CVE, or ids [{system_name, text}] (section 4.5).")
    first = _obj(_array(vuln["ids"], f"{path}.ids", _CSAF_HINT)[0], f"{path}.ids[0]", _CSAF_HINT)
    return _vuln_id(_required(first, "text", f"{path}.ids[0]", _CSAF_HINT), f"{path}.ids[0].text", _CSAF_HINT)


def _csaf_details(items, path, products, groups, keep, allowed=None):
    """{product_id: [details]} of flags-like objects; keep(item) says which count."""
    found = {}
    for i, item in enumerate(items):
        ipath = f"{path}[{i}]"
        item = _obj(item, ipath, _CSAF_HINT)
        category = _text(_required(item, "category", ipath, _CSAF_HINT), f"{ipath}.category", _CSAF_HINT)
        if allowed and category not in allowed:
            _fail(f"invalid category {_show(category)}", f"{ipath}.category", f"Use one of {', '.join(allowed)}.")
        details = _text(_required(item, "details", ipath, _CSAF_HINT), f"{ipath}.details", _CSAF_HINT)
        if keep(item):
            for pid in _csaf_refs(item, ipath, products, groups):
                if details not in found.setdefault(pid, []):
                    found[pid].append(details)
    return found


def _csaf_flags(items, path, products, groups):
    """{product_id: label}: at most one justification flag per product (6.1.33)."""
    labels = {}
    for i, flag in enumerate(items):
        fpath = f"{path}[{i}]"
        flag = _obj(flag, fpath, _CSAF_HINT)
        label = _required(flag, "label", fpath, _CSAF_HINT)
        if label not in JUSTIFICATIONS:
            _fail(f"invalid flag label {_show(label)}", f"{fpath}.label", f"Use one of {', '.join(JUSTIFICATIONS)}.")
        ids = _csaf_refs(flag, fpath, products, groups)
        if not ids:
            _fail("flag names no product", fpath, "Give the flag product_ids or group_ids (6.1.32).")
        for pid in ids:
            if labels.setdefault(pid, label) != label:
                _fail(f"product {_show(pid)} has two justification flags", fpath,
                      "Give each product at most one flag per vulnerability (6.1.33).")
    return labels


def parse_csaf_vex(text):
    """Observations of a CSAF 2.0 document of profile VEX (JSON text)."""
    doc = _obj(canonical.parse(text), "$", _CSAF_HINT)
    meta = _obj(_required(doc, "document", "$", _CSAF_HINT), "$.document", _CSAF_HINT)
    category = _required(meta, "category", "$.document", _CSAF_HINT)
    if category != "csaf_vex":
        _fail(f"document category {_show(category)} is not 'csaf_vex'", "$.document.category",
              "Only the VEX profile (category csaf_vex) carries VEX statements.")
    version = _required(meta, "csaf_version", "$.document", _CSAF_HINT)
    if version != "2.0":
        _fail(f"csaf_version {_show(version)} is not '2.0'", "$.document.csaf_version", _CSAF_HINT)
    _text(_required(meta, "title", "$.document", _CSAF_HINT), "$.document.title", _CSAF_HINT)
    publisher = _obj(_required(meta, "publisher", "$.document", _CSAF_HINT), "$.document.publisher", _CSAF_HINT)
    for name in ("category", "namespace"):
        _text(_required(publisher, name, "$.document.publisher", _CSAF_HINT), f"$.document.publisher.{name}", _CSAF_HINT)
    supplier = _text(_required(publisher, "name", "$.document.publisher", _CSAF_HINT), "$.document.publisher.name",
                     _CSAF_HINT)
    tpath = "$.document.tracking"
    tracking = _obj(_required(meta, "tracking", "$.document", _CSAF_HINT), tpath, _CSAF_HINT)
    _text(_required(tracking, "id", tpath, _CSAF_HINT), f"{tpath}.id", _CSAF_HINT)
    _text(_required(tracking, "version", tpath, _CSAF_HINT), f"{tpath}.version", _CSAF_HINT)
    if _required(tracking, "status", tpath, _CSAF_HINT) not in _CSAF_TRACKING_STATUSES:
        _fail(f"invalid tracking status {_show(tracking['status'])}", f"{tpath}.status",
              f"Use one of {', '.join(_CSAF_TRACKING_STATUSES)}.")
    _array(_required(tracking, "revision_history", tpath, _CSAF_HINT), f"{tpath}.revision_history", _CSAF_HINT)
    timestamp(_required(tracking, "initial_release_date", tpath, _CSAF_HINT), f"{tpath}.initial_release_date")
    ts = timestamp(_required(tracking, "current_release_date", tpath, _CSAF_HINT), f"{tpath}.current_release_date")
    products, groups = _csaf_product_tree(
        _obj(_required(doc, "product_tree", "$", _CSAF_HINT), "$.product_tree", _CSAF_HINT))

    out = []
    for v, vuln in enumerate(_array(_required(doc, "vulnerabilities", "$", _CSAF_HINT), "$.vulnerabilities",
                                    _CSAF_HINT)):
        path = f"$.vulnerabilities[{v}]"
        vuln = _obj(vuln, path, _CSAF_HINT)
        vuln_id = _csaf_vuln_id(vuln, path)
        _array(_required(vuln, "notes", path, "Describe the vulnerability in notes (section 4.5)."), f"{path}.notes",
               _CSAF_HINT)
        spath = f"{path}.product_status"
        status_map = _obj(_required(vuln, "product_status", path, _CSAF_HINT), spath, _CSAF_HINT)
        for native in status_map:
            if native not in _CSAF_CATEGORIES:
                _fail(f"unknown product status category {_show(native)}", _key(spath, native),
                      f"Use {', '.join(_CSAF_CATEGORIES)}.")
        if not any(status_map.get(k) for k in _CSAF_VEX_CATEGORIES):
            _fail("product_status lists none of fixed, known_affected, known_not_affected, under_investigation", spath,
                  "The VEX profile needs at least one of them (section 4.5).")
        flags = _csaf_flags(_optional_array(vuln, "flags", path, _CSAF_HINT), f"{path}.flags", products, groups)
        impacts = _csaf_details(_optional_array(vuln, "threats", path, _CSAF_HINT), f"{path}.threats", products, groups,
                                keep=lambda t: t["category"] == "impact")
        remediations = _csaf_details(_optional_array(vuln, "remediations", path, _CSAF_HINT), f"{path}.remediations",
                                     products, groups, keep=lambda r: True, allowed=_CSAF_REMEDIATIONS)
        seen = {}  # product_id -> normalized status, for 6.1.6
        for native, ids in status_map.items():
            ids = _csaf_ids(ids, f"{spath}.{native}", products)
            mapping = _MAP.get(("csaf", "status", native))
            if mapping is None:
                continue  # 'recommended': checked above for defined products, but not a VEX status
            status = mapping["status"]
            for i, pid in enumerate(ids):
                ppath = f"{spath}.{native}[{i}]"
                if pid in seen:
                    if seen[pid] != status:
                        _fail(f"product {_show(pid)} is both {seen[pid]} and {status}", ppath,
                              "Give each product one status group per vulnerability (6.1.6).")
                    continue  # e.g. first_affected and known_affected: one observation
                seen[pid] = status
                justification = impact = action = None
                if status == "not_affected":
                    justification = flags.get(pid)
                    impact = "\n".join(impacts[pid]) if pid in impacts else None
                    if justification is None and impact is None:
                        _fail(f"{native} product {_show(pid)} has neither a flag nor an impact threat", ppath,
                              "Name it in a flag (justification label) or a threat of category impact (section 4.5).")
                elif status == "affected":
                    if pid not in remediations:
                        _fail(f"{native} product {_show(pid)} has no remediation", ppath,
                              "Name it in a remediation: its details are the action statement (section 4.5).")
                    action = "\n".join(remediations[pid])
                out.append(_observation("csaf", vuln_id, products[pid], status, justification, impact, action, ts,
                                        supplier, native, justification, vuln))
    return out


# --- CycloneDX -----------------------------------------------------------------------

_CDX_HINT = "See CycloneDX 1.5 vulnerabilities[].analysis (https://cyclonedx.org/docs/1.5/json/)."
_CDX_SPEC_VERSIONS = ("1.4", "1.5", "1.6")


def _cdx_refs(doc, metadata):
    """{bom-ref: purl or None} over components (nested), metadata.component and services."""
    refs = {}
    stack = [(c, f"$.components[{i}]") for i, c in enumerate(_optional_array(doc, "components", "$", _CDX_HINT))]
    stack += [(s, f"$.services[{i}]") for i, s in enumerate(_optional_array(doc, "services", "$", _CDX_HINT))]
    if metadata.get("component") is not None:
        stack.append((metadata["component"], "$.metadata.component"))
    while stack:  # components nest arbitrarily deep: a stack, not recursion
        item, path = stack.pop()
        item = _obj(item, path, _CDX_HINT)
        ref = item.get("bom-ref")
        if ref is not None:
            _text(ref, _key(path, "bom-ref"), _CDX_HINT)
            if ref in refs:
                _fail(f"bom-ref {_show(ref)} is used twice", _key(path, "bom-ref"), "bom-ref values must be unique.")
            refs[ref] = _optional_text(item, "purl", path, _CDX_HINT)
        for nested in ("components", "services"):
            stack.extend((c, f"{path}.{nested}[{i}]") for i, c in enumerate(_optional_array(item, nested, path, _CDX_HINT)))
    return refs


def _cdx_product(ref, refs, path):
    hint = "Point affects[].ref at the bom-ref of a component that has a purl."
    target = ref
    if ref.startswith("urn:cdx:") and "#" in ref:  # BOM-Link: urn:cdx:serial/version#bom-ref
        target = unquote(ref.split("#", 1)[1])
    if target in refs:
        if refs[target] is None:
            _fail(f"ref {_show(ref)} names a component without a purl", path, hint)
        return _product_key(refs[target], path, hint)
    if target.startswith("pkg:"):
        return _product_key(target, path, hint)
    _fail(f"ref {_show(ref)} names no component of the BOM", path, hint)


def parse_cyclonedx_vex(text):
    """Observations of a CycloneDX 1.4-1.6 BOM's vulnerabilities[].analysis (JSON text)."""
    doc = _obj(canonical.parse(text), "$", _CDX_HINT)
    if _required(doc, "bomFormat", "$", _CDX_HINT) != "CycloneDX":
        _fail(f"bomFormat {_show(doc['bomFormat'])} is not 'CycloneDX'", "$.bomFormat", _CDX_HINT)
    if _required(doc, "specVersion", "$", _CDX_HINT) not in _CDX_SPEC_VERSIONS:
        _fail(f"specVersion {_show(doc['specVersion'])} is not 1.4, 1.5 or 1.6", "$.specVersion",
              "CycloneDX VEX (analysis with justification and response) needs specVersion 1.4 to 1.6.")
    metadata = doc.get("metadata")
    metadata = {} if metadata is None else _obj(metadata, "$.metadata", _CDX_HINT)
    doc_ts = _optional_timestamp(metadata, "timestamp", "$.metadata")
    supplier = None
    if metadata.get("supplier") is not None:
        supplier = _optional_text(_obj(metadata["supplier"], "$.metadata.supplier", _CDX_HINT), "name",
                                  "$.metadata.supplier", _CDX_HINT)
    refs = _cdx_refs(doc, metadata)

    out = []
    for v, vuln in enumerate(_array(_required(doc, "vulnerabilities", "$", _CDX_HINT), "$.vulnerabilities", _CDX_HINT)):
        path = f"$.vulnerabilities[{v}]"
        vuln = _obj(vuln, path, _CDX_HINT)
        vuln_id = _vuln_id(_required(vuln, "id", path, _CDX_HINT), f"{path}.id", _CDX_HINT)
        apath = f"{path}.analysis"
        analysis = _obj(_required(vuln, "analysis", path, "Give the VEX verdict in analysis.state."), apath, _CDX_HINT)
        state = _required(analysis, "state", apath, _CDX_HINT)
        mapping = _MAP.get(("cyclonedx", "status", state)) if isinstance(state, str) else None
        if mapping is None:
            _fail(f"invalid analysis.state {_show(state)}", f"{apath}.state",
                  "Use not_affected, false_positive, exploitable, resolved, resolved_with_pedigree or in_triage.")
        status = mapping["status"]
        native_just = analysis.get("justification")
        jmap = None
        if native_just is not None:
            jmap = _MAP.get(("cyclonedx", "justification", native_just)) if isinstance(native_just, str) else None
            if jmap is None:
                _fail(f"invalid analysis.justification {_show(native_just)}", f"{apath}.justification",
                      "Use one of " + ", ".join(m["native"] for m in MAPPINGS
                                                if m["format"] == "cyclonedx" and m["field"] == "justification") + ".")
        detail = _optional_text(analysis, "detail", apath, _CDX_HINT)
        actions = [a for a in (_optional_text(vuln, "recommendation", path, _CDX_HINT),
                               _optional_text(vuln, "workaround", path, _CDX_HINT)) if a is not None]
        justification = impact = action = None
        if status == "not_affected":
            justification = jmap["justification"] if jmap else mapping["justification"]  # false_positive's default
            impact = detail
            if justification is None and impact is None:
                _fail("a not_affected analysis needs a justification or a detail", apath,
                      "Say why the component is not affected.")
        elif status == "affected":
            if not actions:
                _fail("an exploitable vulnerability needs a recommendation or a workaround", path,
                      "Say what users should do.")
            action = "\n".join(actions)
        last_updated = _optional_timestamp(analysis, "lastUpdated", apath)
        first_issued = _optional_timestamp(analysis, "firstIssued", apath)
        ts = last_updated or first_issued or doc_ts
        if ts is None:
            _fail("no timestamp: analysis.lastUpdated, analysis.firstIssued and metadata.timestamp are all absent", apath,
                  _CDX_HINT)
        seen = set()
        for i, affect in enumerate(_array(_required(vuln, "affects", path, _CDX_HINT), f"{path}.affects", _CDX_HINT)):
            fpath = f"{path}.affects[{i}]"
            ref = _text(_required(_obj(affect, fpath, _CDX_HINT), "ref", fpath, _CDX_HINT), f"{fpath}.ref", _CDX_HINT)
            product = _cdx_product(ref, refs, f"{fpath}.ref")
            if product not in seen:
                seen.add(product)
                out.append(_observation("cyclonedx", vuln_id, product, status, justification, impact, action, ts,
                                        supplier, state, native_just if status == "not_affected" else None, vuln))
    return out


PARSERS = {"openvex": parse_openvex, "csaf": parse_csaf_vex, "cyclonedx": parse_cyclonedx_vex}


def parse(fmt, text):
    """Observations of a document in format fmt ('openvex', 'csaf' or 'cyclonedx')."""
    if not _defined(fmt, PARSERS):
        raise InputError(f"unknown VEX format {_show(fmt)}", hint="Use openvex, csaf or cyclonedx.")
    return PARSERS[fmt](text)


def verdict_id(text):
    """'sha256:' + hex SHA-256 of the RFC 8785 form of a JSON statement: key order and whitespace do not matter."""
    return canonical.content_id(text)
