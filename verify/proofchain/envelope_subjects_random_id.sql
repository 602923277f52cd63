-- Verify pgattest:proofchain/envelope_subjects_random_id on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_serial_sequence('proofchain.envelope_subjects', 'id') IS NOT NULL
       OR NOT EXISTS (SELECT FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                       WHERE d.adrelid = 'proofchain.envelope_subjects'::regclass AND a.attname = 'id'
                         AND pg_get_expr(d.adbin, d.adrelid) LIKE '%gen_random_uuid()%') THEN
        RAISE EXCEPTION 'proofchain.envelope_subjects.id is still a global counter';
    END IF;
END
$verify$;

ROLLBACK;
