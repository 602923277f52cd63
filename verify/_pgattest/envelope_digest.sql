-- Verify pgattest:_pgattest/envelope_digest on pg

BEGIN;

DO $verify$
DECLARE
    a text := _pgattest.envelope_digest('t', '\x01', '[{"keyid": "k", "sig": "QQ=="}, {"sig": "Qg=="}]');
BEGIN
    IF a !~ '^sha256:[0-9a-f]{64}$' THEN
        RAISE EXCEPTION '_pgattest.envelope_digest does not give a sha256 content digest: %', a;
    END IF;
    IF a IS DISTINCT FROM _pgattest.envelope_digest('t', '\x01', '[{"sig": "Qg=="}, {"sig": "QQ=="}, {"keyid": "x", "sig": "QQ=="}]') THEN
        RAISE EXCEPTION '_pgattest.envelope_digest depends on keyids or the order or repetition of signatures';
    END IF;
    IF a = _pgattest.envelope_digest('t', '\x02', '[{"keyid": "k", "sig": "QQ=="}, {"sig": "Qg=="}]')
       OR a = _pgattest.envelope_digest('u', '\x01', '[{"keyid": "k", "sig": "QQ=="}, {"sig": "Qg=="}]')
       OR a = _pgattest.envelope_digest('t', '\x01', '[{"sig": "QQ=="}]') THEN
        RAISE EXCEPTION '_pgattest.envelope_digest ignores the payload, its type or a signature';
    END IF;
    IF has_function_privilege('public', '_pgattest.envelope_digest(text, bytea, jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.envelope_digest must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
