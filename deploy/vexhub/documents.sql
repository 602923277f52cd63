-- Deploy pgattest:vexhub/documents to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: proofchain/rekor_entries
-- The hub: third-party VEX documents as imported (their statements are
-- vexhub.statements), with the Rekor link of a document logged whole.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vexhub.documents (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id             text        NOT NULL REFERENCES core.tenants,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    provider              text        NOT NULL,
    format                text        NOT NULL CHECK (format IN ('openvex', 'csaf', 'cyclonedx')),
    document_ref          text,
    content_digest        text        NOT NULL CHECK (content_digest ~ '^sha256:[0-9a-f]{64}$'),
    document_text         text        NOT NULL,
    document              jsonb       NOT NULL,
    statement_count       integer     NOT NULL CHECK (statement_count > 0),
    rekor_uuid            text,
    rekor_log_index       bigint,
    rekor_integrated_time timestamptz,
    rekor_entry_id        uuid,
    rekor_linked_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider, content_digest),
    CONSTRAINT rekor_entry_fk FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    -- A link is whole: an entry id with its uuid, index and time, or nothing.
    CONSTRAINT rekor_link_whole CHECK ((rekor_entry_id IS NULL) = (rekor_uuid IS NULL)
                                       AND (rekor_entry_id IS NULL) = (rekor_log_index IS NULL)
                                       AND (rekor_entry_id IS NULL) = (rekor_linked_at IS NULL))
);
SELECT _pgattest.enable_tenancy('vexhub.documents');
CREATE INDEX documents_ref ON vexhub.documents (tenant_id, provider, document_ref);
CREATE INDEX documents_rekor_uuid ON vexhub.documents (tenant_id, rekor_uuid) WHERE rekor_uuid IS NOT NULL;

COMMENT ON TABLE vexhub.documents IS
    'Third-party VEX documents (OpenVEX, CSAF VEX, CycloneDX VEX) as imported: the text, its content digest (unique per provider), the document''s own id (OpenVEX @id, CSAF tracking id, CycloneDX serialNumber) and how many observations it gave.';
COMMENT ON COLUMN vexhub.documents.rekor_entry_id IS 'The Rekor entry that proves the document as a whole, when it was logged whole.';

GRANT SELECT ON vexhub.documents TO pgattest_app, pgattest_admin;

COMMIT;
