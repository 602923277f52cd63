-- compose.yaml's service and worker logins (ops/compose/migrate.sh runs this after the
-- deploy): one login per service, each granted one pgattest role, as the README's roles
-- section asks of a DBA. Variables: service_login, service_password, worker_login,
-- worker_password.
\set ON_ERROR_STOP on
SELECT format('CREATE ROLE %I LOGIN IN ROLE pgattest_app', :'service_login')
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'service_login') \gexec
SELECT format('CREATE ROLE %I LOGIN IN ROLE pgattest_worker', :'worker_login')
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'worker_login') \gexec
-- SCRAM secrets (PostgreSQL 15's default encryption): PgBouncer's auth file needs them.
SET password_encryption = 'scram-sha-256';
ALTER ROLE :"service_login" PASSWORD :'service_password';
ALTER ROLE :"worker_login" PASSWORD :'worker_password';
-- A transaction left open holds back vacuum (README "Operations").
ALTER ROLE :"service_login" SET idle_in_transaction_session_timeout = '5min';
ALTER ROLE :"worker_login" SET idle_in_transaction_session_timeout = '5min';
