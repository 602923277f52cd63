-- Verify pgattest:vex_rekor_linkage on pg

BEGIN;

SELECT rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at FROM vex.observations WHERE false;
SELECT rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at FROM vexhub.statements WHERE false;
SELECT rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at FROM vexhub.documents WHERE false;
SELECT verified_at, verifier_version, verification_error FROM proofchain.rekor_entries WHERE false;

DO $verify$
BEGIN
    IF to_regclass('vex.observations_rekor_uuid') IS NULL OR to_regclass('vex.observations_rekor_log_index') IS NULL
       OR to_regclass('vex.observations_unlinked') IS NULL OR to_regclass('vexhub.statements_rekor_uuid') IS NULL THEN
        RAISE EXCEPTION 'the Rekor linkage indexes are missing';
    END IF;
    IF (SELECT count(*) FROM pg_constraint WHERE conname = 'rekor_entry_fk'
          AND conrelid IN ('vex.observations'::regclass, 'vexhub.statements'::regclass, 'vexhub.documents'::regclass)) <> 3 THEN
        RAISE EXCEPTION 'the Rekor linkage foreign keys are missing';
    END IF;
    IF to_regclass('_pgattest.vex_rekor_linkage_parked') IS NOT NULL THEN
        RAISE EXCEPTION 'parked Rekor links were not restored';
    END IF;
END
$verify$;

ROLLBACK;
