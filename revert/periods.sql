-- Revert pgattest:periods from pg
-- Gives PUBLIC back what CREATE EXTENSION gave it (USAGE on the schema, EXECUTE on every
-- function, SELECT on the catalog tables): the v1.1.0 deploy below only creates the
-- extension if missing, so it would not restore them by itself.

BEGIN;

GRANT USAGE ON SCHEMA periods TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA periods TO PUBLIC;
GRANT SELECT ON periods.periods, periods.system_time_periods, periods.for_portion_views, periods.unique_keys,
                periods.foreign_keys, periods.system_versioning TO PUBLIC;

COMMIT;

\ir ../deploy/periods@v1.1.0.sql
