-- Deploy pgattest:_pgattest/ingest_document to pg
-- requires: core/require_tenant _pgattest/vex_parse _pgattest/store_observations proofchain/content_id
-- requires: vex/observations vex/delta_changes vexhub/documents vexhub/statements
-- The shared body of the vex.ingest_* importers.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.ingest_document(format text, document text, provider text)
RETURNS TABLE (observation_id uuid, content_id text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    parsed jsonb;
    doc jsonb;
    digest text;
    ref text;
    doc_id uuid;
    previous uuid;
BEGIN
    IF document IS NULL OR provider IS NULL THEN
        RAISE EXCEPTION 'document and provider are required' USING ERRCODE = '22004', HINT = 'Pass the document''s text and who published it.';
    END IF;
    parsed := _pgattest.vex_parse(format, document);
    doc := document::jsonb;
    digest := proofchain.content_id(document);
    ref := CASE format WHEN 'openvex' THEN doc ->> '@id' WHEN 'csaf' THEN doc #>> '{document,tracking,id}'
                       ELSE doc ->> 'serialNumber' END;
    SELECT d.id INTO previous FROM vexhub.documents d
     WHERE d.provider = ingest_document.provider AND d.document_ref = ref AND d.content_digest <> digest
     ORDER BY d.created_at DESC, d.id LIMIT 1;

    INSERT INTO vexhub.documents AS d (tenant_id, provider, format, document_ref, content_digest, document_text, document, statement_count)
    VALUES (tenant, ingest_document.provider, ingest_document.format, ref, digest, document, doc, jsonb_array_length(parsed))
    ON CONFLICT ON CONSTRAINT documents_tenant_id_provider_content_digest_key DO NOTHING
    RETURNING d.id INTO doc_id;
    IF doc_id IS NULL THEN  -- the same document again: nothing new
        RETURN QUERY SELECT o.id, o.content_id FROM vex.observations o
                      WHERE o.provider = ingest_document.provider
                        AND o.content_id IN (SELECT p ->> 'content_id' FROM jsonb_array_elements(parsed) AS p);
        RETURN;
    END IF;

    RETURN QUERY
    WITH stored AS (
        SELECT s.observation_id AS id, s.content_id AS cid
          FROM _pgattest.store_observations(parsed, ingest_document.provider, 'document_update') AS s
    ), statements AS (
        -- A statement the provider made before (now in a new version of the document) is
        -- proven already: it carries its observation's link.
        INSERT INTO vexhub.statements (tenant_id, document_id, observation_id, vulnerability_id, product_key, status,
                                       native_status, native_justification, rekor_uuid, rekor_log_index,
                                       rekor_integrated_time, rekor_entry_id, rekor_linked_at)
        SELECT tenant, doc_id, s.id, p ->> 'vulnerability_id', p ->> 'product_key', p ->> 'status',
               p ->> 'native_status', p ->> 'native_justification', o.rekor_uuid, o.rekor_log_index,
               o.rekor_integrated_time, o.rekor_entry_id, o.rekor_linked_at
          FROM stored s JOIN jsonb_array_elements(parsed) AS p ON p ->> 'content_id' = s.cid
          LEFT JOIN vex.observations o ON o.id = s.id
        ON CONFLICT DO NOTHING
    ), removed AS (
        -- A new version of a document that no longer speaks of a vulnerability and product.
        INSERT INTO vex.delta_changes (tenant_id, change_kind, vulnerability_id, product_key, provider,
                                       old_observation_id, old_status, reason_code, old_rekor_entry_id)
        SELECT tenant, 'removed', st.vulnerability_id, st.product_key, ingest_document.provider, st.observation_id, st.status,
               'document_update', o.rekor_entry_id
          FROM vexhub.statements st JOIN vex.observations o ON o.id = st.observation_id
         WHERE st.document_id = previous
           AND NOT EXISTS (SELECT FROM jsonb_array_elements(parsed) AS p
                            WHERE p ->> 'vulnerability_id' = st.vulnerability_id AND p ->> 'product_key' = st.product_key)
    )
    SELECT s.id, s.cid FROM stored s;
END
$$;

COMMENT ON FUNCTION _pgattest.ingest_document(text, text, text) IS
    'Shared body of the vex.ingest_* importers: parses and validates the document, stores it in vexhub.documents and its statements as observations and hub statements, and records removals against the previous version of the same document (same provider and document id). Returns each observation''s observation_id and content_id.';
REVOKE ALL ON FUNCTION _pgattest.ingest_document(text, text, text) FROM PUBLIC;

COMMIT;
