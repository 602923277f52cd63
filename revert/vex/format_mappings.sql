-- Revert pgattest:vex/format_mappings from pg

BEGIN;

DROP TABLE vex.format_mappings;

COMMIT;
