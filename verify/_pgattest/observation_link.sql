-- Verify pgattest:_pgattest/observation_link on pg

BEGIN;

SELECT (NULL::_pgattest.observation_link).tenant_id, (NULL::_pgattest.observation_link).observation_id, (NULL::_pgattest.observation_link).rekor_entry_id;

ROLLBACK;
