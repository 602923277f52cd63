-- Deploy pgattest:vexhub/statements to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: vexhub/documents vex/observations _pgattest/observations_immutable proofchain/rekor_entries
-- Each statement of a hub document as the observation it became. Immutable like the
-- observations: only its Rekor link (its observation's) may be set, once.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vexhub.statements (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id             text        NOT NULL REFERENCES core.tenants,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    document_id           uuid        NOT NULL,
    observation_id        uuid        NOT NULL,
    vulnerability_id      text        NOT NULL,
    product_key           text        NOT NULL,
    status                text        NOT NULL,
    native_status         text,
    native_justification  text,
    rekor_uuid            text,
    rekor_log_index       bigint,
    rekor_integrated_time timestamptz,
    rekor_entry_id        uuid,
    rekor_linked_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, document_id, observation_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES vexhub.documents (tenant_id, id),
    FOREIGN KEY (tenant_id, observation_id) REFERENCES vex.observations (tenant_id, id),
    CONSTRAINT rekor_entry_fk FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    -- A link is whole: an entry id with its uuid, index and time, or nothing.
    CONSTRAINT rekor_link_whole CHECK ((rekor_entry_id IS NULL) = (rekor_uuid IS NULL)
                                       AND (rekor_entry_id IS NULL) = (rekor_log_index IS NULL)
                                       AND (rekor_entry_id IS NULL) = (rekor_linked_at IS NULL))
);
SELECT _pgattest.enable_tenancy('vexhub.statements');
CREATE INDEX statements_observation ON vexhub.statements (tenant_id, observation_id);
CREATE INDEX statements_rekor_uuid ON vexhub.statements (tenant_id, rekor_uuid) WHERE rekor_uuid IS NOT NULL;
CREATE INDEX statements_rekor_entry ON vexhub.statements (tenant_id, rekor_entry_id) WHERE rekor_entry_id IS NOT NULL;
CREATE TRIGGER statements_immutable BEFORE UPDATE OR DELETE ON vexhub.statements
    FOR EACH ROW EXECUTE FUNCTION _pgattest.observations_immutable();

COMMENT ON TABLE vexhub.statements IS
    'Each statement of a hub document, as the observation it became (observation_id, vex.observations.id), with the native status and justification it was written in. Immutable except for its Rekor link.';
COMMENT ON COLUMN vexhub.statements.rekor_entry_id IS 'The Rekor entry that proves this hub statement (set with its observation''s link).';

GRANT SELECT ON vexhub.statements TO pgattest_app, pgattest_admin;

COMMIT;
