-- Deploy pgattest:vex/link_rekor to pg
-- requires: core/require_tenant vex/observations proofchain/rekor_entries _pgattest/observation_link
-- requires: _pgattest/require_observation_subject _pgattest/link_observations
-- Links an observation to the Rekor entry that proves it, by the entry's id or its Rekor
-- uuid: for a linker that logged the attestation itself (vex.pending_rekor_links). An
-- attestation submitted through vex.submit_observation or vex.update_status is linked by
-- the completion that stores its entry (_pgattest.link_proven_observations), through the
-- same routine.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.link_rekor(observation_id uuid, rekor_entry_id uuid)
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
    -- The entry must attest this very observation.
    PERFORM _pgattest.require_observation_subject(entry.envelope_id, obs);
    PERFORM _pgattest.link_observations(ARRAY[ROW(obs.tenant_id, obs.id, entry.id)::_pgattest.observation_link]);
    RETURN entry.id;
END
$$;

CREATE OR REPLACE FUNCTION vex.link_rekor(observation_id uuid, rekor_uuid text)
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

COMMENT ON FUNCTION vex.link_rekor(uuid, uuid) IS
    'Links an observation (observation_id, vex.observations.id; with its hub statements and deltas) to the Rekor entry that proves it: the entry''s attestation must name the observation''s content_id as an in-toto subject (sha256). Idempotent; returns the entry id. For pgattest_app and pgattest_worker (with the tenant set). Raises 42501 without a tenant, 22023 for an unknown observation or entry or an entry whose attestation does not name the observation, 23PA2 when the observation is linked to another entry, 22004 for NULL.';
COMMENT ON FUNCTION vex.link_rekor(uuid, text) IS
    'vex.link_rekor by the entry''s Rekor uuid (64 hex, or the 80-hex entry id). Raises 22023 when no stored entry of the tenant has it, otherwise as vex.link_rekor(uuid, uuid).';
REVOKE ALL ON FUNCTION vex.link_rekor(uuid, uuid), vex.link_rekor(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.link_rekor(uuid, uuid), vex.link_rekor(uuid, text) TO pgattest_app, pgattest_worker;

COMMIT;
