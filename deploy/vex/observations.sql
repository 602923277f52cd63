-- Deploy pgattest:vex/observations to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: _pgattest/observations_immutable proofchain/rekor_entries
-- VEX observations (tenant A says: product P is / is not affected by vulnerability V),
-- content-addressed and immutable, with the Rekor link that proves each one (the seeds'
-- V20260117__vex_rekor_linkage, folded in).
--
-- Names: observation_id, everywhere in the API, is this table's id (uuid); content_id is
-- the 'sha256:' content id of the normalized statement (vex.verdict_id(statement_text)).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vex.observations (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id             text        NOT NULL REFERENCES core.tenants,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    content_id            text        NOT NULL CHECK (content_id ~ '^sha256:[0-9a-f]{64}$'),
    vulnerability_id      text        NOT NULL CHECK (vulnerability_id ~ '^[A-Za-z][A-Za-z0-9._:-]{1,127}$'),
    product_key           text        NOT NULL CHECK (product_key <> '' AND length(product_key) <= 2048),
    provider              text        NOT NULL CHECK (provider ~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$'),
    status                text        NOT NULL CHECK (status IN ('not_affected', 'affected', 'fixed', 'under_investigation')),
    justification         text        CHECK (justification IN ('component_not_present', 'vulnerable_code_not_present',
                                                               'vulnerable_code_not_in_execute_path',
                                                               'vulnerable_code_cannot_be_controlled_by_adversary',
                                                               'inline_mitigations_already_exist')),
    impact_statement      text,
    action_statement      text,
    statement_text        text        NOT NULL,
    statement             jsonb       NOT NULL,
    statement_timestamp   timestamptz NOT NULL,
    source_format         text        NOT NULL CHECK (source_format IN ('openvex', 'csaf', 'cyclonedx')),
    source_text           text        NOT NULL,
    supersedes            uuid,
    rekor_uuid            text,
    rekor_log_index       bigint,
    rekor_integrated_time timestamptz,
    rekor_entry_id        uuid,
    rekor_linked_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    -- The same statement from the same provider is one observation.
    CONSTRAINT observations_tenant_id_provider_content_id_key UNIQUE (tenant_id, provider, content_id),
    FOREIGN KEY (tenant_id, supersedes) REFERENCES vex.observations (tenant_id, id),
    CONSTRAINT rekor_entry_fk FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    CHECK (status <> 'not_affected' OR justification IS NOT NULL OR impact_statement IS NOT NULL),
    -- A link is whole: an entry id with its uuid, index and time, or nothing.
    CONSTRAINT rekor_link_whole CHECK ((rekor_entry_id IS NULL) = (rekor_uuid IS NULL)
                                       AND (rekor_entry_id IS NULL) = (rekor_log_index IS NULL)
                                       AND (rekor_entry_id IS NULL) = (rekor_linked_at IS NULL))
);
SELECT _pgattest.enable_tenancy('vex.observations');
CREATE INDEX observations_vulnerability ON vex.observations (tenant_id, vulnerability_id);
CREATE INDEX observations_product ON vex.observations (tenant_id, product_key);
CREATE INDEX observations_provider_status ON vex.observations (tenant_id, provider, status);
CREATE INDEX observations_supersedes ON vex.observations (tenant_id, supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX observations_rekor_uuid ON vex.observations (tenant_id, rekor_uuid) WHERE rekor_uuid IS NOT NULL;
CREATE INDEX observations_rekor_log_index ON vex.observations (tenant_id, rekor_log_index) WHERE rekor_log_index IS NOT NULL;
CREATE INDEX observations_rekor_entry ON vex.observations (tenant_id, rekor_entry_id) WHERE rekor_entry_id IS NOT NULL;
-- The linker's queue: unlinked observations in (created_at, id) order.
CREATE INDEX observations_unlinked ON vex.observations (created_at, id) WHERE rekor_entry_id IS NULL;

-- Immutability: only the Rekor link may be set, once.
CREATE TRIGGER observations_immutable BEFORE UPDATE OR DELETE ON vex.observations
    FOR EACH ROW EXECUTE FUNCTION _pgattest.observations_immutable();

COMMENT ON TABLE vex.observations IS
    'VEX observations: one provider''s statement that a product (purl) is or is not affected by a vulnerability. id is the observation id (observation_id in every function and table of the API); content_id is the content id (sha256 of the RFC 8785 form, vex.verdict_id) of the normalized single-product OpenVEX statement in statement_text (statement is its JSONB copy for queries; source_text the fragment of the document it came from). Immutable once written, except for setting its Rekor link: new information is a new observation that supersedes the provider''s previous one (supersedes). Written through the vex functions.';
COMMENT ON COLUMN vex.observations.content_id IS
    '''sha256:'' and the hex SHA-256 of the RFC 8785 form of statement_text: what an attestation names as its in-toto subject to prove this observation. Two providers making the same statement share it (unique per provider).';
COMMENT ON COLUMN vex.observations.statement_timestamp IS 'When the provider made the statement (the statement''s timestamp, else its document''s).';
COMMENT ON COLUMN vex.observations.supersedes IS 'The same provider''s previous observation of this vulnerability and product, which this one replaces.';
COMMENT ON COLUMN vex.observations.rekor_entry_id IS
    'The Rekor entry that proves this observation (with its uuid, global log index and integrated time copied for lookups, and when the link was made); NULL while the observation waits in vex.pending_rekor_links. Set once, by vex.link_rekor or when the entry of an attestation submitted for it is stored.';

GRANT SELECT ON vex.observations TO pgattest_app, pgattest_admin;

COMMIT;
