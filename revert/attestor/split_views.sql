-- Revert pgattest:attestor/split_views from pg

BEGIN;

DROP TABLE attestor.split_views;

COMMIT;
