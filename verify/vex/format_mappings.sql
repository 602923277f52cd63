-- Verify pgattest:vex/format_mappings on pg

BEGIN;

SELECT format, field, native, status, justification, note FROM vex.format_mappings WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM vex.format_mappings WHERE format = 'csaf' AND native = 'known_not_affected') THEN
        RAISE EXCEPTION 'vex.format_mappings is not loaded';
    END IF;
    IF NOT has_table_privilege('pgattest_worker', 'vex.format_mappings', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vex.format_mappings', 'INSERT') THEN
        RAISE EXCEPTION 'vex.format_mappings is not granted as designed (read-only for the client roles)';
    END IF;
END
$verify$;

ROLLBACK;
