"""Independent reference for RFC 9162 Merkle trees, straight from the definitions.

Deliberately a different algorithm from pgattest.merkle's iterative verifiers: it builds
the tree hash MTH recursively (2.1.1) and *generates* proofs with the recursive PATH
(2.1.3.1) and SUBPROOF (2.1.4.1) definitions. Used only by the tests.
"""

import hashlib
from functools import lru_cache


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf(data):
    return sha256(b"\x00" + data)


def node(left, right):
    return sha256(b"\x01" + left + right)


def split(n):
    """k: the largest power of two smaller than n (n > 1), as in RFC 9162 2.1.1."""
    assert n > 1
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class Tree:
    """A tree over explicit leaf hashes; MTH of any range is memoized."""

    def __init__(self, leaf_hashes):
        self.leaves = list(leaf_hashes)
        self._memo = {}

    @classmethod
    def of_size(cls, n, tag=b"leaf"):
        return cls(leaf(tag + b"-%d" % i) for i in range(n))

    def mth(self, lo, hi):
        n = hi - lo
        if n == 0:
            return sha256(b"")
        if n == 1:
            return self.leaves[lo]
        key = (lo, hi)
        if key not in self._memo:
            k = split(n)
            self._memo[key] = node(self.mth(lo, lo + k), self.mth(lo + k, hi))
        return self._memo[key]

    def root(self, n):
        return self.mth(0, n)

    def path(self, m, n):
        """PATH(m, D[0:n]): inclusion proof of leaf m."""
        return _path(self.mth, m, 0, n)

    def consistency(self, m, n):
        """PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true)."""
        return _subproof(self.mth, m, 0, n, True)


class UniformTree:
    """A huge virtual tree whose leaves are all the same hash.

    Every range of the same length has the same MTH, so MTH depends on the length only
    and trees of up to 2^63-1 leaves cost O(log^2 n). Index symmetry makes it useless for
    checking that a wrong index fails, but fine for "valid proofs verify" at scale.
    """

    def __init__(self, leaf_hash):
        self.leaf_hash = leaf_hash
        self._by_size = lru_cache(maxsize=None)(self._mth_size)

    def _mth_size(self, n):
        if n == 0:
            return sha256(b"")
        if n == 1:
            return self.leaf_hash
        k = split(n)
        return node(self._by_size(k), self._by_size(n - k))

    def mth(self, lo, hi):
        return self._by_size(hi - lo)

    def root(self, n):
        return self._by_size(n)

    def path(self, m, n):
        return _path(self.mth, m, 0, n)

    def consistency(self, m, n):
        return _subproof(self.mth, m, 0, n, True)


def _path(mth, m, lo, hi):
    n = hi - lo
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return _path(mth, m, lo, lo + k) + [mth(lo + k, hi)]
    return _path(mth, m - k, lo + k, hi) + [mth(lo, lo + k)]


def _subproof(mth, m, lo, hi, b):
    n = hi - lo
    if m == n:
        return [] if b else [mth(lo, hi)]
    k = split(n)
    if m <= k:
        return _subproof(mth, m, lo, lo + k, b) + [mth(lo + k, hi)]
    return _subproof(mth, m - k, lo + k, hi, False) + [mth(lo, lo + k)]


def path_length(m, n):
    """len(PATH(m, D[n])) by the same recursion, without hashing."""
    length = 0
    while n > 1:
        k = split(n)
        if m >= k:
            m, n = m - k, n - k
        else:
            n = k
        length += 1
    return length


def consistency_length(m, n):
    """len(PROOF(m, D[n])) by the SUBPROOF recursion, without hashing (0 < m <= n)."""
    length, b = 0, True
    while m != n:
        k = split(n)
        if m <= k:
            n = k
        else:
            m, n, b = m - k, n - k, False
        length += 1
    return length + (0 if b else 1)
