-- Verify pgattest:_pgattest/watch_identity_matches on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT _pgattest.watch_identity_matches('glob', NULL, 'https://github.com/acme/*', NULL,
                                            NULL, 'https://github.com/acme/x.yml@main', NULL)
       OR _pgattest.watch_identity_matches('glob', NULL, 'https://github.com/acme/*', NULL,
                                           NULL, 'https://github.com/other/x', NULL) THEN
        RAISE EXCEPTION '_pgattest.watch_identity_matches() matches wrongly';
    END IF;
END
$verify$;

ROLLBACK;
