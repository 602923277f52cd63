-- Deploy pgattest:_pgattest/version_history_columns to pg
-- requires: periods schemas roles
-- periods versions the columns a table had when its history table was made: a column
-- added later to the current table is silently left out of every history row (the
-- history keeps the columns they share), and a column dropped from the current table
-- makes the next update fail ("could not convert row type") until the history drops it
-- as well. This event trigger closes both for every system-versioned table in the
-- module schemas: after an ALTER TABLE it adds to the history table each column the
-- current table gained (same type, collation and position at the end, no default, so
-- old history rows read NULL: the value was not recorded then), and it refuses to drop
-- a column of a versioned table, which would throw away its recorded values in history
-- (55000): drop system versioning first, deliberately.
--
-- Reworked (review of 2026-11-30, item 5): an event trigger runs its function as whoever
-- issues the DDL, the deploying superuser at every deploy. Owned by pgattest_owner, the
-- function could be replaced by that role (CREATE OR REPLACE) with a body the next
-- superuser ALTER TABLE ran as a superuser. It now belongs to the deploying superuser,
-- like periods' own event-trigger functions, and nothing else may change it. It is also
-- SECURITY DEFINER: it fires on every ALTER TABLE in the database, by any role, and reads
-- periods' catalog, which PUBLIC may no longer use (the periods change); run with the
-- caller's rights it would fail every other role's ALTER TABLE. As its owner's it only
-- ever alters the history table of a table periods versions (only a superuser can make
-- one), with identifiers taken from the catalog and quoted.

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.version_history_columns()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    alter_history text;
BEGIN
    FOR r IN
        SELECT DISTINCT sv.table_name::regclass AS tbl, sv.history_table_name::regclass AS hist
          FROM pg_event_trigger_ddl_commands() c
          JOIN periods.system_versioning sv ON sv.table_name = c.objid
         WHERE c.command_tag = 'ALTER TABLE' AND c.classid = 'pg_class'::regclass
           AND c.schema_name IN ('core', 'attestor', 'proofchain', 'vex', 'vexhub', 'verdict', 'trustverdict',
                                 'watchlist', 'unknowns', 'triage', 'audit', 'health', '_pgattest')
    LOOP
        -- A column the history has and the current table lost: refuse (the ALTER rolls back).
        IF EXISTS (SELECT FROM pg_attribute h
                    WHERE h.attrelid = r.hist AND h.attnum > 0 AND NOT h.attisdropped
                      AND NOT EXISTS (SELECT FROM pg_attribute t
                                       WHERE t.attrelid = r.tbl AND t.attname = h.attname AND NOT t.attisdropped)) THEN
            RAISE EXCEPTION 'cannot drop a column of the system-versioned table %', left(r.tbl::text, 80)
                USING ERRCODE = '55000',
                      HINT = 'Its history keeps the values that column had. To drop it anyway, call periods.drop_system_versioning on the table, alter both tables, then periods.add_system_versioning again.';
        END IF;
        -- Columns the current table gained: the same in history, in table order.
        SELECT format('ALTER TABLE %s %s', r.hist,
                          string_agg(format('ADD COLUMN %I %s%s', t.attname, format_type(t.atttypid, t.atttypmod),
                                            CASE WHEN t.attcollation <> 0 AND t.attcollation <> ty.typcollation
                                                 THEN ' COLLATE ' || t.attcollation::regcollation::text ELSE '' END),
                                     ', ' ORDER BY t.attnum))
          INTO alter_history
              FROM pg_attribute t
              JOIN pg_type ty ON ty.oid = t.atttypid
             WHERE t.attrelid = r.tbl AND t.attnum > 0 AND NOT t.attisdropped
               AND NOT EXISTS (SELECT FROM pg_attribute h
                                WHERE h.attrelid = r.hist AND h.attname = t.attname AND NOT h.attisdropped)
            HAVING count(*) > 0;
        IF alter_history IS NOT NULL THEN
            EXECUTE alter_history;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION _pgattest.version_history_columns() IS
    'Event trigger (ddl_command_end, ALTER TABLE): keeps the history table of every system-versioned table in the module schemas (periods.system_versioning) versioning the same columns: adds each column the current table gained, and refuses with 55000 to drop a column whose recorded values the history keeps. Owned by the deploying superuser and SECURITY DEFINER: an event trigger runs its function as whoever issues the DDL, so no other role may own or replace it.';

REVOKE ALL ON FUNCTION _pgattest.version_history_columns() FROM PUBLIC;
-- The deploying superuser, whoever it is (the v1.1.0 deploy gave it to pgattest_owner).
ALTER FUNCTION _pgattest.version_history_columns() OWNER TO CURRENT_USER;

-- The event trigger made by the v1.1.0 deploy runs this function already (same oid).

COMMIT;
