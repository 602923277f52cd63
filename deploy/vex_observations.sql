-- Deploy pgattest:vex_observations to pg
-- requires: tenant_tables
-- requires: pylib
-- VEX observations (tenant A says: product P is / is not affected by vulnerability V),
-- content-addressed and immutable; the hub's imported documents and their statements;
-- issuer trust; the published mapping between OpenVEX, CSAF and CycloneDX vocabularies.
-- The Rekor linkage columns come in their own change (vex_rekor_linkage).

BEGIN;

-- plpython3u is untrusted: the deploying superuser creates these, then hands them over.
SELECT _pgattest.define_py_function('_pgattest.vex_parse(format text, document text)', 'jsonb',
                                    'IMMUTABLE STRICT PARALLEL SAFE', 'vex_parse');
SELECT _pgattest.define_py_function('_pgattest.vex_normalize_statement(statement text, default_timestamp text)', 'jsonb',
                                    'IMMUTABLE PARALLEL SAFE', 'vex_normalize_statement');
SELECT _pgattest.define_py_function('_pgattest.vex_mappings()', 'jsonb', 'IMMUTABLE PARALLEL SAFE', 'vex_mappings');
COMMENT ON FUNCTION _pgattest.vex_parse(text, text) IS
    'Observations of a VEX document (format openvex, csaf or cyclonedx) as a JSON array, one per vulnerability and product, normalized to OpenVEX terms; raises 22023 (22P02, 22007) when the document breaks its spec.';
COMMENT ON FUNCTION _pgattest.vex_normalize_statement(text, text) IS
    'Observations (one per product) of one OpenVEX statement, timestamped default_timestamp when it has none.';
COMMENT ON FUNCTION _pgattest.vex_mappings() IS 'The status and justification mappings of the VEX importers, as a JSON array.';
ALTER FUNCTION _pgattest.vex_parse(text, text) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.vex_normalize_statement(text, text) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.vex_mappings() OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.vex_parse(text, text), _pgattest.vex_normalize_statement(text, text),
    _pgattest.vex_mappings() FROM PUBLIC;

SET LOCAL ROLE pgattest_owner;

-- Global, published: how each format's words map to OpenVEX's (one copy: the importers'
-- own table, loaded from the library at deploy).
CREATE TABLE vex.format_mappings (
    format        text NOT NULL CHECK (format IN ('openvex', 'csaf', 'cyclonedx')),
    field         text NOT NULL CHECK (field IN ('status', 'justification')),
    native        text NOT NULL,
    status        text CHECK (status IN ('not_affected', 'affected', 'fixed', 'under_investigation')),
    justification text,
    note          text,
    PRIMARY KEY (format, field, native)
);
INSERT INTO vex.format_mappings (format, field, native, status, justification, note)
SELECT m ->> 'format', m ->> 'field', m ->> 'native', m ->> 'status', m ->> 'justification', m ->> 'note'
  FROM jsonb_array_elements(_pgattest.vex_mappings()) AS m;
COMMENT ON TABLE vex.format_mappings IS
    'The published mapping of the VEX importers: each format''s native status (CSAF product_status categories, CycloneDX analysis.state) and justification (CSAF flag labels, CycloneDX analysis.justification) to the OpenVEX status and justification pgattest stores. Global and read-only; loaded from the importers'' own table at deploy.';

CREATE TABLE vex.observations (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id           text        NOT NULL REFERENCES core.tenants,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    observation_id      text        NOT NULL CHECK (observation_id ~ '^sha256:[0-9a-f]{64}$'),
    vulnerability_id    text        NOT NULL CHECK (vulnerability_id ~ '^[A-Za-z][A-Za-z0-9._:-]{1,127}$'),
    product_key         text        NOT NULL CHECK (product_key <> '' AND length(product_key) <= 2048),
    provider            text        NOT NULL CHECK (provider ~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$'),
    status              text        NOT NULL CHECK (status IN ('not_affected', 'affected', 'fixed', 'under_investigation')),
    justification       text        CHECK (justification IN ('component_not_present', 'vulnerable_code_not_present',
                                                             'vulnerable_code_not_in_execute_path',
                                                             'vulnerable_code_cannot_be_controlled_by_adversary',
                                                             'inline_mitigations_already_exist')),
    impact_statement    text,
    action_statement    text,
    statement_text      text        NOT NULL,
    statement           jsonb       NOT NULL,
    statement_timestamp timestamptz NOT NULL,
    source_format       text        NOT NULL CHECK (source_format IN ('openvex', 'csaf', 'cyclonedx')),
    source_text         text        NOT NULL,
    supersedes          uuid,
    PRIMARY KEY (tenant_id, id),
    -- The same statement from the same provider is one observation.
    UNIQUE (tenant_id, provider, observation_id),
    FOREIGN KEY (tenant_id, supersedes) REFERENCES vex.observations (tenant_id, id),
    CHECK (status <> 'not_affected' OR justification IS NOT NULL OR impact_statement IS NOT NULL)
);
SELECT _pgattest.enable_tenancy('vex.observations');
CREATE INDEX observations_vulnerability ON vex.observations (tenant_id, vulnerability_id);
CREATE INDEX observations_product ON vex.observations (tenant_id, product_key);
CREATE INDEX observations_provider_status ON vex.observations (tenant_id, provider, status);
CREATE INDEX observations_supersedes ON vex.observations (tenant_id, supersedes) WHERE supersedes IS NOT NULL;

COMMENT ON TABLE vex.observations IS
    'VEX observations: one provider''s statement that a product (purl) is or is not affected by a vulnerability. observation_id is the content id (sha256 of the RFC 8785 form) of the normalized single-product OpenVEX statement in statement_text (statement is its JSONB copy for queries; source_text the fragment of the document it came from). Immutable once written, except for setting its Rekor link: new information is a new observation that supersedes the provider''s previous one (supersedes). Written through the vex functions.';
COMMENT ON COLUMN vex.observations.statement_timestamp IS 'When the provider made the statement (the statement''s timestamp, else its document''s).';
COMMENT ON COLUMN vex.observations.supersedes IS 'The same provider''s previous observation of this vulnerability and product, which this one replaces.';

-- Immutability. Only the Rekor link (added by vex_rekor_linkage) may be set, once.
CREATE FUNCTION _pgattest.observations_immutable()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    linkage CONSTANT text[] := ARRAY['rekor_uuid', 'rekor_log_index', 'rekor_integrated_time', 'rekor_entry_id',
                                     'rekor_linked_at', 'updated_at'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% row % is immutable and cannot be deleted', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id
            USING ERRCODE = '23PA2', HINT = 'Record a new observation that supersedes it.';
    END IF;
    IF (to_jsonb(NEW) - linkage) IS DISTINCT FROM (to_jsonb(OLD) - linkage) THEN
        RAISE EXCEPTION '% row % is immutable: only its Rekor link may be set', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id
            USING ERRCODE = '23PA2', HINT = 'Record a new observation that supersedes it (vex.update_status).';
    END IF;
    -- Once linked, the whole link (entry, uuid, index, time, when) stays as it is.
    IF to_jsonb(OLD) ->> 'rekor_entry_id' IS NOT NULL
       AND (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at') THEN
        RAISE EXCEPTION '% row % is already linked to Rekor entry %', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id,
                        to_jsonb(OLD) ->> 'rekor_entry_id'
            USING ERRCODE = '23PA2', HINT = 'A Rekor link is set once.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION _pgattest.observations_immutable() IS
    'BEFORE UPDATE OR DELETE trigger of VEX observations and hub statements: rejects (23PA2) deletes and every change except setting the Rekor link once.';
CREATE TRIGGER observations_immutable BEFORE UPDATE OR DELETE ON vex.observations
    FOR EACH ROW EXECUTE FUNCTION _pgattest.observations_immutable();

-- How much each provider is trusted, per tenant (for vex.merge).
CREATE TABLE vex.issuers (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id    text        NOT NULL REFERENCES core.tenants,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    provider     text        NOT NULL,
    trust_tier   integer     NOT NULL DEFAULT 0 CHECK (trust_tier BETWEEN 0 AND 100),
    trust_weight numeric     NOT NULL DEFAULT 0.5 CHECK (trust_weight BETWEEN 0 AND 1),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider)
);
SELECT _pgattest.enable_tenancy('vex.issuers');
COMMENT ON TABLE vex.issuers IS
    'Trust in VEX providers, per tenant: trust_tier orders issuers in vex.merge (higher wins), trust_weight is reported in merge traces. A provider not listed has tier 0 and weight 0.5.';

-- The hub: third-party VEX documents as imported, and the statements each contributed.
CREATE TABLE vexhub.documents (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id          text        NOT NULL REFERENCES core.tenants,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    provider           text        NOT NULL,
    format             text        NOT NULL CHECK (format IN ('openvex', 'csaf', 'cyclonedx')),
    document_ref       text,
    content_digest     text        NOT NULL CHECK (content_digest ~ '^sha256:[0-9a-f]{64}$'),
    document_text      text        NOT NULL,
    document           jsonb       NOT NULL,
    statement_count    integer     NOT NULL CHECK (statement_count > 0),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider, content_digest)
);
SELECT _pgattest.enable_tenancy('vexhub.documents');
CREATE INDEX documents_ref ON vexhub.documents (tenant_id, provider, document_ref);
COMMENT ON TABLE vexhub.documents IS
    'Third-party VEX documents (OpenVEX, CSAF VEX, CycloneDX VEX) as imported: the text, its content digest (unique per provider), the document''s own id (OpenVEX @id, CSAF tracking id, CycloneDX serialNumber) and how many observations it gave.';

CREATE TABLE vexhub.statements (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id          text        NOT NULL REFERENCES core.tenants,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    document_id        uuid        NOT NULL,
    observation_id     uuid        NOT NULL,
    vulnerability_id   text        NOT NULL,
    product_key        text        NOT NULL,
    status             text        NOT NULL,
    native_status      text,
    native_justification text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, document_id, observation_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES vexhub.documents (tenant_id, id),
    FOREIGN KEY (tenant_id, observation_id) REFERENCES vex.observations (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('vexhub.statements');
CREATE INDEX statements_observation ON vexhub.statements (tenant_id, observation_id);
CREATE TRIGGER statements_immutable BEFORE UPDATE OR DELETE ON vexhub.statements
    FOR EACH ROW EXECUTE FUNCTION _pgattest.observations_immutable();
COMMENT ON TABLE vexhub.statements IS
    'Each statement of a hub document, as the observation it became, with the native status and justification it was written in. Immutable except for its Rekor link.';

GRANT SELECT ON vex.format_mappings TO pgattest_app, pgattest_worker, pgattest_admin;
GRANT SELECT ON vex.observations, vex.issuers, vexhub.documents, vexhub.statements TO pgattest_app, pgattest_admin;

COMMIT;
