-- Revert pgattest:rekor_checkpoints from pg

BEGIN;

DROP FUNCTION attestor.record_split_view(text, text, bytea[]);
DROP FUNCTION attestor.record_checkpoint(text, text, bytea[]);
DROP FUNCTION _pgattest.store_checkpoint(text, text);
DROP FUNCTION _pgattest.verified_checkpoint(text, text);
DROP TABLE attestor.split_views;
DROP TABLE attestor.rekor_checkpoints;

COMMIT;
