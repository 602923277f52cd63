-- Verify pgattest:vex_observations on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, observation_id, vulnerability_id, product_key, provider, status,
       justification, impact_statement, action_statement, statement_text, statement, statement_timestamp,
       source_format, source_text, supersedes FROM vex.observations WHERE false;
SELECT provider, trust_tier, trust_weight FROM vex.issuers WHERE false;
SELECT provider, format, document_ref, content_digest, document_text, document, statement_count FROM vexhub.documents WHERE false;
SELECT document_id, observation_id, vulnerability_id, product_key, status FROM vexhub.statements WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM vex.format_mappings WHERE format = 'csaf' AND native = 'known_not_affected') THEN
        RAISE EXCEPTION 'vex.format_mappings is not loaded';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'vex.observations'::regclass AND tgname = 'observations_immutable') THEN
        RAISE EXCEPTION 'vex.observations is not protected by its immutability trigger';
    END IF;
END
$verify$;

ROLLBACK;
