# Installs what pgattest needs on a Debian/Ubuntu machine, once. Sourced by ./pgattest.
# Each step checks first, so a second run does nothing and is fast.

PGATTEST_DEBS=(postgresql-15 postgresql-plpython3-15 postgresql-15-pgtap postgresql-contrib postgresql-15-periods
               sqitch libdbd-pg-perl pgbouncer python3-cryptography python3-venv python3-pip)
PGATTEST_SERVER_PYTHON=/usr/bin/python3.11
PGATTEST_SERVER_SITE=/usr/local/lib/python3.11/dist-packages
# Third-party Python the server-side code imports, beyond Debian's packages.
PGATTEST_SERVER_PIP=(rfc8785==0.1.4)

_pg_sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
_pg_say() { echo "[pgattest] $*" >&2; }

pgattest_debs() {
    local missing=() pkg
    for pkg in "${PGATTEST_DEBS[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    _pg_say "installing Debian packages: ${missing[*]}"
    _pg_sudo apt-get update -qq
    # Ubuntu releases other than those shipping PostgreSQL 15 need the PGDG repository;
    # postgresql-common ships the script that adds it.
    if ! apt-cache policy postgresql-15 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        _pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-common
        _pg_sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y
    fi
    # Debian starts a "main" cluster for postgresql-15 on install; pgattest does not use
    # it, but leaves it to the machine's owner.
    _pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

pgattest_venv() {
    local venv="$ROOT/.venv" req="$ROOT/requirements-test.txt" stamp
    # The virtualenv is built on Debian's Python with its site packages, so pytest
    # exercises plpython/ with the very cryptography the server's PL/Python imports.
    if [ ! -x "$venv/bin/python" ] || [ "$(readlink -f "$venv/bin/python")" != "$(readlink -f "$PGATTEST_SERVER_PYTHON")" ]; then
        _pg_say "creating virtualenv $venv on $PGATTEST_SERVER_PYTHON"
        rm -rf "$venv"
        "$PGATTEST_SERVER_PYTHON" -m venv --system-site-packages "$venv"
    fi
    stamp=$(sha256sum "$req" | cut -c1-16)
    if [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$stamp" ]; then
        _pg_say "installing Python test dependencies into $venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
        echo "$stamp" > "$venv/.requirements"
    fi
}

pgattest_server_python() {
    local spec mod
    for spec in "${PGATTEST_SERVER_PIP[@]}"; do
        mod=${spec%%=*}
        "$PGATTEST_SERVER_PYTHON" -c "import ${mod//-/_}" 2>/dev/null && continue
        _pg_say "installing $spec for the server's Python ($PGATTEST_SERVER_SITE)"
        _pg_sudo "$PGATTEST_SERVER_PYTHON" -m pip install -q --disable-pip-version-check \
            --break-system-packages --no-deps --target "$PGATTEST_SERVER_SITE" "$spec"
    done
}

pgattest_bootstrap() {
    pgattest_debs
    pgattest_server_python
    pgattest_venv
}
