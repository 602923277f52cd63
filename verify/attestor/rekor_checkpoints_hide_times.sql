-- Verify pgattest:attestor/rekor_checkpoints_hide_times on pg

BEGIN;

DO $verify$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['pgattest_app'] LOOP
        IF has_column_privilege(r, 'attestor.rekor_checkpoints', 'created_at', 'SELECT')
           OR has_column_privilege(r, 'attestor.rekor_checkpoints', 'verified_at', 'SELECT')
           OR has_column_privilege(r, 'attestor.rekor_checkpoints', 'updated_at', 'SELECT') THEN
            RAISE EXCEPTION '% can read when attestor.rekor_checkpoints rows were stored', r;
        END IF;
        IF NOT has_column_privilege(r, 'attestor.rekor_checkpoints', 'note', 'SELECT') THEN
            RAISE EXCEPTION '% cannot read the checkpoints themselves', r;
        END IF;
    END LOOP;
END
$verify$;

ROLLBACK;
