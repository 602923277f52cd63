-- Deploy pgattest:health/set_threshold to pg
-- requires: health/set_threshold@v1.1.0 health/thresholds
-- The bounds' order follows the check's direction (health.thresholds.lower_is_worse):
-- warn at most fail where higher is worse, warn at least fail where lower is worse.

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
    lower_worse boolean;
BEGIN
    SELECT t.lower_is_worse INTO lower_worse FROM health.thresholds t WHERE t.check_key = set_threshold.check_key;
    IF warn_above < 0 OR fail_above < 0 OR warn_above = 'NaN' OR fail_above = 'NaN'
       OR (NOT lower_worse AND warn_above > fail_above) OR (lower_worse AND warn_above < fail_above) THEN
        RAISE EXCEPTION 'invalid thresholds warn % fail % for %', warn_above, fail_above, left(check_key, 80)
            USING ERRCODE = '22023',
                  HINT = CASE WHEN lower_worse
                              THEN 'Lower is worse for this check: it warns at or below warn_above and fails at or below fail_above, so warn is at least fail; non-negative; NULL means never.'
                              ELSE 'Thresholds are non-negative, warn at most fail; NULL means never.' END;
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
    'Sets when a health check warns and fails (observed value at or above warn_above, fail_above; at or below them for a check where lower is worse, health.thresholds.lower_is_worse; NULL for never) and returns the row, stamped with who changed it. For pgattest_admin. Raises 22023 for an unknown check or inconsistent bounds (negative, NaN, warn above fail, or below it where lower is worse).';

REVOKE ALL ON FUNCTION health.set_threshold(text, double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION health.set_threshold(text, double precision, double precision) TO pgattest_admin;

COMMIT;
