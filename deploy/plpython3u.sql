-- Deploy pgattest:plpython3u to pg
-- requires: schemas
-- plpython3u is untrusted: only a superuser can create it and functions in it. The
-- functions are then handed to pgattest_owner, and none is SECURITY DEFINER.

BEGIN;

CREATE EXTENSION IF NOT EXISTS plpython3u;

COMMIT;
