-- Deploy pgattest:proofchain/envelope_subjects_random_id to pg
-- requires: proofchain/envelope_subjects
-- Issue 15 item 3: envelope_subjects.id was one identity sequence for every tenant, so the
-- gap between two of a tenant's ids counted the other tenants' subjects. New ids are
-- random (63 bits of a random uuid; nothing references them), so they say nothing about
-- anyone's volume. Existing rows keep theirs: the column stays a bigint and a revert
-- finds every row as it was.

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE proofchain.envelope_subjects ALTER COLUMN id DROP IDENTITY;
ALTER TABLE proofchain.envelope_subjects
    ALTER COLUMN id SET DEFAULT (('x' || left(replace(gen_random_uuid()::text, '-', ''), 16))::bit(64)::bigint
                                 & 9223372036854775807);

COMMENT ON COLUMN proofchain.envelope_subjects.id IS
    'A random positive bigint (no global counter, which would show other tenants'' volume); rows stored before issue 15 keep their sequential ids.';

COMMIT;
