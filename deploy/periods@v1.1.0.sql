-- Deploy pgattest:periods to pg
-- requires: btree_gist
-- periods (Debian's postgresql-15-periods, Vik Fearing's SQL:2011 periods and system
-- versioning for PostgreSQL) keeps unknowns.unknowns system-versioned: a C trigger
-- copies every replaced or deleted row into the history table with the system period
-- it was current in, so nothing is rewritten in place. The extension needs a superuser;
-- it makes its own schema `periods` (its catalog of periods) and three database-wide
-- event triggers that guard versioned tables against drops and keep the history's
-- owner and privileges following the current table's. Not trusted: the server needs
-- the package (ops/bootstrap.sh installs it; ops/image/Dockerfile too).

BEGIN;

CREATE EXTENSION IF NOT EXISTS periods;

COMMIT;
