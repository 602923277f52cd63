-- Verify pgattest:_pgattest/ledger_leaf on pg

BEGIN;

DO $verify$
BEGIN
    -- The layout is a contract with auditors: a known entry gives known bytes.
    IF _pgattest.ledger_leaf('t', 1, '00000000-0000-0000-0000-000000000001'::uuid, 'decision',
                             '1970-01-01 00:00:01+00'::timestamptz, 'sha256:' || repeat('0', 64), 'pass', '', NULL::text,
                             '{}'::uuid[], '{}'::uuid[], '{}'::uuid[], '{}'::text[], '{}'::text[],
                             ('\x' || repeat('00', 32))::bytea)
       IS DISTINCT FROM ('\x01' || '0000000174' || '0000000000000001' || '00000000000000000000000000000001'
                         || '00000008' || encode('decision'::bytea, 'hex') || '00000000000f4240'
                         || '00000047' || encode(convert_to('sha256:' || repeat('0', 64), 'UTF8'), 'hex')
                         || '00000004' || encode('pass'::bytea, 'hex') || '00000000' || 'ffffffff'
                         || repeat('0000000000000000', 5) || repeat('00', 32))::bytea THEN
        RAISE EXCEPTION '_pgattest.ledger_leaf does not produce the documented layout';
    END IF;
END
$verify$;

ROLLBACK;
