-- Verify pgattest:audit/maintain_partitions on pg
-- Runs the function in this transaction (rolled back): the partitions it makes keep no
-- planner statistics, and a session setting with an argument of 1 month does not remove
-- a partition the database's retention keeps.

BEGIN;

DO $verify$
DECLARE
    this_month timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    young text := 'events_' || to_char((this_month - interval '2 months') AT TIME ZONE 'UTC', 'YYYY"m"MM');
    missing integer;
    leaking text;
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'audit.maintain_partitions(integer, integer)', 'execute') THEN
        RAISE EXCEPTION 'the worker cannot run audit.maintain_partitions()';
    END IF;
    -- Just the first month ahead without a partition: each costs a second or two (every
    -- ALTER TABLE fires periods' event triggers), and one is proof enough.
    SELECT min(i) INTO missing
      FROM generate_series(0, 24) AS i
     WHERE to_regclass('audit.events_' || to_char((this_month + make_interval(months => i)) AT TIME ZONE 'UTC',
                                                  'YYYY"m"MM')) IS NULL;
    IF missing IS NOT NULL THEN
        PERFORM count(*) FROM audit.maintain_partitions(missing);
    END IF;
    SELECT string_agg(format('%s.%s', a.attrelid::regclass, a.attname), ', ') INTO leaking
      FROM pg_inherits i JOIN pg_attribute a ON a.attrelid = i.inhrelid
     WHERE i.inhparent = 'audit.events'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> 0;
    IF leaking IS NOT NULL THEN
        RAISE EXCEPTION 'audit partitions with planner statistics: %', left(leaking, 200);
    END IF;
    -- Only meaningful while the database keeps two months or more (1 is the least allowed).
    IF _pgattest.database_setting_int('pgattest.audit_retention_months', 13) >= 2 THEN
        IF to_regclass('audit.' || young) IS NULL THEN
            EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.events FOR VALUES FROM (%L) TO (%L)',
                           young, this_month - interval '2 months', this_month - interval '1 month');
            EXECUTE format('ALTER TABLE audit.%I OWNER TO pgattest_owner', young);
        END IF;
        PERFORM set_config('pgattest.audit_retention_months', '1', true);
        PERFORM count(*) FROM audit.maintain_partitions(0, 1);
        IF to_regclass('audit.' || young) IS NULL THEN
            RAISE EXCEPTION 'audit.maintain_partitions(0, 1) removed % despite the database''s retention', young;
        END IF;
    END IF;
END
$verify$;

ROLLBACK;
