-- Verify pgattest:merkle_verify on pg
-- RFC 9162 known answers: the one-leaf tree over the empty leaf, and a two-leaf tree.

BEGIN;

DO $verify$
DECLARE
    l0 bytea := proofchain.rfc6962_leaf_hash('');
    l1 bytea := proofchain.rfc6962_leaf_hash('\x00');
BEGIN
    IF encode(l0, 'hex') <> '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d' THEN
        RAISE EXCEPTION 'rfc6962_leaf_hash of the empty string is wrong';
    END IF;
    IF NOT proofchain.verify_inclusion(l0, 0, 2, ARRAY[l1], proofchain.rfc6962_node_hash(l0, l1))
       OR proofchain.verify_inclusion(l1, 0, 2, ARRAY[l0], proofchain.rfc6962_node_hash(l0, l1)) THEN
        RAISE EXCEPTION 'verify_inclusion gives a wrong answer on a two-leaf tree';
    END IF;
    IF NOT proofchain.verify_consistency(1, 2, l0, proofchain.rfc6962_node_hash(l0, l1), ARRAY[l1]) THEN
        RAISE EXCEPTION 'verify_consistency rejects a valid proof';
    END IF;
END
$verify$;

ROLLBACK;
