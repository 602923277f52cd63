# pgattest's application image: this repository with everything ./pgattest needs,
# installed by the setup script itself (./pgattest setup: ops/bootstrap.sh's Debian
# packages, rfc8785 for the server's Python, the virtualenv from requirements-test.txt),
# so the image and a developer's machine cannot drift apart. compose.yaml runs its
# migration, PgBouncer, worker and development log from it, each with the command the
# README documents; ops/k8s/ runs the migration Job from it. Build context: the repository.
#   docker build -f ops/image/app.Dockerfile -t pgattest-app .
FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
# postgresql-15 comes with the setup's packages (psql, the client tools); its server is
# not run here, so Debian's package is told not to create a "main" cluster (a drop-in, as
# the official postgres image does, so dpkg's own createcluster.conf installs untouched).
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/pgattest.conf
WORKDIR /opt/pgattest
# The setup first, from the three files it reads, so a code change does not redo it.
COPY pgattest requirements-test.txt ./
COPY ops/bootstrap.sh ops/
RUN apt-get update \
 && bash -c 'ROOT=/opt/pgattest; source ops/bootstrap.sh; pgattest_bootstrap' \
 && rm -rf /var/lib/apt/lists/* /root/.cache
COPY . .
RUN useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pgattest \
 && mkdir -p /var/lib/pgattest/pooler /var/lib/pgattest/devlog \
 && chown -R pgattest:pgattest /var/lib/pgattest
USER pgattest
ENTRYPOINT ["./pgattest"]
