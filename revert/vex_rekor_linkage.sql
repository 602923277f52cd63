-- Revert pgattest:vex_rekor_linkage from pg
-- Non-destructive: the links (and the entries' verification metadata) are parked in
-- _pgattest.vex_rekor_linkage_parked, which the deploy script restores from. To drop
-- them for good, drop that table after reverting.

BEGIN;

CREATE TABLE IF NOT EXISTS _pgattest.vex_rekor_linkage_parked (
    table_name            text NOT NULL,
    tenant_id             text NOT NULL,
    id                    uuid NOT NULL,
    rekor_uuid            text,
    rekor_log_index       bigint,
    rekor_integrated_time timestamptz,
    rekor_entry_id        uuid,
    rekor_linked_at       timestamptz,
    verifier_version      text,
    verification_error    text,
    PRIMARY KEY (table_name, tenant_id, id)
);
REVOKE ALL ON _pgattest.vex_rekor_linkage_parked FROM PUBLIC;
INSERT INTO _pgattest.vex_rekor_linkage_parked
SELECT 'vex.observations', tenant_id, id, rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at, NULL, NULL
  FROM vex.observations WHERE rekor_entry_id IS NOT NULL
UNION ALL
SELECT 'vexhub.statements', tenant_id, id, rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at, NULL, NULL
  FROM vexhub.statements WHERE rekor_entry_id IS NOT NULL
UNION ALL
SELECT 'vexhub.documents', tenant_id, id, rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at, NULL, NULL
  FROM vexhub.documents WHERE rekor_entry_id IS NOT NULL
UNION ALL
SELECT 'proofchain.rekor_entries', tenant_id, id, NULL, NULL, NULL, NULL, NULL, verifier_version, verification_error
  FROM proofchain.rekor_entries WHERE verifier_version IS NOT NULL OR verification_error IS NOT NULL
ON CONFLICT DO NOTHING;

ALTER TABLE vex.observations DROP COLUMN rekor_uuid, DROP COLUMN rekor_log_index, DROP COLUMN rekor_integrated_time,
    DROP COLUMN rekor_entry_id, DROP COLUMN rekor_linked_at;
ALTER TABLE vexhub.statements DROP COLUMN rekor_uuid, DROP COLUMN rekor_log_index, DROP COLUMN rekor_integrated_time,
    DROP COLUMN rekor_entry_id, DROP COLUMN rekor_linked_at;
ALTER TABLE vexhub.documents DROP COLUMN rekor_uuid, DROP COLUMN rekor_log_index, DROP COLUMN rekor_integrated_time,
    DROP COLUMN rekor_entry_id, DROP COLUMN rekor_linked_at;
-- verified_at belongs to proofchain.rekor_entries from the start: only the added columns go.
ALTER TABLE proofchain.rekor_entries DROP COLUMN verifier_version, DROP COLUMN verification_error;

COMMIT;
