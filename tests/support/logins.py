"""LOGIN roles made for a test: members of one pgattest role (or of none), dropped after it.

Roles are cluster-wide; each name carries a random suffix, so tests on several databases of
one server never collide."""

import secrets

import psycopg


class Logins:
    def __init__(self, dsn, prefix):
        self.dsn = dsn
        self.prefix = prefix
        self.made = []
        self.admin = psycopg.connect(dsn, autocommit=True)

    def make(self, group=None, **extra):
        """(name, DSN) of a new LOGIN role in pgattest_<group> (None: in no role), with the
        extra connection parameters given (e.g. options='-c ...')."""
        name = f"{self.prefix}_{group or 'plain'}_{secrets.token_hex(3)}"
        self.admin.execute(f'CREATE ROLE "{name}" LOGIN' + (f" IN ROLE pgattest_{group}" if group else ""))
        self.made.append(name)
        params = psycopg.conninfo.conninfo_to_dict(self.dsn)
        params["user"] = name
        params.pop("password", None)
        params.update(extra)
        return name, psycopg.conninfo.make_conninfo(**params)

    def close(self):
        for name in self.made:
            self.admin.execute(f'DROP OWNED BY "{name}"')
            self.admin.execute(f'DROP ROLE "{name}"')
        self.admin.close()
