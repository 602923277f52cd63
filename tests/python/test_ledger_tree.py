"""pgattest.ledger: roots and proofs of the verdict ledger's tree, checked against the
independent reference (tests/support/reference_merkle.py) and verified with the library's
own verifiers (pgattest.merkle)."""

import hashlib

import pytest

from pgattest import ledger, merkle
from pgattest.errors import INVALID_PARAMETER, NULL_NOT_ALLOWED, InputError
from tests.support.reference_merkle import Tree

N = 37
TREE = Tree.of_size(N)
CONCAT = b"".join(TREE.leaves)


def test_roots_of_every_prefix_in_one_pass():
    sizes = list(range(N + 1))
    assert ledger.tree_roots(CONCAT, sizes) == [(n, TREE.root(n)) for n in sizes]
    assert ledger.tree_roots(CONCAT, [5, 3, 5]) == [(5, TREE.root(5)), (3, TREE.root(3)), (5, TREE.root(5))]
    assert ledger.tree_root(b"", 0) == hashlib.sha256(b"").digest()


def test_inclusion_proofs_verify_with_the_library_verifier():
    for size in range(1, N + 1):
        root = TREE.root(size)
        for index in range(size):
            proof = ledger.inclusion_proof(CONCAT, index, size)
            assert proof == TREE.path(index, size)
            assert merkle.verify_inclusion(TREE.leaves[index], index, size, proof, root)
            if size > 1:
                assert not merkle.verify_inclusion(TREE.leaves[(index + 1) % size], index, size, proof, root)


def test_consistency_proofs_verify_with_the_library_verifier():
    for new in range(1, N + 1):
        for old in range(1, new + 1):
            proof = ledger.consistency_proof(CONCAT, old, new)
            assert proof == TREE.consistency(old, new)
            assert merkle.verify_consistency(old, new, TREE.root(old), TREE.root(new), proof)
            wrong = bytes([TREE.root(new)[0] ^ 1]) + TREE.root(new)[1:]
            assert not merkle.verify_consistency(old, new, TREE.root(old), wrong, proof)


@pytest.mark.parametrize("call, sqlstate", [
    (lambda: ledger.tree_roots(None, [1]), NULL_NOT_ALLOWED),
    (lambda: ledger.tree_roots(CONCAT, None), NULL_NOT_ALLOWED),
    (lambda: ledger.tree_roots(CONCAT[:-1], [1]), INVALID_PARAMETER),
    (lambda: ledger.tree_roots("text", [1]), INVALID_PARAMETER),
    (lambda: ledger.tree_roots(CONCAT, [N + 1]), INVALID_PARAMETER),
    (lambda: ledger.tree_roots(CONCAT, [-1]), INVALID_PARAMETER),
    (lambda: ledger.inclusion_proof(CONCAT, N, N), INVALID_PARAMETER),
    (lambda: ledger.inclusion_proof(CONCAT, 0, N + 1), INVALID_PARAMETER),
    (lambda: ledger.inclusion_proof(CONCAT, 0, 0), INVALID_PARAMETER),
    (lambda: ledger.consistency_proof(CONCAT, 0, 3), INVALID_PARAMETER),
    (lambda: ledger.consistency_proof(CONCAT, 4, 3), INVALID_PARAMETER),
    (lambda: ledger.consistency_proof(CONCAT, 1, N + 1), INVALID_PARAMETER),
])
def test_bad_arguments_raise_typed(call, sqlstate):
    with pytest.raises(InputError) as exc:
        call()
    assert exc.value.sqlstate == sqlstate
