-- Verify pgattest:vex/observation_submissions on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, observation_id, envelope_id FROM vex.observation_submissions WHERE false;

DO $verify$
BEGIN
    IF to_regclass('vex.observation_submissions_envelope') IS NULL
       OR NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'vex.observation_submissions'::regclass
                         AND conname = 'observation_submissions_once') THEN
        RAISE EXCEPTION 'vex.observation_submissions lacks its envelope index or its once-per-pair key';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'vex.observation_submissions', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vex.observation_submissions', 'INSERT') THEN
        RAISE EXCEPTION 'vex.observation_submissions is not granted as designed (read-only for pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
