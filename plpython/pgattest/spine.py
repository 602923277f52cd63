"""Proof spines: an RFC 9162 Merkle tree hash over labelled segments.

A spine binds an SBOM entry to the evidence, the reasoning and the VEX verdict about
it. Each segment is a leaf "<label>:<id>" (label: sbom, evidence, reasoning, verdict),
in that order, evidence in the order given, so the root commits to every id and its role.
"""

from . import merkle
from .errors import InputError


def tree_hash(leaf_hashes):
    """RFC 9162 MTH over leaf hashes: split at the largest power of two below n."""
    n = len(leaf_hashes)
    if n == 0:
        raise InputError("a Merkle tree needs at least one leaf", hint="Pass one or more segments.")
    if n == 1:
        return leaf_hashes[0]
    k = 1 << ((n - 1).bit_length() - 1)
    return merkle.node_hash(tree_hash(leaf_hashes[:k]), tree_hash(leaf_hashes[k:]))


def spine_root(segments):
    """(root, count) of the spine over segments given as 'label:id' strings."""
    if not segments or any(not isinstance(s, str) or ":" not in s for s in segments):
        raise InputError("spine segments must be non-empty 'label:id' strings",
                         hint="Pass sbom:<id>, evidence:<id>..., reasoning:<id>, verdict:<id>.")
    return tree_hash([merkle.leaf_hash(s.encode()) for s in segments]), len(segments)
