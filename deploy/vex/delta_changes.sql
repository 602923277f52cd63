-- Deploy pgattest:vex/delta_changes to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: vex/observations proofchain/rekor_entries
-- What changed in a provider's VEX, with the Rekor entries proving each side once both exist.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vex.delta_changes (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id          text        NOT NULL REFERENCES core.tenants,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    change_kind        text        NOT NULL CHECK (change_kind IN ('added', 'removed', 'status_changed')),
    vulnerability_id   text        NOT NULL,
    product_key        text        NOT NULL,
    provider           text        NOT NULL,
    old_observation_id uuid,
    new_observation_id uuid,
    old_status         text,
    new_status         text,
    reason_code        text        NOT NULL CHECK (reason_code ~ '^[a-z][a-z0-9_]{1,63}$'),
    old_rekor_entry_id uuid,
    new_rekor_entry_id uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, old_observation_id) REFERENCES vex.observations (tenant_id, id),
    FOREIGN KEY (tenant_id, new_observation_id) REFERENCES vex.observations (tenant_id, id),
    FOREIGN KEY (tenant_id, old_rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, new_rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    CHECK ((change_kind = 'added') = (old_observation_id IS NULL)),
    CHECK ((change_kind = 'removed') = (new_observation_id IS NULL))
);
SELECT _pgattest.enable_tenancy('vex.delta_changes');
CREATE INDEX delta_changes_created ON vex.delta_changes (tenant_id, created_at);
CREATE INDEX delta_changes_old ON vex.delta_changes (tenant_id, old_observation_id);
CREATE INDEX delta_changes_new ON vex.delta_changes (tenant_id, new_observation_id);

COMMENT ON TABLE vex.delta_changes IS
    'What changed in a provider''s VEX: a statement added, removed (a re-imported document no longer makes it) or its status changed (old and new status, with a reason code). old_observation_id and new_observation_id are the observations (vex.observations.id) on each side; old_rekor_entry_id and new_rekor_entry_id link the Rekor entries proving them once both exist (set when each side is linked).';

GRANT SELECT ON vex.delta_changes TO pgattest_app, pgattest_admin;

COMMIT;
