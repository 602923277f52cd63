-- Deploy pgattest:_pgattest/check_watch_rule to pg
-- requires: roles schemas
-- The checks a watchlist rule passes before it is written (tenant or global), so a bad
-- rule fails at write time with its SQLSTATE rather than at match time.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.check_watch_rule(
    name text, match_mode text, severity text, issuer_pattern text, san_pattern text, key_pattern text,
    description text, enabled boolean, dedup_minutes integer)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p text;
BEGIN
    IF name IS NULL OR match_mode IS NULL OR severity IS NULL OR enabled IS NULL OR dedup_minutes IS NULL THEN
        RAISE EXCEPTION 'a watchlist rule needs a name, match mode, severity, enabled flag and dedup window'
            USING ERRCODE = '22004', HINT = 'Pass name, match_mode, severity; enabled and dedup_minutes default to true and 60.';
    END IF;
    IF length(btrim(name)) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'invalid rule name %', quote_literal(left(name, 80))
            USING ERRCODE = '22023', HINT = 'Name a rule with 1 to 200 characters.';
    END IF;
    IF match_mode NOT IN ('exact', 'prefix', 'glob', 'regex') THEN
        RAISE EXCEPTION 'invalid match mode %', quote_literal(left(match_mode, 80))
            USING ERRCODE = '22023', HINT = 'Use exact, prefix, glob or regex.';
    END IF;
    IF severity NOT IN ('critical', 'warning', 'info') THEN
        RAISE EXCEPTION 'invalid severity %', quote_literal(left(severity, 80))
            USING ERRCODE = '22023', HINT = 'Use critical, warning or info.';
    END IF;
    IF num_nonnulls(issuer_pattern, san_pattern, key_pattern) = 0 THEN
        RAISE EXCEPTION 'rule % has no pattern', quote_literal(left(name, 80))
            USING ERRCODE = '22023', HINT = 'Give an OIDC issuer, SAN or key fingerprint pattern (or several: all must match).';
    END IF;
    IF dedup_minutes NOT BETWEEN 1 AND 10080 THEN
        RAISE EXCEPTION 'invalid dedup window of % minutes', dedup_minutes
            USING ERRCODE = '22023', HINT = 'Use 1 to 10080 minutes (a week).';
    END IF;
    IF length(description) > 2000 THEN
        RAISE EXCEPTION 'description of rule % is % characters long', quote_literal(left(name, 80)), length(description)
            USING ERRCODE = '22023', HINT = 'Keep descriptions to 2,000 characters.';
    END IF;
    FOREACH p IN ARRAY array_remove(ARRAY[issuer_pattern, san_pattern, key_pattern], NULL) LOOP
        IF length(p) NOT BETWEEN 1 AND 256 THEN
            RAISE EXCEPTION 'pattern % is % characters long', quote_literal(left(p, 80)), length(p)
                USING ERRCODE = '22023', HINT = 'Patterns have 1 to 256 characters.';
        END IF;
        IF match_mode = 'regex' THEN
            -- Back references make matching exponential; without them PostgreSQL's engine
            -- is polynomial. (\\ is an escaped backslash, not the start of one.)
            IF replace(p, '\\', '') ~ '\\[1-9]' THEN
                RAISE EXCEPTION 'regex % uses a back reference', quote_literal(left(p, 80))
                    USING ERRCODE = '2201B', HINT = 'Back references (\1 to \9) have no time bound: write the pattern without them.';
            END IF;
            BEGIN
                PERFORM '' ~ p;
            EXCEPTION WHEN invalid_regular_expression THEN
                RAISE EXCEPTION 'invalid regex %', quote_literal(left(p, 80))
                    USING ERRCODE = '2201B', HINT = 'Write a PostgreSQL regular expression (ARE).', DETAIL = SQLERRM;
            END;
        END IF;
    END LOOP;
END
$$;

COMMENT ON FUNCTION _pgattest.check_watch_rule(text, text, text, text, text, text, text, boolean, integer) IS
    'Validates a watchlist rule before it is written: 22004 for missing name, mode, severity, enabled or window; 22023 for a bad name, mode, severity, window, description or pattern length (1 to 256), or no pattern; 2201B for a regex that does not compile or uses back references.';
REVOKE ALL ON FUNCTION _pgattest.check_watch_rule(text, text, text, text, text, text, text, boolean, integer) FROM PUBLIC;

COMMIT;
