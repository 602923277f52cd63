-- Verify pgattest:vex/verdict_id on pg

BEGIN;

DO $verify$
BEGIN
    IF vex.verdict_id('{"b": 1, "a": [true]}') <> vex.verdict_id('{"a":[true],"b":1}') THEN
        RAISE EXCEPTION 'vex.verdict_id depends on key order';
    END IF;
    IF vex.verdict_id('{}') <> 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' THEN
        RAISE EXCEPTION 'vex.verdict_id(''{}'') is not sha256 of {}';
    END IF;
    IF NOT has_function_privilege('pgattest_worker', 'vex.verdict_id(text)', 'EXECUTE')
       OR has_function_privilege('public', 'vex.verdict_id(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'vex.verdict_id is not granted as designed';
    END IF;
END
$verify$;

ROLLBACK;
