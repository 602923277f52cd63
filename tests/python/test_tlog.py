"""verify_tlog_entry on every real Sigstore bundle, and on each of them tampered with."""

import base64
import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pgattest import tlog
from pgattest.errors import INVALID_PARAMETER, INVALID_TEXT, NULL_NOT_ALLOWED, InputError

STAGING = {"bundle.txt.sigstore", "bundle_v3.txt.sigstore", "bundle_cve_2022_36056.txt.sigstore",
           "staging-rekor-v2.txt.sigstore.json", "a.dsse.staging-rekor-v2.txt.sigstore.json"}
BUNDLES = ["a.dsse.staging-rekor-v2.txt.sigstore.json", "bundle.txt.sigstore", "bundle_cve_2022_36056.txt.sigstore",
           "bundle_v3.txt.sigstore", "bundle_v3_github.whl.sigstore", "bundle_v3_no_signed_time.txt.sigstore.json",
           "integration__Python-3.12.5.tgz.sigstore", "staging-rekor-v2.txt.sigstore.json"]


def load(shared, name):
    folder = shared / "vectors" / "sigstore"
    entry = json.loads((folder / name).read_text())["verificationMaterial"]["tlogEntries"][0]
    root = (folder / ("staging_trusted_root.json" if name in STAGING else "prod_trusted_root.json")).read_text()
    return entry, root


def set_only(shared, name):
    """Whether the bundle's media type (v0.1) lets its entries go without a checkpointed proof."""
    return tlog.set_only_allowed(json.loads((shared / "vectors" / "sigstore" / name).read_text())["mediaType"])


def verify(entry, root, allow_set_only=False, at=None):
    return tlog.verify_tlog_entry(json.dumps(entry), root, allow_set_only, at)


def flip_b64(value, at=None):
    data = bytearray(base64.b64decode(value))
    data[len(data) // 2 if at is None else at] ^= 1
    return base64.b64encode(bytes(data)).decode()


def rejected(entry, root):
    """A tampered entry must never verify, whether SET-only entries are allowed or not:
    either verified false or a typed error."""
    for allow in (False, True):
        try:
            result = verify(entry, root, allow)
        except InputError:
            continue
        if not (result["verified"] is False and result["error"]):
            return False
    return True


def test_the_shared_bundles_are_all_here(shared):
    assert sorted(p.name for p in (shared / "vectors" / "sigstore").glob("*.sigstore*")) == sorted(BUNDLES)


@pytest.mark.parametrize("name", BUNDLES)
def test_real_bundle_verifies_with_its_trusted_root_only(shared, name):
    entry, root = load(shared, name)
    result = verify(entry, root, set_only(shared, name))
    assert result["verified"] is True, result
    if "checkpoint" in entry["inclusionProof"]:
        assert result["checks"]["inclusion_proof"] is True
    else:  # a v0.1 bundle's proof without a checkpoint: verified on the SET, the proof not
        assert set_only(shared, name) and result["checks"]["inclusion_proof"] is None
        assert result["checks"]["checkpoint_signature"] is None
    v2 = result["entry"]["kind_version"] == "0.0.2"
    assert (result["checks"]["signed_entry_timestamp"] is None) == ("inclusionPromise" not in entry)
    if v2:
        assert result["checks"]["checkpoint_signature"] is True
    if "inclusionPromise" not in entry:
        assert result["entry"]["integrated_time"] is None, "no SET: the integrated time is not vouched for"
    other = (shared / "vectors" / "sigstore" / ("prod_trusted_root.json" if name in STAGING else "staging_trusted_root.json")).read_text()
    wrong = verify(entry, other, set_only(shared, name))
    assert wrong["verified"] is False and wrong["checks"]["log_key_found"] is False


@pytest.mark.parametrize("name", BUNDLES)
def test_one_changed_byte_anywhere_fails(shared, name):
    entry, root = load(shared, name)
    proof = entry["inclusionProof"]
    mutations = {
        "body": lambda e: e.__setitem__("canonicalizedBody", flip_b64(e["canonicalizedBody"])),
        "proof hash": lambda e: e["inclusionProof"]["hashes"].__setitem__(0, flip_b64(e["inclusionProof"]["hashes"][0])),
        "root": lambda e: e["inclusionProof"].__setitem__("rootHash", flip_b64(e["inclusionProof"]["rootHash"])),
    }
    if "checkpoint" in proof:
        note = proof["checkpoint"]["envelope"]
        mutations["checkpoint text"] = lambda e: e["inclusionProof"]["checkpoint"].__setitem__(
            "envelope", note[:2] + chr(ord(note[2]) ^ 1) + note[3:])
        # The log's own line (witness cosignatures after it are from keys not in the root).
        sig_line = note.split("\n\n", 1)[1].split("\n")[0]
        name_part, sig = sig_line.rsplit(" ", 1)
        mutations["checkpoint signature"] = lambda e: e["inclusionProof"]["checkpoint"].__setitem__(
            "envelope", note.replace(sig_line, name_part + " " + flip_b64(sig, at=-1)))
    if "inclusionPromise" in entry:
        mutations["signed entry timestamp"] = lambda e: e["inclusionPromise"].__setitem__(
            "signedEntryTimestamp", flip_b64(e["inclusionPromise"]["signedEntryTimestamp"], at=-1))
    if entry.get("integratedTime") and "inclusionPromise" in entry:  # only a SET vouches for the time
        mutations["integrated time"] = lambda e: e.__setitem__("integratedTime", str(int(e["integratedTime"]) + 1))
    for label, mutate in mutations.items():
        tampered = copy.deepcopy(entry)
        mutate(tampered)
        assert rejected(tampered, root), f"{name}: a changed {label} still verifies"


def to_rest(entry):
    """The same entry in the Rekor v1 REST API form."""
    proof = entry["inclusionProof"]
    leaf = tlog.verify_tlog_entry(json.dumps(entry), json.dumps({"tlogs": []}))["entry"]["uuid"]
    return {leaf: {
        "body": entry["canonicalizedBody"], "integratedTime": int(entry["integratedTime"]),
        "logID": base64.b64decode(entry["logId"]["keyId"]).hex(), "logIndex": int(entry["logIndex"]),
        "verification": {
            "inclusionProof": {"checkpoint": proof.get("checkpoint", {}).get("envelope"),
                               "hashes": [base64.b64decode(h).hex() for h in proof["hashes"]],
                               "logIndex": int(proof["logIndex"]),
                               "rootHash": base64.b64decode(proof["rootHash"]).hex(),
                               "treeSize": int(proof["treeSize"])},
            "signedEntryTimestamp": entry["inclusionPromise"]["signedEntryTimestamp"]}}}


@pytest.mark.parametrize("name", ["bundle.txt.sigstore", "bundle_v3_github.whl.sigstore"])
def test_rest_api_form_verifies_and_checks_the_uuid(shared, name):
    entry, root = load(shared, name)
    rest = to_rest(entry)
    result = tlog.verify_tlog_entry(json.dumps(rest), root)
    assert result["verified"] is True and result["checks"]["leaf_hash"] is True, result
    inner = next(iter(rest.values()))
    wrong_uuid = {"ab" * 32: inner}
    assert tlog.verify_tlog_entry(json.dumps(wrong_uuid), root)["checks"]["leaf_hash"] is False
    assert tlog.verify_tlog_entry(json.dumps(inner), root)["verified"] is True, "the inner object alone works too"


@pytest.mark.parametrize("body,kind", [
    (b'{"kind": "hashedrekord", "apiVersion": "0.0.1"}', ("hashedrekord", "0.0.1")),
    (b'["kind"]', (None, None)), (b'"text"', (None, None)), (b"\xff not utf-8", (None, None)),
    (b"[" * 100000 + b"]" * 100000, (None, None)),  # nested past the parser's recursion limit
])
def test_an_entry_body_is_read_for_its_kind_or_left_without_one(shared, body, kind):
    entry, _ = load(shared, "bundle.txt.sigstore")
    entry["canonicalizedBody"] = base64.b64encode(body).decode()
    e = tlog.normalize_entry(entry)
    assert (e["kind"], e["kind_version"]) == kind
    assert e["doc"] == (json.loads(body) if kind[0] else None)


@pytest.mark.parametrize("bad,state", [
    ("not json", INVALID_TEXT), ("[]", INVALID_PARAMETER), ("{}", INVALID_PARAMETER),
    ('{"canonicalizedBody": "%%%", "logId": {"keyId": "AA=="}, "inclusionProof": {}}', INVALID_TEXT),
])
def test_malformed_entries_raise_typed_errors(bad, state):
    with pytest.raises(InputError) as exc:
        tlog.verify_tlog_entry(bad, '{"tlogs": []}')
    assert exc.value.sqlstate == state


@pytest.mark.parametrize("start,end", [("2020-01-01", None), (None, float("inf")), (float("nan"), None),
                                       (True, None), (None, [1]), (None, {"s": 1})])
def test_a_log_window_that_is_not_seconds_is_refused(shared, start, end):
    """A bound that is not a finite number would make the window check raise or pass."""
    log = next(iter(tlog.trusted_logs(load(shared, "bundle_v3.txt.sigstore")[1]).values()))
    assert tlog.trusted_log(log["der"], log["details"], log["name"], 0, 2**40)["end"] == 2**40
    with pytest.raises(InputError) as exc:
        tlog.trusted_log(log["der"], log["details"], log["name"], start, end, "log x")
    assert exc.value.sqlstate == INVALID_PARAMETER and "log x has a validity" in str(exc.value)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=16), c, max_size=6),
                    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(entry=JSON, root=JSON)
def test_garbage_gives_a_verdict_or_a_typed_error(entry, root):
    try:
        result = tlog.verify_tlog_entry(json.dumps(entry), json.dumps(root))
    except InputError:
        return
    assert result["verified"] is False


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_mutated_real_entry_fields_never_verify(shared, data):
    entry, root = load(shared, "bundle_v3.txt.sigstore")
    path = data.draw(st.sampled_from([("logIndex",), ("inclusionProof", "logIndex"), ("inclusionProof", "treeSize")]))
    value = data.draw(st.one_of(st.integers(-5, 2 ** 64).map(str), st.text(max_size=5)))
    target = entry
    for key in path[:-1]:
        target = target[key]
    if str(target[path[-1]]) == value:
        return
    target[path[-1]] = value
    assert rejected(entry, root)


# --- The completion's verifier: typed items (as PL/Python passes _pgattest.completion_item) --

def completion_of(shared, name="a.dsse.staging-rekor-v2.txt.sigstore.json"):
    """One item and the logs argument, as _pgattest.complete_claimed passes them, from a DSSE bundle."""
    bundle = json.loads((shared / "vectors" / "sigstore" / name).read_text())
    entry = bundle["verificationMaterial"]["tlogEntries"][0]
    env = bundle["dsseEnvelope"]
    log_id = base64.b64decode(entry["logId"]["keyId"]).hex()
    root = json.loads((shared / "vectors" / "sigstore" / "staging_trusted_root.json").read_text())
    log = tlog.logs_of_root(root)[bytes.fromhex(log_id)]
    logs = json.dumps({log_id: {"name": log["name"], "der": log["der"].hex(), "details": log["details"],
                                "start": int(log["start"]), "end": log["end"]}})
    item = {"submission_id": "00000000-0000-0000-0000-000000000001", "tenant_id": "t", "envelope_id": None,
            "log_id": log_id, "tlog_entry": json.dumps(entry), "payload_type": env["payloadType"],
            "payload": base64.b64decode(env["payload"]),
            "signatures": json.dumps([{"keyid": s.get("keyid", ""), "sig": s["sig"]} for s in env["signatures"]])}
    return item, logs


def test_completion_items_verify_and_come_back_keyed_by_submission(shared):
    from pgattest import rekor
    item, logs = completion_of(shared)
    other = dict(item, submission_id="00000000-0000-0000-0000-000000000002")
    rows = rekor.verify_stored_completions([item, other], logs)
    assert [r[0] for r in rows] == [item["submission_id"], other["submission_id"]]
    assert rows[0][1:] == rows[1][1:], "the same entry verifies alike for both items"
    assert rows[0][6:8] == ("hashedrekord", "0.0.2") and rows[0][14] is not None  # kind, version, checkpoint
    assert rekor.verify_stored_completions([], logs) == []


def test_completion_items_fail_in_order_and_typed(shared):
    from pgattest import rekor
    item, logs = completion_of(shared)
    sid = item["submission_id"]
    cases = [
        ([None], NULL_NOT_ALLOWED, "completion item 1 is NULL"),
        ([dict(item, payload=item["payload"] + b" ")], INVALID_PARAMETER, f"submission {sid} records another envelope"),
        ([dict(item, signatures="[]")], INVALID_PARAMETER, f"the stored envelope of submission {sid} is unreadable"),
        ([dict(item, payload_type=None)], INVALID_PARAMETER, f"the stored envelope of submission {sid} is unreadable"),
        ([dict(item, tlog_entry="{")], INVALID_TEXT, f"the log entry for submission {sid} is malformed"),
        ([dict(item, log_id="00" * 32)], INVALID_PARAMETER, "check log_key_found failed"),
        # The entry is checked before the envelope is read: the first failure named is the entry's.
        ([dict(item, log_id="00" * 32, signatures="[]")], INVALID_PARAMETER, "check log_key_found failed"),
        ([item, dict(item, submission_id="s2", payload=b"")], INVALID_PARAMETER, "submission s2 records another envelope"),
    ]
    for items, state, says in cases:
        with pytest.raises(InputError) as exc:
            rekor.verify_stored_completions(items, logs)
        assert exc.value.sqlstate == state and says in exc.value.message, (items, exc.value.message)


@pytest.mark.parametrize("logs", ["{", "[]", '{"ab": 1}', '{"ab": {"der": "zz"}}', '{"ab": {"der": "00"}}', "7",
                                  '{"ab": {"der": "00", "details": 1, "name": 2, "start": 3}}'])
def test_a_malformed_registered_logs_argument_is_bad_input_not_an_internal_error(shared, logs):
    """The logs argument is attestor.complete_submissions' own, but the function can be called
    alone: anything that is not that object is 22023 (it was an XX000: JSONDecodeError,
    KeyError, TypeError, AttributeError escaping)."""
    from pgattest import rekor
    item, _ = completion_of(shared)
    with pytest.raises(InputError) as exc:
        rekor.verify_stored_completions([item], logs)
    assert exc.value.sqlstate == INVALID_PARAMETER, exc.value.message
    assert exc.value.hint
