"""The verdict ledger's RFC 9162 tree: roots, inclusion and consistency proofs, checkpoints.

The ledger (verdict.ledger_entries) stores each entry's hash, which is the RFC 9162 leaf
hash of the entry's canonical bytes: SHA-256(0x00 || bytes). The database hands this
module the leaf hashes of a prefix of the ledger as one bytea, their concatenation in
sequence order (32 bytes each): one value crosses into Python instead of a million.

Roots and proofs are built here (checkpoint bodies are made in SQL) and checked by the verifiers everyone else uses
(merkle.verify_inclusion, merkle.verify_consistency): the tests verify what this module
builds with them, never with a copy of this code.

Roots of many sizes come from one pass (tree_roots): the ledger is checked against every
anchor at the cost of one tree over its longest anchored prefix.
"""

from . import merkle
from .errors import INVALID_PARAMETER, NULL_NOT_ALLOWED, InputError

HASH_SIZE = merkle.HASH_SIZE
EMPTY_ROOT = merkle._sha256(b"").digest()  # RFC 9162 2.1.1: the hash of the empty tree
_node = merkle._node_copy


def _leaves(concatenated):
    if concatenated is None:
        raise InputError("leaf_hashes must not be NULL", NULL_NOT_ALLOWED)
    if isinstance(concatenated, (bytearray, memoryview)):
        concatenated = bytes(concatenated)
    if not isinstance(concatenated, bytes):
        raise InputError("leaf_hashes must be bytes, got %s" % type(concatenated).__name__, INVALID_PARAMETER)
    if len(concatenated) % HASH_SIZE:
        raise InputError("leaf_hashes must be whole 32-byte hashes, got %d bytes" % len(concatenated),
                         INVALID_PARAMETER, hint="Pass string_agg(entry_hash, '' ORDER BY seq).")
    return [concatenated[i:i + HASH_SIZE] for i in range(0, len(concatenated), HASH_SIZE)]


def _pair(left, right):
    s = _node()
    s.update(left)
    s.update(right)
    return s.digest()


def _fold(frontier):
    """Root of a tree from the roots of its maximal complete subtrees, left to right."""
    root = frontier[-1]
    for h in reversed(frontier[:-1]):
        root = _pair(h, root)
    return root


def tree_roots(leaf_hashes, sizes):
    """[(size, root)] for each of sizes (each 0 <= size <= number of leaves), in one pass.

    A frontier of complete subtrees is kept as leaves are added (each leaf completes on
    average one node), and folded into a root whenever one of the sizes is reached."""
    leaves = _leaves(leaf_hashes)
    if sizes is None:
        raise InputError("sizes must not be NULL", NULL_NOT_ALLOWED)
    wanted = {}
    for size in sizes:
        size = merkle._size_arg(size, "size")
        if size > len(leaves):
            raise InputError("size %d exceeds the %d leaves given" % (size, len(leaves)), INVALID_PARAMETER,
                             hint="A root is computed over a prefix of the leaves.")
        wanted[size] = None
    if 0 in wanted:
        wanted[0] = EMPTY_ROOT
    remaining = sorted(s for s in wanted if s)
    frontier = []  # (height, hash) of complete subtrees, heights strictly decreasing
    nxt = 0
    n = 0
    for leaf in leaves:
        if nxt == len(remaining):
            break
        node, height = leaf, 0
        while frontier and frontier[-1][0] == height:
            node = _pair(frontier.pop()[1], node)
            height += 1
        frontier.append((height, node))
        n += 1
        if n == remaining[nxt]:
            wanted[n] = _fold([h for _, h in frontier])
            nxt += 1
    return [(s, wanted[s]) for s in sizes]


def tree_root(leaf_hashes, size):
    """The root of the first size leaves (RFC 9162 MTH)."""
    return tree_roots(leaf_hashes, [size])[0][1]


def _mth(leaves, a, b):
    """MTH of leaves[a:b], b > a."""
    frontier = []
    for leaf in leaves[a:b]:
        node, height = leaf, 0
        while frontier and frontier[-1][0] == height:
            node = _pair(frontier.pop()[1], node)
            height += 1
        frontier.append((height, node))
    return _fold([h for _, h in frontier])


def _split(n):
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _path(leaves, m, a, b):
    """RFC 9162 2.1.3.1 PATH(m, D[a:b]), the audit path of leaf a+m, bottom up."""
    if b - a == 1:
        return []
    k = _split(b - a)
    if m < k:
        return _path(leaves, m, a, a + k) + [_mth(leaves, a + k, b)]
    return _path(leaves, m - k, a + k, b) + [_mth(leaves, a, a + k)]


def _subproof(leaves, m, a, b, whole):
    """RFC 9162 2.1.4.1 SUBPROOF(m, D[a:b], whole)."""
    n = b - a
    if m == n:
        return [] if whole else [_mth(leaves, a, b)]
    k = _split(n)
    if m <= k:
        return _subproof(leaves, m, a, a + k, whole) + [_mth(leaves, a + k, b)]
    return _subproof(leaves, m - k, a + k, b, False) + [_mth(leaves, a, a + k)]


def inclusion_proof(leaf_hashes, leaf_index, tree_size):
    """The audit path of leaf leaf_index (0-based) in the tree of the first tree_size leaves."""
    leaves = _leaves(leaf_hashes)
    leaf_index = merkle._size_arg(leaf_index, "leaf_index")
    tree_size = merkle._size_arg(tree_size, "tree_size")
    if leaf_index >= tree_size:
        merkle._index_error(leaf_index, tree_size)
    if tree_size > len(leaves):
        raise InputError("tree_size %d exceeds the ledger's %d entries" % (tree_size, len(leaves)),
                         INVALID_PARAMETER, hint="Prove inclusion in a tree the ledger has reached.")
    return _path(leaves, leaf_index, 0, tree_size)


def consistency_proof(leaf_hashes, old_size, new_size):
    """The proof that the tree of old_size leaves is a prefix of the tree of new_size."""
    leaves = _leaves(leaf_hashes)
    old_size, new_size = merkle._consistency_sizes(old_size, new_size)
    if new_size > len(leaves):
        raise InputError("new_size %d exceeds the ledger's %d entries" % (new_size, len(leaves)),
                         INVALID_PARAMETER, hint="Prove consistency with a tree the ledger has reached.")
    if old_size == new_size:
        return []
    return _subproof(leaves, old_size, 0, new_size, True)

