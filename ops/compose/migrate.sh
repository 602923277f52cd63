#!/usr/bin/env bash
# compose.yaml's one-shot migration (the application image, in /opt/pgattest), run once
# PostgreSQL is healthy: what a DBA does on an existing server (README "Deploying"), then
# what the pooler needs. Reads DATABASE_URL (the superuser; its password in PGPASSWORD) and
# PGATTEST_{SERVICE,WORKER}_{LOGIN,PASSWORD}.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Sqitch records who deployed; the image's user has no name of its own.
export SQITCH_FULLNAME="${SQITCH_FULLNAME:-pgattest compose migration}" SQITCH_EMAIL="${SQITCH_EMAIL:-pgattest@localhost}"

# 1. The plan, verified (deploy only: the demo is never run on this path).
sqitch deploy --verify --target "db:pg://${DATABASE_URL#*://}"

# 2. The service and worker logins (created when missing, passwords set every time).
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 \
     -v service_login="$PGATTEST_SERVICE_LOGIN" -v service_password="$PGATTEST_SERVICE_PASSWORD" \
     -v worker_login="$PGATTEST_WORKER_LOGIN" -v worker_password="$PGATTEST_WORKER_PASSWORD" \
     -f ops/compose/logins.sql

# 3. PgBouncer's auth file: the logins granted pgattest_app or pgattest_worker.
./pgattest userlist --output "${PGATTEST_USERLIST:-/var/lib/pgattest/pooler/userlist.txt}"
