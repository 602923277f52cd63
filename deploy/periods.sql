-- Deploy pgattest:periods to pg
-- requires: btree_gist schemas
-- periods (Debian's postgresql-15-periods, Vik Fearing's SQL:2011 periods and system
-- versioning for PostgreSQL) keeps unknowns.unknowns system-versioned: a C trigger
-- copies every replaced or deleted row into the history table with the system period
-- it was current in, so nothing is rewritten in place. The extension needs a superuser;
-- it makes its own schema `periods` (its catalog of periods) and three database-wide
-- event triggers that guard versioned tables against drops and keep the history's
-- owner and privileges following the current table's. Not trusted: the server needs
-- the package (ops/bootstrap.sh installs it; ops/image/Dockerfile too).
--
-- Its install script grants USAGE on the schema to PUBLIC and leaves its functions with
-- the default EXECUTE for PUBLIC, and 19 of them are SECURITY DEFINER, owned by the
-- superuser, with no check of who calls them: any login could drop the system versioning
-- of unknowns.unknowns (and with it the history table and its view), or add periods and
-- system time to any table (review of 2026-11-30, item 1). Nothing in pgattest calls them
-- but the deploying superuser (unknowns/unknowns_history): the triggers periods puts on a
-- versioned table fire without EXECUTE (a trigger function's privilege is checked when the
-- trigger is created) and are SECURITY DEFINER; its event triggers run whatever the
-- privileges; unknowns.unknowns_with_history and unknowns.unknowns__as_of and its
-- siblings live in the unknowns schema and name nothing in `periods`. So PUBLIC keeps
-- nothing, including SELECT on its catalog tables (whose rows name every versioned table,
-- and are unreachable without the schema anyway). _pgattest.version_history_columns,
-- which reads that catalog on every ALTER TABLE by anyone, runs as the superuser that
-- owns it. These are privileges on extension members, so pg_dump keeps them (pg_init_privs
-- records what the extension granted; the difference is dumped).

BEGIN;

CREATE EXTENSION IF NOT EXISTS periods;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA periods FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA periods FROM PUBLIC;
REVOKE ALL ON SCHEMA periods FROM PUBLIC;

COMMIT;
