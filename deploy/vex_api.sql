-- Deploy pgattest:vex_api to pg
-- requires: vex_rekor_linkage
-- requires: canonical_json
-- The VEX API: record and import observations, link them to the Rekor entries that
-- prove them, the linker's pending queue, deltas and deterministic merges. Its revert is
-- non-destructive: the deltas and merge traces are parked and restored at the end here.

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
    'What changed in a provider''s VEX: a statement added, removed (a re-imported document no longer makes it) or its status changed (old and new status, with a reason code). old_rekor_entry_id and new_rekor_entry_id link the Rekor entries proving the old and the new observation once both exist (set by vex.link_rekor).';

CREATE TABLE vex.merge_traces (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id             text        NOT NULL REFERENCES core.tenants,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    vulnerability_id      text        NOT NULL,
    product_key           text        NOT NULL,
    effective_status      text        NOT NULL,
    justification         text,
    winner_observation_id uuid        NOT NULL,
    has_conflict          boolean     NOT NULL,
    sources               jsonb       NOT NULL,
    trace_digest          text        NOT NULL CHECK (trace_digest ~ '^sha256:[0-9a-f]{64}$'),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, trace_digest),
    FOREIGN KEY (tenant_id, winner_observation_id) REFERENCES vex.observations (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('vex.merge_traces');
CREATE INDEX merge_traces_subject ON vex.merge_traces (tenant_id, vulnerability_id, product_key);
COMMENT ON TABLE vex.merge_traces IS
    'Results of vex.merge: the effective status of a vulnerability for a product with every source statement that went into it (issuer, trust tier and weight, timestamp, Rekor entry, verification strength, rank, and whether it won, agreed or conflicted). trace_digest is the content id of the trace: the same inputs give the same trace and digest, stored once.';

GRANT SELECT ON vex.delta_changes, vex.merge_traces TO pgattest_app, pgattest_admin;

CREATE FUNCTION vex.verdict_id(statement text)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT proofchain.content_id(statement) $$;
COMMENT ON FUNCTION vex.verdict_id(text) IS
    '''sha256:'' and the hex SHA-256 of the RFC 8785 canonical form of a JSON statement: equal for semantically equal JSON whatever its key order and whitespace. An observation''s observation_id is the verdict id of its statement_text. Raises 22P02 for text that is not JSON, 22023 for JSON RFC 8785 cannot represent (duplicate keys, numbers beyond doubles).';

-- Stores normalized observations (from _pgattest.vex_parse or vex_normalize_statement)
-- for the current tenant and provider: new ones supersede the provider's current
-- observation of the same vulnerability and product, and deltas record what changed.
CREATE FUNCTION _pgattest.store_observations(observations jsonb, provider text, reason_code text)
RETURNS TABLE (id uuid, observation_id text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF provider IS NULL OR provider !~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$' THEN
        RAISE EXCEPTION 'invalid provider %', coalesce(quote_literal(provider), 'NULL')
            USING ERRCODE = '22023', HINT = 'Name the provider with 1 to 200 letters, digits and ._:/@- (e.g. vendor.example/psirt).';
    END IF;
    RETURN QUERY
    WITH incoming AS (
        SELECT o, prev.id AS prev_id, prev.status AS prev_status
          -- A document may state one thing twice: it is one observation, one delta.
          FROM (SELECT DISTINCT ON (e ->> 'observation_id') e AS o
                  FROM jsonb_array_elements(observations) AS e ORDER BY e ->> 'observation_id') AS d
          LEFT JOIN LATERAL (
                SELECT p.id, p.status FROM vex.observations p
                 WHERE p.provider = store_observations.provider AND p.vulnerability_id = o ->> 'vulnerability_id'
                   AND p.product_key = o ->> 'product_key' AND p.observation_id <> o ->> 'observation_id'
                   AND p.statement_timestamp <= (o ->> 'timestamp')::timestamptz
                   AND NOT EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = p.id)
                 ORDER BY p.statement_timestamp DESC, p.created_at DESC, p.id
                 LIMIT 1) prev ON true
    ), stored AS (
        INSERT INTO vex.observations AS x
               (tenant_id, observation_id, vulnerability_id, product_key, provider, status, justification,
                impact_statement, action_statement, statement_text, statement, statement_timestamp, source_format,
                source_text, supersedes)
        SELECT tenant, i.o ->> 'observation_id', i.o ->> 'vulnerability_id', i.o ->> 'product_key',
               store_observations.provider, i.o ->> 'status', i.o ->> 'justification', i.o ->> 'impact_statement',
               i.o ->> 'action_statement', i.o ->> 'statement', (i.o ->> 'statement')::jsonb,
               (i.o ->> 'timestamp')::timestamptz, i.o ->> 'source_format', i.o ->> 'source', i.prev_id
          FROM incoming i
        ON CONFLICT ON CONSTRAINT observations_tenant_id_provider_observation_id_key DO NOTHING
        RETURNING x.id, x.observation_id, x.vulnerability_id, x.product_key, x.status, x.supersedes
    ), deltas AS (
        INSERT INTO vex.delta_changes (tenant_id, change_kind, vulnerability_id, product_key, provider,
                                       old_observation_id, new_observation_id, old_status, new_status, reason_code,
                                       old_rekor_entry_id)
        SELECT tenant, CASE WHEN s.supersedes IS NULL THEN 'added' ELSE 'status_changed' END, s.vulnerability_id,
               s.product_key, store_observations.provider, s.supersedes, s.id, i.prev_status, s.status,
               CASE WHEN s.supersedes IS NULL THEN 'new_statement' ELSE store_observations.reason_code END,
               (SELECT p.rekor_entry_id FROM vex.observations p WHERE p.id = s.supersedes)
          FROM stored s JOIN incoming i ON i.o ->> 'observation_id' = s.observation_id
         WHERE s.supersedes IS NULL OR i.prev_status <> s.status
    )
    SELECT s.id, s.observation_id FROM stored s
    UNION ALL
    SELECT x.id, x.observation_id FROM vex.observations x
     WHERE x.provider = store_observations.provider
       AND x.observation_id IN (SELECT i.o ->> 'observation_id' FROM incoming i)
       AND x.observation_id NOT IN (SELECT s.observation_id FROM stored s);
END
$$;
COMMENT ON FUNCTION _pgattest.store_observations(jsonb, text, text) IS
    'Stores normalized observations for the current tenant and provider (idempotent by observation id), superseding the provider''s current observation of each vulnerability and product, and records deltas (added, or status_changed with reason_code). Returns the ids, stored or already there.';

CREATE FUNCTION vex.record_observation(statement text, provider text, statement_timestamp timestamptz DEFAULT NULL)
RETURNS TABLE (id uuid, observation_id text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.id, s.observation_id
      FROM _pgattest.store_observations(
               _pgattest.vex_normalize_statement(
                   statement,
                   to_char(coalesce(statement_timestamp, now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
               provider, 'provider_update') AS s
$$;
COMMENT ON FUNCTION vex.record_observation(text, text, timestamptz) IS
    'Records one OpenVEX statement (JSON text: vulnerability, products, status, justification, impact/action statement, timestamp) from provider for the current tenant: one observation per product, content-addressed and idempotent. statement_timestamp (default now) applies when the statement has none. For pgattest_app. Raises 42501 without a tenant, 22023 for a statement that breaks OpenVEX (naming the field) or a bad provider, 22007 for a bad timestamp, 22P02 for text that is not JSON.';

CREATE FUNCTION _pgattest.ingest_document(format text, document text, provider text)
RETURNS TABLE (id uuid, observation_id text)
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
        RETURN QUERY SELECT o.id, o.observation_id FROM vex.observations o
                      WHERE o.provider = ingest_document.provider
                        AND o.observation_id IN (SELECT p ->> 'observation_id' FROM jsonb_array_elements(parsed) AS p);
        RETURN;
    END IF;

    RETURN QUERY
    WITH stored AS (
        SELECT s.id, s.observation_id FROM _pgattest.store_observations(parsed, ingest_document.provider, 'document_update') AS s
    ), statements AS (
        -- A statement the provider made before (now in a new version of the document) is
        -- proven already: it carries its observation's link.
        INSERT INTO vexhub.statements (tenant_id, document_id, observation_id, vulnerability_id, product_key, status,
                                       native_status, native_justification, rekor_uuid, rekor_log_index,
                                       rekor_integrated_time, rekor_entry_id, rekor_linked_at)
        SELECT tenant, doc_id, s.id, p ->> 'vulnerability_id', p ->> 'product_key', p ->> 'status',
               p ->> 'native_status', p ->> 'native_justification', o.rekor_uuid, o.rekor_log_index,
               o.rekor_integrated_time, o.rekor_entry_id, o.rekor_linked_at
          FROM stored s JOIN jsonb_array_elements(parsed) AS p ON p ->> 'observation_id' = s.observation_id
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
    SELECT s.id, s.observation_id FROM stored s;
END
$$;
COMMENT ON FUNCTION _pgattest.ingest_document(text, text, text) IS
    'Shared body of the vex.ingest_* importers: parses and validates the document, stores it in vexhub.documents and its statements as observations and hub statements, and records removals against the previous version of the same document (same provider and document id).';

CREATE FUNCTION vex.ingest_openvex(document text, provider text)
RETURNS TABLE (id uuid, observation_id text)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM _pgattest.ingest_document('openvex', document, provider) $$;
CREATE FUNCTION vex.ingest_csaf_vex(document text, provider text)
RETURNS TABLE (id uuid, observation_id text)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM _pgattest.ingest_document('csaf', document, provider) $$;
CREATE FUNCTION vex.ingest_cyclonedx_vex(document text, provider text)
RETURNS TABLE (id uuid, observation_id text)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM _pgattest.ingest_document('cyclonedx', document, provider) $$;
COMMENT ON FUNCTION vex.ingest_openvex(text, text) IS
    'Imports an OpenVEX v0.2.0 document from provider for the current tenant: one observation per statement and product (timestamps cascade from the document), the document in vexhub.documents, its statements in vexhub.statements; idempotent. Returns the observations. For pgattest_app. Raises 42501 without a tenant, 22023 when the document lacks a required field (@context, @id, author, timestamp, version, statements; a statement''s vulnerability, products or status; justification or impact for not_affected; action for affected), naming its JSON path; 22007 for a bad timestamp; 22P02 for text that is not JSON; 22004 for NULL.';
COMMENT ON FUNCTION vex.ingest_csaf_vex(text, text) IS
    'Imports a CSAF 2.0 VEX document (profile csaf_vex) like vex.ingest_openvex: product_status categories map to OpenVEX statuses through vex.format_mappings, flags give justifications, impact threats the impact statement, remediations the action; products resolve to the purl of their product_identification_helper. Raises 22023 for a document that breaks the VEX profile (category, csaf_version, tracking, product_tree, product_status, a known_not_affected product without flag or impact, a known_affected one without remediation, an undeclared product id), with the errors of vex.ingest_openvex otherwise.';
COMMENT ON FUNCTION vex.ingest_cyclonedx_vex(text, text) IS
    'Imports a CycloneDX 1.4 to 1.6 VEX (vulnerabilities[].analysis) like vex.ingest_openvex: analysis.state and analysis.justification map through vex.format_mappings, analysis.detail is the impact statement, recommendation the action, affects[].ref resolves to its component''s purl. Raises 22023 for a document that breaks the spec (bomFormat, specVersion, vulnerabilities, id, analysis.state, an unresolvable ref), with the errors of vex.ingest_openvex otherwise.';

CREATE FUNCTION vex.link_rekor(observation_id uuid, rekor_entry_id uuid)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    obs vex.observations;
    entry proofchain.rekor_entries;
BEGIN
    IF observation_id IS NULL OR rekor_entry_id IS NULL THEN
        RAISE EXCEPTION 'observation_id and rekor_entry_id are required' USING ERRCODE = '22004', HINT = 'Pass both ids.';
    END IF;
    SELECT * INTO obs FROM vex.observations o WHERE o.id = link_rekor.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation % for tenant %', observation_id, tenant
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    SELECT * INTO entry FROM proofchain.rekor_entries r WHERE r.id = link_rekor.rekor_entry_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown Rekor entry % for tenant %', rekor_entry_id, tenant
            USING ERRCODE = '22023', HINT = 'Pass an id from proofchain.rekor_entries (stored once the entry verified).';
    END IF;
    IF obs.rekor_entry_id = entry.id THEN
        RETURN entry.id;  -- linked already: nothing changes
    ELSIF obs.rekor_entry_id IS NOT NULL THEN
        RAISE EXCEPTION 'observation % is already linked to Rekor entry %, not %', obs.id, obs.rekor_entry_id, entry.id
            USING ERRCODE = '23PA2', HINT = 'A Rekor link is set once; a new statement is a new observation.';
    END IF;
    -- The entry must attest this very observation: its envelope names the observation's
    -- content id among its in-toto subjects.
    IF NOT EXISTS (SELECT FROM proofchain.envelope_subjects s
                    WHERE s.envelope_id = entry.envelope_id AND s.digest_algorithm = 'sha256'
                      AND s.digest = substr(obs.observation_id, 8)) THEN
        RAISE EXCEPTION 'Rekor entry % does not attest observation % (%)', entry.id, obs.id, obs.observation_id
            USING ERRCODE = '22023',
                  HINT = 'Log an attestation whose subject digest sha256 is the observation id, then link its entry.';
    END IF;
    UPDATE vex.observations o
       SET rekor_uuid = entry.uuid, rekor_log_index = entry.log_index, rekor_integrated_time = entry.integrated_time,
           rekor_entry_id = entry.id, rekor_linked_at = now()
     WHERE o.id = obs.id;
    UPDATE vexhub.statements s
       SET rekor_uuid = entry.uuid, rekor_log_index = entry.log_index, rekor_integrated_time = entry.integrated_time,
           rekor_entry_id = entry.id, rekor_linked_at = now()
     WHERE s.observation_id = obs.id AND s.rekor_entry_id IS NULL;
    UPDATE vex.delta_changes d SET new_rekor_entry_id = entry.id WHERE d.new_observation_id = obs.id;
    UPDATE vex.delta_changes d SET old_rekor_entry_id = entry.id WHERE d.old_observation_id = obs.id;
    RETURN entry.id;
END
$$;
COMMENT ON FUNCTION vex.link_rekor(uuid, uuid) IS
    'Links an observation (and its hub statements and deltas) to the Rekor entry that proves it: the entry''s attestation must name the observation id as an in-toto subject (sha256). Idempotent; returns the entry id. For pgattest_app and pgattest_worker (with the tenant set). Raises 42501 without a tenant, 22023 for an unknown observation or entry or an entry that does not attest the observation, 23PA2 when the observation is linked to another entry, 22004 for NULL.';

CREATE FUNCTION vex.link_rekor(observation_id uuid, rekor_uuid text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found uuid;
BEGIN
    PERFORM core.require_tenant();
    SELECT r.id INTO found FROM proofchain.rekor_entries r
     WHERE r.uuid = right(lower(link_rekor.rekor_uuid), 64) ORDER BY r.created_at, r.id LIMIT 1;
    IF found IS NULL THEN
        RAISE EXCEPTION 'no stored Rekor entry with uuid %', coalesce(quote_literal(rekor_uuid), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the 64- or 80-hex uuid of an entry in proofchain.rekor_entries.';
    END IF;
    RETURN vex.link_rekor(observation_id, found);
END
$$;
COMMENT ON FUNCTION vex.link_rekor(uuid, text) IS
    'vex.link_rekor by the entry''s Rekor uuid (64 hex, or the 80-hex entry id). Raises 22023 when no stored entry of the tenant has it, otherwise as vex.link_rekor(uuid, uuid).';

CREATE FUNCTION vex.pending_rekor_links(max_items integer DEFAULT 100)
RETURNS TABLE (tenant_id text, observation_id uuid, content_id text, statement_text text, created_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF max_items IS NULL OR max_items NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'invalid max_items %', coalesce(max_items::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Take between 1 and 10000 observations at a time.';
    END IF;
    RETURN QUERY
    SELECT o.tenant_id, o.id, o.observation_id, o.statement_text, o.created_at
      FROM vex.observations o
     WHERE o.rekor_entry_id IS NULL
     ORDER BY o.created_at, o.id
     LIMIT max_items
       FOR UPDATE SKIP LOCKED;
END
$$;
COMMENT ON FUNCTION vex.pending_rekor_links(integer) IS
    'The linker''s queue: up to max_items observations of any tenant with no Rekor link yet, oldest first in (created_at, id) order, locked FOR UPDATE SKIP LOCKED for the caller''s transaction so two linkers never take the same one. The linker logs an attestation naming each observation id and calls vex.link_rekor (with the tenant set). For pgattest_worker. Raises 22023 for max_items outside 1..10000.';

CREATE FUNCTION vex.observations_by_rekor(rekor_uuid text)
RETURNS TABLE (id uuid, observation_id text, vulnerability_id text, product_key text, provider text, status text,
               justification text, statement_timestamp timestamptz, rekor_uuid text, rekor_log_index bigint)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.id, o.observation_id, o.vulnerability_id, o.product_key, o.provider, o.status, o.justification,
           o.statement_timestamp, o.rekor_uuid, o.rekor_log_index
      FROM vex.observations o
     WHERE o.tenant_id = (SELECT core.current_tenant()) AND o.rekor_uuid = right(lower(observations_by_rekor.rekor_uuid), 64)
     ORDER BY o.created_at, o.id
$$;
CREATE FUNCTION vex.observations_by_rekor(log_index bigint, log_id text DEFAULT NULL)
RETURNS TABLE (id uuid, observation_id text, vulnerability_id text, product_key text, provider text, status text,
               justification text, statement_timestamp timestamptz, rekor_uuid text, rekor_log_index bigint)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.id, o.observation_id, o.vulnerability_id, o.product_key, o.provider, o.status, o.justification,
           o.statement_timestamp, o.rekor_uuid, o.rekor_log_index
      FROM vex.observations o
     WHERE o.tenant_id = (SELECT core.current_tenant()) AND o.rekor_log_index = observations_by_rekor.log_index
       -- Indexes count per log: with several logs registered, the log says which entry.
       AND (observations_by_rekor.log_id IS NULL
            OR EXISTS (SELECT FROM proofchain.rekor_entries r
                        WHERE r.id = o.rekor_entry_id AND r.log_id = observations_by_rekor.log_id))
     ORDER BY o.created_at, o.id
$$;
COMMENT ON FUNCTION vex.observations_by_rekor(text) IS
    'The current tenant''s observations a Rekor entry proves, by its uuid (64 hex, or the 80-hex entry id), with their status. For pgattest_app (row security applies).';
COMMENT ON FUNCTION vex.observations_by_rekor(bigint, text) IS
    'The current tenant''s observations a Rekor entry proves, by its global log index in the log log_id (attestor.transparency_logs), with their status; without log_id, the entries at that index in every registered log (indexes count per log). For pgattest_app (row security applies).';

CREATE FUNCTION vex.update_status(observation_id uuid, new_status text, reason_code text,
                                  justification text DEFAULT NULL, impact_statement text DEFAULT NULL,
                                  action_statement text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old vex.observations;
    created uuid;
BEGIN
    PERFORM core.require_tenant();
    SELECT * INTO old FROM vex.observations o WHERE o.id = update_status.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation %', observation_id
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    IF EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = old.id) THEN
        RAISE EXCEPTION 'observation % is superseded', old.id
            USING ERRCODE = '55000', HINT = 'Update the provider''s current observation of this vulnerability and product.';
    END IF;
    IF new_status IS NOT DISTINCT FROM old.status THEN
        RAISE EXCEPTION 'observation % already has status %', old.id, old.status
            USING ERRCODE = '22023', HINT = 'A status change needs a different status.';
    END IF;
    IF reason_code IS NULL OR reason_code !~ '^[a-z][a-z0-9_]{1,63}$' THEN
        RAISE EXCEPTION 'invalid reason_code %', coalesce(quote_literal(reason_code), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use a snake_case code, e.g. fix_released or analysis_complete.';
    END IF;
    SELECT s.id INTO created
      FROM _pgattest.store_observations(
               _pgattest.vex_normalize_statement(
                   jsonb_strip_nulls(jsonb_build_object(
                       'vulnerability', jsonb_build_object('name', old.vulnerability_id),
                       'products', jsonb_build_array(jsonb_build_object('@id', old.product_key)),
                       'status', new_status, 'justification', justification,
                       'impact_statement', impact_statement, 'action_statement', action_statement,
                       -- Strictly later than the statement it supersedes, even twice in one transaction.
                       'timestamp', to_char(greatest(now(), old.statement_timestamp + interval '1 microsecond') AT TIME ZONE 'UTC',
                                            'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))::text, NULL),
               old.provider, reason_code) AS s;
    RETURN created;
END
$$;
COMMENT ON FUNCTION vex.update_status(uuid, text, text, text, text, text) IS
    'Changes the status of a provider''s current observation: records a new observation (timestamped now) that supersedes it, which waits in vex.pending_rekor_links for its own Rekor entry, and a vex.delta_changes row (old and new status, reason_code) that links the old and the new entries once both exist. Returns the new observation''s id. For pgattest_app. Raises 42501 without a tenant, 22023 for an unknown observation, an unchanged status, a bad reason_code or a statement OpenVEX rejects (not_affected needs a justification or impact statement, affected an action statement), 55000 when the observation is superseded.';

CREATE FUNCTION vex.delta_summary(since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
RETURNS TABLE (added bigint, removed bigint, status_changed bigint)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT count(*) FILTER (WHERE d.change_kind = 'added'), count(*) FILTER (WHERE d.change_kind = 'removed'),
           count(*) FILTER (WHERE d.change_kind = 'status_changed')
      FROM vex.delta_changes d
     WHERE d.tenant_id = (SELECT core.current_tenant()) AND d.created_at >= since AND d.created_at < until
$$;
COMMENT ON FUNCTION vex.delta_summary(timestamptz, timestamptz) IS
    'Counts of the current tenant''s VEX changes recorded in [since, until): statements added, removed and status changes. For pgattest_app.';

CREATE FUNCTION vex.merge(vulnerability text, product text)
RETURNS vex.merge_traces
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    ranked jsonb;
    winner jsonb;
    effective jsonb;
    digest text;
    result vex.merge_traces;
BEGIN
    -- Each provider's current statements (not superseded) at its latest timestamp: a
    -- provider that contradicts itself at one time is a conflict to show, not to drop.
    -- A verified affected that only under_investigation statements of its provider came
    -- after stays a candidate (under_investigation never overrides it). Ranked by issuer
    -- trust tier, then verification strength (1 when a verified Rekor entry proves it),
    -- then recency, then the more cautious status; the content id breaks the last ties,
    -- so the order (and the digest) is a function of the inputs alone.
    WITH subject AS (
        SELECT o.id, o.observation_id, o.provider, o.status, o.justification, o.statement_timestamp,
               o.rekor_entry_id, o.rekor_uuid, o.rekor_log_index,
               NOT EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = o.id) AS is_current,
               o.rekor_entry_id IS NOT NULL
                   AND NOT EXISTS (SELECT FROM proofchain.rekor_entries r
                                    WHERE r.id = o.rekor_entry_id AND r.verification_error IS NOT NULL) AS verified
          FROM vex.observations o
         WHERE o.vulnerability_id = vulnerability AND o.product_key = product
    ), latest AS (
        SELECT c.*
          FROM (SELECT s.*, rank() OVER (PARTITION BY s.provider ORDER BY s.statement_timestamp DESC) AS at_latest
                  FROM subject s WHERE s.is_current) c
         WHERE c.at_latest = 1
    ), candidates AS (
        SELECT l.id, l.observation_id, l.provider, l.status, l.justification, l.statement_timestamp, l.rekor_entry_id,
               l.rekor_uuid, l.rekor_log_index, l.verified, true AS is_current
          FROM latest l
        UNION ALL
        SELECT a.id, a.observation_id, a.provider, a.status, a.justification, a.statement_timestamp, a.rekor_entry_id,
               a.rekor_uuid, a.rekor_log_index, a.verified, a.is_current
          FROM (SELECT DISTINCT ON (s.provider) s.* FROM subject s
                 WHERE s.status = 'affected' AND s.verified
                   AND EXISTS (SELECT FROM latest l WHERE l.provider = s.provider AND l.status = 'under_investigation')
                   AND NOT EXISTS (SELECT FROM latest l WHERE l.id = s.id)
                   AND NOT EXISTS (SELECT FROM subject later
                                    WHERE later.provider = s.provider AND later.statement_timestamp > s.statement_timestamp
                                      AND later.status <> 'under_investigation')
                 ORDER BY s.provider, s.statement_timestamp DESC, s.observation_id) a
    ), scored AS (
        SELECT c.*, coalesce(i.trust_tier, 0) AS tier, coalesce(i.trust_weight, 0.5) AS weight,
               CASE WHEN c.verified THEN 1 ELSE 0 END AS strength,
               array_position(ARRAY['affected', 'under_investigation', 'fixed', 'not_affected'], c.status) AS caution
          FROM candidates c LEFT JOIN vex.issuers i ON i.provider = c.provider
    )
    SELECT jsonb_agg(jsonb_build_object(
               'rank', s.rank, 'observation_id', s.observation_id, 'provider', s.provider, 'status', s.status,
               'justification', s.justification, 'trust_tier', s.tier, 'trust_weight', s.weight,
               'verification_strength', s.strength, 'current', s.is_current,
               'statement_timestamp', to_char(s.statement_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'rekor_entry_id', s.rekor_entry_id, 'rekor_uuid', s.rekor_uuid, 'rekor_log_index', s.rekor_log_index,
               'id', s.id) ORDER BY s.rank)
      INTO ranked
      FROM (SELECT sc.*, row_number() OVER (ORDER BY sc.tier DESC, sc.strength DESC, sc.statement_timestamp DESC,
                                                     sc.caution, sc.observation_id) AS rank
              FROM scored sc) s;
    IF ranked IS NULL THEN
        RAISE EXCEPTION 'no observations of % for %', vulnerability, product
            USING ERRCODE = '22023', HINT = 'Record or import VEX statements for this vulnerability and product first.';
    END IF;
    winner := ranked -> 0;
    effective := winner;
    -- under_investigation never overrides a verified affected.
    IF winner ->> 'status' = 'under_investigation' THEN
        SELECT r INTO effective FROM jsonb_array_elements(ranked) AS r
         WHERE r ->> 'status' = 'affected' AND (r ->> 'verification_strength')::integer = 1
         ORDER BY (r ->> 'rank')::integer LIMIT 1;
        effective := coalesce(effective, winner);
    END IF;
    ranked := (SELECT jsonb_agg(r || jsonb_build_object('role',
                          CASE WHEN r ->> 'rank' = effective ->> 'rank' THEN 'winner'
                               WHEN r ->> 'status' = effective ->> 'status' THEN 'agrees' ELSE 'conflicts' END)
                          ORDER BY (r ->> 'rank')::integer)
                 FROM jsonb_array_elements(ranked) AS r);
    digest := proofchain.content_id(jsonb_build_object(
        'vulnerability', vulnerability, 'product', product, 'effective_status', effective ->> 'status',
        'justification', effective -> 'justification', 'winner', effective ->> 'observation_id',
        'sources', (SELECT jsonb_agg(r - 'id' ORDER BY (r ->> 'rank')::integer) FROM jsonb_array_elements(ranked) AS r))::text);

    INSERT INTO vex.merge_traces AS m (tenant_id, vulnerability_id, product_key, effective_status, justification,
                                      winner_observation_id, has_conflict, sources, trace_digest)
    VALUES (tenant, vulnerability, product, effective ->> 'status', effective ->> 'justification',
            (effective ->> 'id')::uuid, EXISTS (SELECT FROM jsonb_array_elements(ranked) AS r WHERE r ->> 'role' = 'conflicts'),
            ranked, digest)
    ON CONFLICT ON CONSTRAINT merge_traces_tenant_id_trace_digest_key DO NOTHING
    RETURNING m.* INTO result;
    IF result.id IS NULL THEN
        SELECT * INTO result FROM vex.merge_traces m WHERE m.trace_digest = digest;
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION vex.merge(text, text) IS
    'The effective VEX status of vulnerability for product across all providers of the current tenant, written to vex.merge_traces with every source statement. Precedence: each provider''s latest current statements (all of them when it made several at once); then issuer trust tier (vex.issuers); then verification strength (a verified Rekor entry proves it); then recency; then the more cautious status (affected, under_investigation, fixed, not_affected). Conflicts stay in the trace (role conflicts); under_investigation never overrides a verified affected, not even its own provider''s earlier one (kept in the trace with current false). Deterministic: the same inputs give the same trace and trace_digest, stored once. For pgattest_app. Raises 42501 without a tenant, 22023 when there is no observation.';

CREATE FUNCTION vex.set_issuer_trust(provider text, trust_tier integer, trust_weight numeric DEFAULT 0.5)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF provider IS NULL OR provider !~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$' THEN
        RAISE EXCEPTION 'invalid provider %', coalesce(quote_literal(provider), 'NULL')
            USING ERRCODE = '22023', HINT = 'Name the provider as its observations do (1 to 200 letters, digits and ._:/@-).';
    END IF;
    IF trust_tier IS NULL OR trust_tier NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION 'invalid trust_tier % for provider %', coalesce(trust_tier::text, 'NULL'), provider
            USING ERRCODE = '22023', HINT = 'Give a tier from 0 to 100 (higher wins in vex.merge).';
    END IF;
    IF trust_weight IS NULL OR trust_weight NOT BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION 'invalid trust_weight % for provider %', coalesce(trust_weight::text, 'NULL'), provider
            USING ERRCODE = '22023', HINT = 'Give a weight from 0 to 1.';
    END IF;
    INSERT INTO vex.issuers AS i (tenant_id, provider, trust_tier, trust_weight)
    VALUES (tenant, set_issuer_trust.provider, set_issuer_trust.trust_tier, set_issuer_trust.trust_weight)
    ON CONFLICT ON CONSTRAINT issuers_tenant_id_provider_key
    DO UPDATE SET trust_tier = excluded.trust_tier, trust_weight = excluded.trust_weight;
END
$$;
COMMENT ON FUNCTION vex.set_issuer_trust(text, integer, numeric) IS
    'Sets how much the current tenant trusts a VEX provider: trust_tier 0..100 (higher wins in vex.merge), trust_weight 0..1 (reported in traces). For pgattest_admin. Raises 42501 without a tenant, 22023 for a bad provider name or a value out of range or NULL.';

RESET ROLE;
-- The linker's queue crosses tenants: pgattest_system owns it (see submission_queue).
ALTER FUNCTION vex.pending_rekor_links(integer) OWNER TO pgattest_system;
-- FOR UPDATE needs an UPDATE privilege; one column is enough (the role bypasses row security).
GRANT SELECT, UPDATE (rekor_linked_at) ON vex.observations TO pgattest_system;

REVOKE ALL ON FUNCTION vex.verdict_id(text), _pgattest.store_observations(jsonb, text, text),
    vex.record_observation(text, text, timestamptz), _pgattest.ingest_document(text, text, text),
    vex.ingest_openvex(text, text), vex.ingest_csaf_vex(text, text), vex.ingest_cyclonedx_vex(text, text),
    vex.link_rekor(uuid, uuid), vex.link_rekor(uuid, text), vex.pending_rekor_links(integer),
    vex.observations_by_rekor(text), vex.observations_by_rekor(bigint, text),
    vex.update_status(uuid, text, text, text, text, text), vex.delta_summary(timestamptz, timestamptz),
    vex.merge(text, text), vex.set_issuer_trust(text, integer, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.verdict_id(text) TO pgattest_app, pgattest_worker, pgattest_admin;
GRANT EXECUTE ON FUNCTION vex.record_observation(text, text, timestamptz), vex.ingest_openvex(text, text),
    vex.ingest_csaf_vex(text, text), vex.ingest_cyclonedx_vex(text, text), vex.observations_by_rekor(text),
    vex.observations_by_rekor(bigint, text), vex.update_status(uuid, text, text, text, text, text),
    vex.delta_summary(timestamptz, timestamptz), vex.merge(text, text) TO pgattest_app;
GRANT EXECUTE ON FUNCTION vex.link_rekor(uuid, uuid), vex.link_rekor(uuid, text) TO pgattest_app, pgattest_worker;
GRANT EXECUTE ON FUNCTION vex.pending_rekor_links(integer) TO pgattest_worker;
GRANT EXECUTE ON FUNCTION vex.set_issuer_trust(text, integer, numeric) TO pgattest_admin;

-- Deltas and merge traces parked by a revert of this change come back, as they were.
DO $restore$
BEGIN
    IF to_regclass('_pgattest.vex_api_parked_delta_changes') IS NOT NULL THEN
        INSERT INTO vex.delta_changes SELECT * FROM _pgattest.vex_api_parked_delta_changes;
        INSERT INTO vex.merge_traces SELECT * FROM _pgattest.vex_api_parked_merge_traces;
        DROP TABLE _pgattest.vex_api_parked_delta_changes, _pgattest.vex_api_parked_merge_traces;
    END IF;
END
$restore$;

COMMIT;
