"""Issue 14: verification agrees with sigstore-go on what binds a proof to its log.

Entries are built here with keys of our own (a Rekor v1 ECDSA log, a Rekor v2 Ed25519 log)
where the shared bundles cannot show a behaviour, and the shared bundles are mutated where
they can. Each test fails without the behaviour it names.
"""

import base64
import copy
import datetime
import hashlib
import json

import pytest
import rfc8785
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from pgattest import merkle, note, tlog
from pgattest.errors import INVALID_DATETIME, INVALID_PARAMETER, InputError

SIGSTORE = "vectors/sigstore"
T = 1_750_000_000  # the integrated time of the entries built here


def b64(data):
    return base64.b64encode(data).decode()


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Log:
    """A log of two leaves (ours at index 1) that signs checkpoints and SETs."""

    def __init__(self, v2=False, base_url="http://localhost:8000", sig_name=None, origin=None, tree_id=42):
        self.v2 = v2
        self.base_url = base_url
        host = base_url.split("://", 1)[1].split("/")[0]
        if v2:
            self.key = ed25519.Ed25519PrivateKey.generate()
            raw = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self.name = host.split(":")[0]
            self.log_id = hashlib.sha256(self.name.encode() + b"\n\x01" + raw).digest()
            self.key_id = note.key_id_ed25519(sig_name or self.name, raw)
            self.origin = origin or self.name
        else:
            self.key = ec.generate_private_key(ec.SECP256R1())
            self.log_id = hashlib.sha256(self.der).digest()
            self.key_id = self.log_id[:4]
            self.origin = origin or f"{host} - {tree_id}"
        self.sig_name = sig_name or host

    @property
    def der(self):
        return self.key.public_key().public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data):
        return self.key.sign(data) if self.v2 else self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def checkpoint(self, size, root, origin=None):
        text = f"{origin or self.origin}\n{size}\n{b64(root)}\n"
        return text + f"\n\u2014 {self.sig_name} {b64(self.key_id + self.sign(text.encode()))}\n"

    def root(self, start=None, end=None):
        valid = {"start": rfc3339(start if start is not None else T - 86400)}
        if end is not None:
            valid["end"] = rfc3339(end)
        return json.dumps({"tlogs": [{
            "baseUrl": self.base_url, "hashAlgorithm": "SHA2_256", "logId": {"keyId": b64(self.log_id)},
            "publicKey": {"rawBytes": b64(self.der), "validFor": valid,
                          "keyDetails": "PKIX_ED25519" if self.v2 else "PKIX_ECDSA_P256_SHA_256"}}]})

    def entry(self, body=b'{"kind":"hashedrekord","apiVersion":"0.0.1"}', log_index=None, set_=True, proof=True,
              checkpoint=True):
        other = merkle.leaf_hash(b"the first leaf")
        leaf = merkle.leaf_hash(body)
        root = merkle.node_hash(other, leaf)
        log_index = (1 if self.v2 else 1001) if log_index is None else log_index
        e = {"logIndex": str(log_index), "logId": {"keyId": b64(self.log_id)},
             "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"}, "canonicalizedBody": b64(body)}
        if proof:
            e["inclusionProof"] = {"logIndex": "1", "rootHash": b64(root), "treeSize": "2", "hashes": [b64(other)]}
            if checkpoint:
                e["inclusionProof"]["checkpoint"] = {"envelope": self.checkpoint(2, root)}
        if set_ and not self.v2:
            e["integratedTime"] = str(T)
            payload = rfc8785.dumps({"body": b64(body), "integratedTime": T, "logID": self.log_id.hex(),
                                     "logIndex": log_index})
            e["inclusionPromise"] = {"signedEntryTimestamp": b64(self.sign(payload))}
        return e


def verify(entry, root, allow_set_only=False, at=None):
    return tlog.verify_tlog_entry(json.dumps(entry), root, allow_set_only, at)


def real(shared, name, root="staging_trusted_root.json"):
    bundle = json.loads((shared / SIGSTORE / name).read_text())
    return bundle["verificationMaterial"]["tlogEntries"][0], (shared / SIGSTORE / root).read_text()


# --- 1. Rekor v1 checkpoints: matched by key hint, whatever the name -----------------

@pytest.mark.parametrize("sig_name", ["localhost:8000", "rekor-00001-deployment-7d9f8-xk2p4", "localhost"])
def test_a_v1_checkpoint_is_matched_by_key_hint_not_by_name(sig_name):
    log = Log(base_url="http://localhost:8000", sig_name=sig_name)
    for entry in (log.entry(), log.entry(set_=False)):
        result = verify(entry, log.root())
        assert result["verified"] is True and result["checks"]["checkpoint_signature"] is True, result
    # The hint still decides: another key's hint is ignored, a bad signature under ours fails.
    other = Log(sig_name=sig_name)
    entry = log.entry(set_=False)
    entry["inclusionProof"]["checkpoint"]["envelope"] = other.checkpoint(2, b64decode_root(entry))
    assert verify(entry, log.root())["checks"]["checkpoint_signature"] is False


def b64decode_root(entry):
    return base64.b64decode(entry["inclusionProof"]["rootHash"])


def test_a_v1_pem_checkpoint_ignores_the_name_but_a_v2_one_binds_it():
    v1, v2 = Log(sig_name="pod-1"), Log(v2=True, base_url="https://log2025-1.example.dev")
    root = merkle.leaf_hash(b"x")
    pem1 = tlog._pem(v1.der)
    assert note.verify_checkpoint_pem(v1.checkpoint(1, root), "localhost", pem1) is True
    assert note.verify_checkpoint_pem(v1.checkpoint(1, root), "anything.else", pem1) is True
    pem2 = tlog._pem(v2.der)
    assert note.verify_checkpoint_pem(v2.checkpoint(1, root), v2.name, pem2) is True
    assert note.verify_checkpoint_pem(v2.checkpoint(1, root), v2.name + ".x", pem2) is False


def test_a_v2_checkpoint_signed_under_another_name_fails():
    log = Log(v2=True, base_url="https://log2025-1.example.dev", sig_name="someone.else")
    result = verify(log.entry(), log.root())
    assert result["verified"] is False and result["checks"]["checkpoint_signature"] is False
    # The error names the check, the key id looked for and the lines present (item 10).
    assert result["error"].startswith("check checkpoint_signature failed: no valid signature by key id ")
    assert "someone.else " in result["error"] and "named log2025-1.example.dev" in result["error"]


# --- 2. The validity window is closed at both ends -----------------------------------

def test_the_window_end_and_start_are_inclusive():
    log = Log()
    entry = log.entry()
    assert verify(entry, log.root(end=T))["checks"]["log_key_valid"] is True
    assert verify(entry, log.root(start=T))["checks"]["log_key_valid"] is True
    assert verify(entry, log.root(start=T, end=T))["verified"] is True
    late = verify(entry, log.root(end=T - 1))
    assert late["verified"] is False and late["error"].startswith("check log_key_valid failed: time %d" % T)
    assert verify(entry, log.root(start=T + 1))["checks"]["log_key_valid"] is False


def test_the_registered_window_is_inclusive_too():
    log = Log()
    key = tlog.trusted_log(log.der, "PKIX_ECDSA_P256_SHA_256", "localhost", T - 10, T)
    assert tlog.verify_entry(log.entry(), {log.log_id: key})["checks"]["log_key_valid"] is True
    key = tlog.trusted_log(log.der, "PKIX_ECDSA_P256_SHA_256", "localhost", T - 10, T - 1)
    assert tlog.verify_entry(log.entry(), {log.log_id: key})["checks"]["log_key_valid"] is False


# --- 3. SET-only entries: refused by default, allowed on request ---------------------

def test_an_entry_without_a_proof_is_refused_unless_set_only_is_allowed():
    log = Log()
    entry = log.entry(proof=False)
    with pytest.raises(InputError) as exc:
        verify(entry, log.root())
    assert exc.value.sqlstate == INVALID_PARAMETER and "no inclusion proof" in exc.value.message
    result = verify(entry, log.root(), allow_set_only=True)
    assert result["verified"] is True and result["checks"]["signed_entry_timestamp"] is True
    for check in ("inclusion_proof", "checkpoint_signature", "checkpoint_matches_proof"):
        assert result["checks"][check] is None, check
    assert result["entry"]["log_index"] == 1001 and result["entry"]["integrated_time"] == T
    # Allowed SET-only, but no SET: nothing vouches, typed refusal.
    with pytest.raises(InputError):
        verify(log.entry(proof=False, set_=False), log.root(), allow_set_only=True)
    # A SET that fails is not rescued by the allowance.
    bad = log.entry(proof=False)
    bad["integratedTime"] = str(T + 1)
    assert verify(bad, log.root(), allow_set_only=True)["verified"] is False


def test_the_v01_bundle_verifies_on_its_set_only_when_allowed(shared):
    entry, root = real(shared, "integration__Python-3.12.5.tgz.sigstore", "prod_trusted_root.json")
    strict = verify(entry, root)
    assert strict["verified"] is False and strict["checks"]["inclusion_proof"] is None
    assert strict["error"] == "check checkpoint_signature failed: the inclusion proof carries no checkpoint"
    allowed = verify(entry, root, allow_set_only=True)
    assert allowed["verified"] is True and allowed["checks"]["inclusion_proof"] is None


# --- 4. A proof without a checkpoint proves nothing ----------------------------------

def test_removing_a_bad_checkpoint_never_turns_a_rejection_into_an_acceptance(shared):
    for name in ("bundle_v3.txt.sigstore", "bundle_cve_2022_36056.txt.sigstore"):
        entry, root = real(shared, name)
        bad = copy.deepcopy(entry)
        note_text = bad["inclusionProof"]["checkpoint"]["envelope"]
        bad["inclusionProof"]["checkpoint"]["envelope"] = note_text.replace("\n", "\n\n", 0)[:-6] + "AAAA=\n"
        assert verify(bad, root)["verified"] is False
        del bad["inclusionProof"]["checkpoint"]
        result = verify(bad, root)
        assert result["verified"] is False and result["checks"]["inclusion_proof"] is not True, name


def test_a_fabricated_proof_without_checkpoint_is_not_reported_as_passed():
    log = Log()
    body = b'{"kind":"hashedrekord"}'
    entry = log.entry(body=body, set_=True, checkpoint=False)
    leaf = merkle.leaf_hash(body)
    entry["inclusionProof"] = {"logIndex": "0", "rootHash": b64(leaf), "treeSize": "1", "hashes": []}
    strict = verify(entry, log.root())
    assert strict["verified"] is False and strict["checks"]["inclusion_proof"] is None
    allowed = verify(entry, log.root(), allow_set_only=True)
    assert allowed["verified"] is True and allowed["checks"]["inclusion_proof"] is None
    # Without a SET nothing vouches, allowed or not.
    del entry["inclusionPromise"]
    for allow in (False, True):
        assert verify(entry, log.root(), allow)["verified"] is False


# --- 5. Rekor v2 entries are bound to their log's origin and to their index ----------

def test_a_v2_checkpoint_with_another_origin_fails():
    log = Log(v2=True, base_url="https://log2025-1.example.dev")
    assert verify(log.entry(), log.root())["verified"] is True
    forged = Log(v2=True, base_url="https://log2025-1.example.dev")
    forged.key, forged.log_id, forged.key_id, forged.origin = log.key, log.log_id, log.key_id, "another.origin"
    result = verify(forged.entry(), log.root())
    assert result["checks"]["checkpoint_signature"] is True and result["checks"]["checkpoint_origin"] is False
    assert result["verified"] is False and "origin 'another.origin' is not the log's name" in result["error"]


def test_a_v2_entry_index_is_the_proofs(shared):
    for name in ("staging-rekor-v2.txt.sigstore.json", "a.dsse.staging-rekor-v2.txt.sigstore.json"):
        entry, root = real(shared, name)
        result = verify(entry, root)
        assert result["verified"] is True and result["checks"]["log_index_matches_proof"] is True
        assert result["checks"]["checkpoint_origin"] is True
        for forged in ("0", str(int(entry["logIndex"]) + 1), "123456789"):
            e = dict(entry, logIndex=forged)
            result = verify(e, root)
            assert result["verified"] is False and result["checks"]["log_index_matches_proof"] is False, name
            assert f"logIndex {forged} is not the inclusion proof's index" in result["error"]


def test_v1_origin_and_index_are_not_v2_checks(shared):
    entry, root = real(shared, "bundle_v3.txt.sigstore")
    result = verify(entry, root)
    assert result["checks"]["checkpoint_origin"] is None and result["checks"]["log_index_matches_proof"] is None
    assert result["entry"]["log_index"] == int(entry["logIndex"]), "a SET covers the v1 index"


# --- 6. Without a SET: the window at the verification time; only covered values -----

def test_without_a_set_the_window_is_held_against_the_verification_time():
    log = Log(v2=True, base_url="https://log2025-1.example.dev")
    entry = log.entry()
    assert verify(entry, log.root(end=T))["checks"]["log_key_valid"] is None, "no time given: not performed"
    assert verify(entry, log.root(end=T), at=T)["checks"]["log_key_valid"] is True
    retired = verify(entry, log.root(end=T), at=T + 1)
    assert retired["verified"] is False and retired["error"].startswith("check log_key_valid failed")
    v1 = Log()
    no_set = v1.entry(set_=False)
    assert verify(no_set, v1.root(end=T), at=T + 1)["verified"] is False
    assert verify(no_set, v1.root(end=T), at=T)["verified"] is True


def test_a_v1_entry_without_set_reports_only_what_signatures_cover():
    log = Log(tree_id=77)
    entry = log.entry(set_=False, log_index=999999)
    result = verify(entry, log.root())
    assert result["verified"] is True
    assert result["entry"]["log_index"] is None and result["entry"]["integrated_time"] is None
    leaf = result["entry"]["uuid"]
    assert result["entry"]["entry_id"] == f"{77:016x}{leaf}", "the tree id is the signed checkpoint's"
    # The REST form's 80-hex key: a forged tree-id prefix is refused, the right one passes.
    rest = {"body": entry["canonicalizedBody"], "logID": log.log_id.hex(), "logIndex": 999999,
            "integratedTime": T, "verification": {"inclusionProof": {
                "logIndex": 1, "treeSize": 2, "rootHash": b64decode_root(entry).hex(),
                "hashes": [base64.b64decode(h).hex() for h in entry["inclusionProof"]["hashes"]],
                "checkpoint": entry["inclusionProof"]["checkpoint"]["envelope"]}}}
    good = tlog.verify_tlog_entry(json.dumps({f"{77:016x}{leaf}": rest}), log.root())
    assert good["verified"] is True and good["entry"]["entry_id"] == f"{77:016x}{leaf}"
    forged = tlog.verify_tlog_entry(json.dumps({f"{78:016x}{leaf}": rest}), log.root())
    assert forged["verified"] is False and forged["checks"]["leaf_hash"] is False


# --- 7. Trusted roots: a start is required, dates parse or raise typed errors --------

def _root_with(valid):
    log = Log()
    root = json.loads(log.root())
    root["tlogs"][0]["publicKey"]["validFor"] = valid
    return log, json.dumps(root)


@pytest.mark.parametrize("valid,state,field", [
    ({}, INVALID_PARAMETER, "validFor.start"),
    ({"end": "2030-01-01T00:00:00Z"}, INVALID_PARAMETER, "validFor.start"),
    ({"start": 1600000000}, INVALID_PARAMETER, "validFor.start"),
    ({"start": None}, INVALID_PARAMETER, "validFor.start"),
    ({"start": "yesterday"}, INVALID_DATETIME, "validFor.start"),
    ({"start": "2021-01-12T11:53:27"}, INVALID_DATETIME, "validFor.start"),  # no offset: ambiguous
    ({"start": "2021-01-12T11:53:27Z", "end": "2021-13-01T00:00:00Z"}, INVALID_DATETIME, "validFor.end"),
    ({"start": "2021-01-12T11:53:27Z", "end": 5}, INVALID_PARAMETER, "validFor.end"),
    ("2021", INVALID_PARAMETER, "validFor"),
])
def test_a_trusted_root_without_a_start_or_with_a_bad_date_is_refused(valid, state, field):
    log, root = _root_with(valid)
    with pytest.raises(InputError) as exc:
        verify(log.entry(), root)
    assert exc.value.sqlstate == state and f"tlogs[0].publicKey.{field}" in exc.value.message, exc.value.message
    assert exc.value.hint


def test_a_fractional_rfc3339_start_parses(shared):
    entry, root = real(shared, "bundle_v3_github.whl.sigstore", "trusted_root__trustedroot.v1.json")
    assert verify(entry, root)["verified"] is True
