-- Verify pgattest:proofchain/dsse_envelopes_signed_digest on pg

BEGIN;

DO $verify$
BEGIN
    IF coalesce(col_description('proofchain.dsse_envelopes'::regclass,
                                (SELECT attnum FROM pg_attribute WHERE attrelid = 'proofchain.dsse_envelopes'::regclass
                                    AND attname = 'content_digest')), '') NOT LIKE '%_pgattest.envelope_digest%' THEN
        RAISE EXCEPTION 'proofchain.dsse_envelopes.content_digest is not documented as _pgattest.envelope_digest';
    END IF;
    -- Every row's digest is its signed content's, but for the duplicates an older row holds.
    IF EXISTS (SELECT FROM proofchain.dsse_envelopes e
                WHERE e.content_digest <> _pgattest.envelope_digest(e.payload_type, e.payload, e.signatures)
                  AND NOT EXISTS (SELECT FROM proofchain.dsse_envelopes o
                                   WHERE o.tenant_id = e.tenant_id
                                     AND o.content_digest = _pgattest.envelope_digest(e.payload_type, e.payload, e.signatures))) THEN
        RAISE EXCEPTION 'proofchain.dsse_envelopes holds rows whose signed content has no row with its digest';
    END IF;
END
$verify$;

ROLLBACK;
