-- Verify pgattest:proofchain/rfc6962_node_hash on pg

BEGIN;

DO $verify$
BEGIN
    IF proofchain.rfc6962_node_hash(sha256('\x00'), sha256('\x0001')) <> sha256('\x01' || sha256('\x00') || sha256('\x0001')) THEN
        RAISE EXCEPTION 'rfc6962_node_hash is not SHA-256(0x01 || left || right)';
    END IF;
END
$verify$;

ROLLBACK;
