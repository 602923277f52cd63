-- Deploy pgattest:_pgattest/check_unknown_state to pg
-- requires: schemas
-- The one validation of an unknown's state, shared by unknowns.record and
-- unknowns.correct: the table's CHECK constraints say the same, but would answer 23514
-- naming a constraint; callers get 22004/22023/54000 naming the bad value.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.check_unknown_state(kind text, subject text, reason text, details jsonb,
                                                         resolution text, valid_from timestamptz, valid_to timestamptz)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF kind IS NULL OR subject IS NULL OR reason IS NULL OR details IS NULL OR valid_from IS NULL OR valid_to IS NULL THEN
        RAISE EXCEPTION '% must not be NULL',
              CASE WHEN kind IS NULL THEN 'kind' WHEN subject IS NULL THEN 'subject' WHEN reason IS NULL THEN 'reason'
                   WHEN details IS NULL THEN 'details' WHEN valid_from IS NULL THEN 'valid_from' ELSE 'valid_to' END
            USING ERRCODE = '22004', HINT = 'Give kind, subject, reason, details (''{}'' for none) and a valid period.';
    END IF;
    IF kind NOT IN ('missing_sbom', 'ambiguous_package', 'missing_feed', 'unresolved_edge', 'no_version_info',
                    'unknown_ecosystem', 'partial_match', 'version_range_unbounded', 'unsupported_format', 'transitive_gap') THEN
        RAISE EXCEPTION 'invalid unknown kind %', quote_literal(left(kind, 80))
            USING ERRCODE = '22023',
                  HINT = 'One of missing_sbom, ambiguous_package, missing_feed, unresolved_edge, no_version_info, unknown_ecosystem, partial_match, version_range_unbounded, unsupported_format, transitive_gap.';
    END IF;
    IF NOT (subject ~ '^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$'
            OR (subject ~ '^pkg:[a-z][a-z0-9.+-]*/[^[:space:]]+$' AND length(subject) <= 2048)) THEN
        RAISE EXCEPTION 'invalid subject %', quote_literal(left(subject, 80))
            USING ERRCODE = '22023',
                  HINT = 'An artifact digest (sha256:, sha384: or sha512: and lowercase hex) or a package URL (pkg:type/name..., at most 2048 characters).';
    END IF;
    IF reason = '' OR length(reason) > 4000 THEN
        RAISE EXCEPTION 'invalid reason of % characters', length(reason)
            USING ERRCODE = '22023', HINT = 'Say why it is unknown in 1 to 4000 characters.';
    END IF;
    IF jsonb_typeof(details) <> 'object' THEN
        RAISE EXCEPTION 'details must be a JSON object, not %', jsonb_typeof(details)
            USING ERRCODE = '22023', HINT = 'Pass a JSON object, ''{}'' for none.';
    END IF;
    IF pg_column_size(details) > 65536 THEN
        RAISE EXCEPTION 'details of % bytes exceed 65536', pg_column_size(details)
            USING ERRCODE = '54000', HINT = 'Keep details under 64 kB; store large evidence elsewhere and refer to it.';
    END IF;
    IF resolution IS NOT NULL AND resolution NOT IN ('feed_updated', 'sbom_provided', 'manual_mapping', 'superseded',
                                                     'false_positive', 'wont_fix') THEN
        RAISE EXCEPTION 'invalid resolution %', quote_literal(left(resolution, 80))
            USING ERRCODE = '22023',
                  HINT = 'One of feed_updated, sbom_provided, manual_mapping, superseded, false_positive, wont_fix (NULL: open).';
    END IF;
    IF NOT valid_from < valid_to THEN
        RAISE EXCEPTION 'empty valid period [%, %)', valid_from, valid_to
            USING ERRCODE = '22023', HINT = 'valid_from must be before valid_to (infinity: still holds).';
    END IF;
END
$$;

COMMENT ON FUNCTION _pgattest.check_unknown_state(text, text, text, jsonb, text, timestamptz, timestamptz) IS
    'Validates the state of an unknown over a valid period, for unknowns.record and unknowns.correct: 22004 for a NULL argument (resolution may be NULL: open), 22023 for a bad kind, subject, reason, details type, resolution or an empty period, 54000 for details over 64 kB.';

REVOKE ALL ON FUNCTION _pgattest.check_unknown_state(text, text, text, jsonb, text, timestamptz, timestamptz) FROM PUBLIC;

COMMIT;
