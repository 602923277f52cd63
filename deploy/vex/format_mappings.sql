-- Deploy pgattest:vex/format_mappings to pg
-- requires: _pgattest/vex_mappings
-- Global, published: how each format's words map to OpenVEX's (one copy: the importers'
-- own table, loaded from the library at deploy).

BEGIN;

SET LOCAL ROLE pgattest_owner;

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

GRANT SELECT ON vex.format_mappings TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
