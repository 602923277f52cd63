# The PostgreSQL 15 image for CloudNativePG (ops/k8s/): the operator's own image
# (bookworm, "system" flavour: it carries barman-cloud, which the Clusters' in-tree
# barmanObjectStore backups use) with what pgattest's server side needs, the same
# server packages ./pgattest setup installs (ops/bootstrap.sh; tests/test_deploy_files.py
# checks the lists agree): PL/Python on Debian's Python 3.11 with python3-cryptography,
# rfc8785, pgTAP (staging runs the pgTAP files), periods.
#   docker build -f ops/image/cnpg.Dockerfile -t registry.example.com/pgattest/postgresql-cnpg:15-1.1.0 ops/image
FROM ghcr.io/cloudnative-pg/postgresql:15.14-system-bookworm
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        postgresql-plpython3-15 postgresql-15-pgtap postgresql-15-periods python3-cryptography python3-pip \
 && pip3 install --no-cache-dir --break-system-packages --target /usr/local/lib/python3.11/dist-packages rfc8785==0.1.4 \
 && apt-get purge -y python3-pip && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
# The operator runs PostgreSQL as UID 26.
USER 26
