-- Deploy pgattest:health/set_threshold to pg
-- requires: health/thresholds

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION health.set_threshold(check_key text, warn_above double precision, fail_above double precision)
RETURNS health.thresholds
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result health.thresholds;
BEGIN
    IF warn_above < 0 OR fail_above < 0 OR warn_above > fail_above OR warn_above = 'NaN' OR fail_above = 'NaN' THEN
        RAISE EXCEPTION 'invalid thresholds warn % fail % for %', warn_above, fail_above, left(check_key, 80)
            USING ERRCODE = '22023',
                  HINT = 'Thresholds are non-negative, warn at most fail; NULL means never.';
    END IF;
    UPDATE health.thresholds t
       SET warn_above = set_threshold.warn_above, fail_above = set_threshold.fail_above,
           updated_at = now(), updated_by = session_user
     WHERE t.check_key = set_threshold.check_key
    RETURNING t.* INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no health check %', coalesce(quote_literal(left(check_key, 80)), 'NULL')
            USING ERRCODE = '22023',
                  HINT = 'SELECT check_key FROM health.thresholds lists the checks that take thresholds.';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION health.set_threshold(text, double precision, double precision) IS
    'Sets when a health check warns and fails (observed value at or above warn_above, fail_above; NULL for never) and returns the row, stamped with who changed it. For pgattest_admin. Raises 22023 for an unknown check or inconsistent bounds (negative, NaN, warn above fail).';

REVOKE ALL ON FUNCTION health.set_threshold(text, double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION health.set_threshold(text, double precision, double precision) TO pgattest_admin;

COMMIT;
