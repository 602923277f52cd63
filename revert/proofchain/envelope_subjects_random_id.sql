-- Revert pgattest:proofchain/envelope_subjects_random_id from pg
-- Back to an identity column; every row keeps its id, the sequence starts past the largest.

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE proofchain.envelope_subjects ALTER COLUMN id DROP DEFAULT;
ALTER TABLE proofchain.envelope_subjects ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('proofchain.envelope_subjects', 'id'),
              coalesce((SELECT max(id) FROM proofchain.envelope_subjects), 0) + 1, false);
COMMENT ON COLUMN proofchain.envelope_subjects.id IS NULL;

COMMIT;
