"""RFC 9162 Merkle tree hashing and proof verification (sections 2.1.1, 2.1.3, 2.1.4).

Contract (the SQL functions rely on it):
- A well-formed proof that does not verify returns False. A proof whose *length* is
  wrong for (index, size) is well-formed-but-wrong: False (root_from_inclusion_proof
  returns None).
- Malformed arguments raise InputError: a hash that is not 32 bytes, a size or index
  that is not a non-negative bigint, leaf_index >= tree_size, old_size > new_size,
  old_size == 0, more than 64 proof hashes (SQLSTATE 22023); NULL where a value is
  required, including a NULL proof element (22004).

old_size == 0 in verify_consistency raises InputError (22023), like transparency-dev/merkle
("consistency proof from empty tree is meaningless"), whose test vectors mark every
size1 == 0 case as an error, including 0 -> 0 with equal roots and 0 -> n with an empty
proof: the empty tree has no root to compare, so there is nothing to verify.

The verifiers follow transparency-dev/merkle's decomposition of an inclusion path into an
"inner" part (below the point where the paths to leaf_index and tree_size - 1 diverge)
and a "border" part (left siblings along the right border), which gives the expected
proof length before any hashing is done.
"""

import hashlib

from .errors import INVALID_PARAMETER, NULL_NOT_ALLOWED, InputError

HASH_SIZE = 32
MAX_PROOF_HASHES = 64
MAX_TREE_SIZE = (1 << 63) - 1  # bigint: the SQL functions' argument type

_sha256 = hashlib.sha256
_NODE_PREFIX = _sha256(b"\x01")  # copied per node: cheaper than sha256(0x01 || l || r)
_node_copy = _NODE_PREFIX.copy

_HASH_HINT = "Merkle hashes are 32-byte SHA-256 values (RFC 9162 section 2.1.1)."


# --- validation (slow paths, only reached when the fast checks fail) -------------------

def _describe(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _hash_arg(value, name):
    """Return value as 32 bytes, or raise InputError naming `name`."""
    if value is None:
        raise InputError("%s must not be NULL" % name, NULL_NOT_ALLOWED, hint=_HASH_HINT)
    if isinstance(value, (bytearray, memoryview)):
        value = bytes(value)
    if not isinstance(value, bytes):
        raise InputError("%s must be bytes, got %s" % (name, type(value).__name__),
                         INVALID_PARAMETER, hint=_HASH_HINT)
    if len(value) != HASH_SIZE:
        raise InputError("%s must be 32 bytes, got %d" % (name, len(value)),
                         INVALID_PARAMETER, hint=_HASH_HINT)
    return value


def _size_arg(value, name):
    """Return value as an int in [0, 2^63 - 1], or raise InputError naming `name`."""
    if value is None:
        raise InputError("%s must not be NULL" % name, NULL_NOT_ALLOWED)
    if type(value) is not int:  # bool, float, str, Decimal... are not sizes
        raise InputError("%s must be an integer, got %s %s"
                         % (name, type(value).__name__, _describe(value)), INVALID_PARAMETER)
    if value < 0:
        raise InputError("%s must not be negative, got %d" % (name, value), INVALID_PARAMETER,
                         hint="Tree sizes and leaf indices are unsigned.")
    if value > MAX_TREE_SIZE:
        raise InputError("%s must be at most 2^63-1, got %d" % (name, value), INVALID_PARAMETER,
                         hint="Tree sizes and leaf indices are bigint values.")
    return value


def _proof_arg(proof):
    """Return proof as a list of 32-byte bytes, or raise InputError."""
    if proof is None:
        raise InputError("proof must not be NULL", NULL_NOT_ALLOWED,
                         hint="Pass an empty array for an empty proof.")
    if not isinstance(proof, (list, tuple)):
        raise InputError("proof must be an array of 32-byte hashes, got %s" % type(proof).__name__,
                         INVALID_PARAMETER, hint=_HASH_HINT)
    if len(proof) > MAX_PROOF_HASHES:
        raise InputError("proof must have at most %d hashes, got %d" % (MAX_PROOF_HASHES, len(proof)),
                         INVALID_PARAMETER,
                         hint="A proof in a tree of at most 2^63-1 leaves has at most 64 hashes.")
    return [_hash_arg(h, "proof[%d]" % (i + 1)) for i, h in enumerate(proof)]


def _checked_proof(proof):
    # Fast path: a list of exactly-typed 32-byte bytes within the length limit.
    if proof.__class__ is list and len(proof) <= MAX_PROOF_HASHES:
        for h in proof:
            if h.__class__ is not bytes or len(h) != HASH_SIZE:
                return _proof_arg(proof)
        return proof
    return _proof_arg(proof)


# --- hashing ---------------------------------------------------------------------------

def leaf_hash(data):
    """RFC 9162 leaf hash: SHA-256(0x00 || data)."""
    if data is None:
        raise InputError("data must not be NULL", NULL_NOT_ALLOWED)
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise InputError("data must be bytes, got %s" % type(data).__name__, INVALID_PARAMETER,
                         hint="The leaf hash is computed over the entry's raw bytes.")
    return _sha256(b"\x00" + data).digest()


def node_hash(left, right):
    """RFC 9162 interior node hash: SHA-256(0x01 || left || right), both 32 bytes."""
    left = _hash_arg(left, "left")
    right = _hash_arg(right, "right")
    s = _node_copy()
    s.update(left)
    s.update(right)
    return s.digest()


# --- proof geometry --------------------------------------------------------------------

def _decomp(index, size):
    """(inner, border) lengths of the inclusion path of leaf `index` in a tree of `size`."""
    inner = (index ^ (size - 1)).bit_length()
    return inner, (index >> inner).bit_count()


def inclusion_proof_length(leaf_index, tree_size):
    """Number of hashes in the inclusion proof of leaf_index in a tree of tree_size leaves."""
    leaf_index = _size_arg(leaf_index, "leaf_index")
    tree_size = _size_arg(tree_size, "tree_size")
    if leaf_index >= tree_size:
        _index_error(leaf_index, tree_size)
    inner, border = _decomp(leaf_index, tree_size)
    return inner + border


def consistency_proof_length(old_size, new_size):
    """Number of hashes in the consistency proof from old_size to new_size (0 if equal)."""
    old_size, new_size = _consistency_sizes(old_size, new_size)
    if old_size == new_size:
        return 0
    inner, border = _decomp(old_size - 1, new_size)
    shift = (old_size & -old_size).bit_length() - 1
    return (0 if old_size == 1 << shift else 1) + inner - shift + border


def _index_error(leaf_index, tree_size):
    if tree_size == 0:
        raise InputError("tree_size must be at least 1, got 0", INVALID_PARAMETER,
                         hint="The empty tree has no leaves to prove inclusion of.")
    raise InputError("leaf_index must be less than tree_size, got leaf_index %d, tree_size %d"
                     % (leaf_index, tree_size), INVALID_PARAMETER,
                     hint="Leaf indices are 0-based: the last leaf of a tree of n leaves is n-1.")


def _consistency_sizes(old_size, new_size):
    old_size = _size_arg(old_size, "old_size")
    new_size = _size_arg(new_size, "new_size")
    if old_size > new_size:
        raise InputError("old_size must not exceed new_size, got old_size %d, new_size %d"
                         % (old_size, new_size), INVALID_PARAMETER,
                         hint="A consistency proof goes from an older (smaller) tree to a newer one.")
    if old_size == 0:
        raise InputError("old_size must be at least 1, got 0 (new_size %d)" % new_size,
                         INVALID_PARAMETER,
                         hint="A consistency proof from the empty tree is meaningless: every tree "
                              "extends it and it has no root to check.")
    return old_size, new_size


# --- inclusion (RFC 9162 2.1.3.2) ------------------------------------------------------

def root_from_inclusion_proof(leaf_hash, leaf_index, tree_size, proof):
    """Root hash implied by an inclusion proof, or None when the proof length is wrong."""
    if leaf_hash.__class__ is not bytes or len(leaf_hash) != HASH_SIZE:
        leaf_hash = _hash_arg(leaf_hash, "leaf_hash")
    if (leaf_index.__class__ is not int or tree_size.__class__ is not int
            or not 0 <= leaf_index < tree_size <= MAX_TREE_SIZE):
        leaf_index = _size_arg(leaf_index, "leaf_index")
        tree_size = _size_arg(tree_size, "tree_size")
        if leaf_index >= tree_size:
            _index_error(leaf_index, tree_size)
    proof = _checked_proof(proof)

    inner = (leaf_index ^ (tree_size - 1)).bit_length()
    if len(proof) != inner + (leaf_index >> inner).bit_count():
        return None

    new = _node_copy
    r = leaf_hash
    i = leaf_index
    for h in proof[:inner]:  # below the divergence point: the index bit picks the side
        s = new()
        if i & 1:
            s.update(h)
            s.update(r)
        else:
            s.update(r)
            s.update(h)
        r = s.digest()
        i >>= 1
    for h in proof[inner:]:  # along the right border: all left siblings
        s = new()
        s.update(h)
        s.update(r)
        r = s.digest()
    return r


def verify_inclusion(leaf_hash, leaf_index, tree_size, proof, root_hash):
    """True iff proof shows leaf_hash at leaf_index in the tree of tree_size with root_hash."""
    if root_hash.__class__ is not bytes or len(root_hash) != HASH_SIZE:
        root_hash = _hash_arg(root_hash, "root_hash")
    root = root_from_inclusion_proof(leaf_hash, leaf_index, tree_size, proof)
    return root is not None and root == root_hash


# --- consistency (RFC 9162 2.1.4.2) ----------------------------------------------------

def verify_consistency(old_size, new_size, old_root, new_root, proof):
    """True iff proof shows the tree (old_size, old_root) is a prefix of (new_size, new_root)."""
    old_root = _hash_arg(old_root, "old_root")
    new_root = _hash_arg(new_root, "new_root")
    old_size, new_size = _consistency_sizes(old_size, new_size)
    proof = _checked_proof(proof)

    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False

    inner, border = _decomp(old_size - 1, new_size)
    shift = (old_size & -old_size).bit_length() - 1  # trailing zeros of old_size
    inner -= shift  # the lowest `shift` levels are inside a complete subtree of the old tree
    if old_size == 1 << shift:  # the old tree is that complete subtree: its root is the seed
        seed, start = old_root, 0
    else:  # otherwise the proof starts with the subtree's hash
        seed, start = proof[0], 1
    if len(proof) != start + inner + border:
        return False

    new = _node_copy
    mask = (old_size - 1) >> shift
    h1 = h2 = seed  # h1 rebuilds the old root, h2 the new one
    k = 0
    for h in proof[start:]:
        if k >= inner or mask & 1:
            s = new()
            s.update(h)
            s.update(h1)
            h1 = s.digest()
            s = new()
            s.update(h)
            s.update(h2)
            h2 = s.digest()
        else:  # a right sibling: only in the new tree
            s = new()
            s.update(h2)
            s.update(h)
            h2 = s.digest()
        mask >>= 1
        k += 1
    return h1 == old_root and h2 == new_root
