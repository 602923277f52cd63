-- Deploy pgattest:_pgattest/ledger_leaf to pg
-- requires: schemas
-- The canonical bytes of a verdict ledger entry: the leaf data of the tenant's RFC 9162
-- tree, whose leaf hash SHA-256(0x00 || bytes) is the entry's hash. A fixed binary
-- layout in network byte order, not a JSON text form (jsonb::text is no stable encoding):
--
--   0x01                               layout version
--   tenant_id                          u32 length, UTF-8 bytes
--   seq                                i64
--   id                                 16 bytes (uuid)
--   kind                               u32 length, UTF-8 bytes
--   recorded_at                        i64 microseconds since 1970-01-01T00:00:00Z
--   subject_digest, decision, reason   each u32 length, UTF-8 bytes
--   policy_digest                      u32 length, UTF-8 bytes; i32 -1 when NULL
--   rekor_entry_ids, spine_ids,        each u32 element count, then u32 length and UTF-8
--   envelope_ids, vex_content_ids,     bytes of the elements' text forms joined by ','
--   trust_verdict_ids                  (canonical uuids and sha256: ids, none has a ',')
--   prev_hash                          32 bytes
--
-- An auditor rebuilds it from a row in any language. It is an SQL-standard body (RETURN):
-- the names are bound when the function is created, so no search_path can redirect
-- them, and the planner inlines it into verdict.verify's scan. A SET search_path
-- clause would stop the inlining (a function call per entry, several times slower).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.ledger_leaf(
    tenant_id text, seq bigint, id uuid, kind text, recorded_at timestamptz, subject_digest text, decision text,
    reason text, policy_digest text, rekor_entry_ids uuid[], spine_ids uuid[], envelope_ids uuid[],
    vex_content_ids text[], trust_verdict_ids text[], prev_hash bytea)
RETURNS bytea
LANGUAGE sql
STABLE
PARALLEL SAFE
RETURN '\x01'::bytea
    || int4send(octet_length(convert_to(tenant_id, 'UTF8'))) || convert_to(tenant_id, 'UTF8')
    || int8send(seq)
    || uuid_send(id)
    || int4send(octet_length(convert_to(kind, 'UTF8'))) || convert_to(kind, 'UTF8')
    || int8send((extract(epoch FROM recorded_at) * 1000000)::bigint)
    || int4send(octet_length(convert_to(subject_digest, 'UTF8'))) || convert_to(subject_digest, 'UTF8')
    || int4send(octet_length(convert_to(decision, 'UTF8'))) || convert_to(decision, 'UTF8')
    || int4send(octet_length(convert_to(reason, 'UTF8'))) || convert_to(reason, 'UTF8')
    || coalesce(int4send(octet_length(convert_to(policy_digest, 'UTF8'))) || convert_to(policy_digest, 'UTF8'),
                int4send(-1))
    || int4send(cardinality(rekor_entry_ids))
    || int4send(octet_length(convert_to(array_to_string(rekor_entry_ids, ','), 'UTF8')))
    || convert_to(array_to_string(rekor_entry_ids, ','), 'UTF8')
    || int4send(cardinality(spine_ids))
    || int4send(octet_length(convert_to(array_to_string(spine_ids, ','), 'UTF8')))
    || convert_to(array_to_string(spine_ids, ','), 'UTF8')
    || int4send(cardinality(envelope_ids))
    || int4send(octet_length(convert_to(array_to_string(envelope_ids, ','), 'UTF8')))
    || convert_to(array_to_string(envelope_ids, ','), 'UTF8')
    || int4send(cardinality(vex_content_ids))
    || int4send(octet_length(convert_to(array_to_string(vex_content_ids, ','), 'UTF8')))
    || convert_to(array_to_string(vex_content_ids, ','), 'UTF8')
    || int4send(cardinality(trust_verdict_ids))
    || int4send(octet_length(convert_to(array_to_string(trust_verdict_ids, ','), 'UTF8')))
    || convert_to(array_to_string(trust_verdict_ids, ','), 'UTF8')
    || prev_hash;

COMMENT ON FUNCTION _pgattest.ledger_leaf(text, bigint, uuid, text, timestamptz, text, text, text, text, uuid[], uuid[], uuid[], text[], text[], bytea) IS
    'The canonical bytes of a verdict ledger entry (layout in the deploy script and docs/api/verdict.md): the leaf data of the tenant''s RFC 9162 tree; the entry''s hash is SHA-256(0x00 || these bytes). Used by verdict.append and verdict.verify.';
REVOKE ALL ON FUNCTION _pgattest.ledger_leaf(text, bigint, uuid, text, timestamptz, text, text, text, text, uuid[], uuid[], uuid[], text[], text[], bytea) FROM PUBLIC;

COMMIT;
