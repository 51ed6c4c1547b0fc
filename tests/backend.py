"""backend.py: the database backend the system, web and browser tests run on.

tests/run.sh runs those suites twice: on SQLite files, and with
PODIUM_TEST_BACKEND=postgresql inside pg_virtualenv, whose PG* environment
names a throw-away cluster. There every database path a test uses stands
for a PostgreSQL database of its own (target()): the tests are written
once, about paths, and mean the same on both backends.

What differs is what a database "exists" means. SQLite's is a file that
podium creates and removes; PostgreSQL's database is the operator's, which
podium never creates: a command that would create the SQLite file
(init, import, set) finds the database made for it here, as an operator
would have made it, and "no database" (db_files() == []) means one that
holds no Podium data. Tests about SQLite's files themselves are marked
sqlite_only; those about PostgreSQL only, postgresql_only.
"""

import functools
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

BACKEND = os.environ.get("PODIUM_TEST_BACKEND", "sqlite")
assert BACKEND in ("sqlite", "postgresql"), f"PODIUM_TEST_BACKEND={BACKEND!r}"
POSTGRESQL = BACKEND == "postgresql"

sqlite_only = pytest.mark.skipif(POSTGRESQL, reason="about SQLite's database files")
postgresql_only = pytest.mark.skipif(not POSTGRESQL, reason="about PostgreSQL")

# the commands that create a missing SQLite database
CREATING = ("init", "import", "set", "user")

# a text that the message of a missing table holds, on this backend
NO_SUCH_TABLE = "does not exist" if POSTGRESQL else "no such table"


class SqliteFile(str):
    """A path that is a SQLite file whatever the backend of the run (copy's other side)."""


def is_connection_string(db):
    db = str(db)
    return db.startswith(("postgresql://", "postgres://")) or "dbname=" in db


def is_fixed(db):
    """True when db names its database itself: a connection string or a SqliteFile."""
    return isinstance(db, SqliteFile) or is_connection_string(db)


def database_name(db):
    """The PostgreSQL database that path db stands for."""
    return "pt_" + hashlib.sha1(os.path.abspath(str(db)).encode()).hexdigest()[:24]


def target(db):
    """What --db gets for the database at path db (None stays None)."""
    if not POSTGRESQL or db is None or is_fixed(db):
        return db
    return f"postgresql:///{database_name(db)}"


# ------------------------------------------------------ the cluster

_admin = None
_made = []  # databases this process created, oldest first


def admin():
    """An autocommit connection to the cluster's maintenance database (again after a restart)."""
    global _admin
    import psycopg2
    if _admin is not None:
        try:
            with _admin.cursor() as c:
                c.execute("SELECT 1")
        except psycopg2.Error:
            _admin.close()
            _admin = None
    if _admin is None:
        _admin = psycopg2.connect(dbname="postgres")
        _admin.autocommit = True
    return _admin


def cluster(action, check=True):
    """Stops or starts the test cluster (pg_virtualenv's "regress"), waiting until done.

    check=False: no error when it already is (a start after a start)."""
    import subprocess
    args = ["pg_ctlcluster", os.environ["PGVERSION"], "regress", action]
    if action == "stop":
        args += ["-m", "fast"]
    subprocess.run(args, check=check, timeout=60, stdout=subprocess.DEVNULL,
                   stderr=None if check else subprocess.DEVNULL)


def _exists(name):
    with admin().cursor() as c:
        c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return c.fetchone() is not None


# The suites whose databases are only the ground a test stands on (web,
# browser) name the podium binary here: a database that a creating command
# needs is then copied from one that `podium init` gave Podium's schema, once
# per process, as an operator who ran init first would have it (about 50 ms
# less per new database on PostgreSQL). The system suite, which tests init
# and the migrations, keeps empty databases.
schema_template_bin = None


@functools.cache
def _schema_template():
    """The name of the database that holds the schema alone (made at the first call)."""
    import subprocess
    name = f"pt_schema_{os.getpid()}"
    with admin().cursor() as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    subprocess.run([schema_template_bin, "--db", f"postgresql:///{name}", "init"],
                   check=True, timeout=120, stdout=subprocess.DEVNULL)
    return name


def create(db, template=None):
    """Makes the PostgreSQL database of path db, as an operator would (createdb)."""
    name = database_name(db)
    if _exists(name):
        return
    if template is None and schema_template_bin:
        template = _schema_template()
    with admin().cursor() as c:
        # names are ours (pt_ and hex digits): no quoting needed
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}" '
                  "STRATEGY FILE_COPY")
    _made.append(name)


def drop_made_since(count):
    """Drops the databases made after the first count (at the end of a test)."""
    with admin().cursor() as c:
        while len(_made) > count:
            c.execute(f'DROP DATABASE IF EXISTS "{_made.pop()}" WITH (FORCE)')


def made_count():
    return len(_made)


def before_command(args, db, env):
    """Before `podium [--db db] ARGS` runs: a creating command's database made.

    Returns (db, env) with the database targets the command must see."""
    if not POSTGRESQL:
        return db, env
    env_db = (env or {}).get("PODIUM_DB")
    creating = bool(args) and str(args[0]) in CREATING
    if db is not None and not is_fixed(db):
        if creating:
            create(db)
        db = target(db)
    if env_db and not is_connection_string(env_db):
        if creating:
            create(env_db)
        env = dict(env, PODIUM_DB=target(env_db))
    return db, env


# ------------------------------------------------------ what tests look at

def _schema_answer(db, sql):
    """PostgreSQL: None when the database of path db has no Podium schema, else sql's one value."""
    name = database_name(db)
    if not _exists(name):
        return None
    import psycopg2
    con = psycopg2.connect(dbname=name)
    try:
        with con.cursor() as c:
            c.execute("SELECT to_regclass('podium_schema') IS NOT NULL")
            if not c.fetchone()[0]:
                return None
            c.execute(sql)
            return c.fetchone()[0]
    finally:
        con.close()


def has_data(db):
    """True when the database of path db exists and holds Podium data."""
    if not POSTGRESQL:
        return Path(db).exists()
    return bool(_schema_answer(
        db, "SELECT EXISTS (SELECT 1 FROM organization) OR EXISTS (SELECT 1 FROM person) "
            "OR EXISTS (SELECT 1 FROM program) OR EXISTS (SELECT 1 FROM setting)"))


def has_schema(db):
    """True when the database of path db exists with Podium's schema (after init)."""
    if not POSTGRESQL:
        return Path(db).is_file()
    return _schema_answer(db, "SELECT true") is not None


def db_files(db):
    """SQLite: the database file and its companions that exist. PostgreSQL:
    [the database's target] when it holds Podium data, else []."""
    if POSTGRESQL:
        return [target(db)] if has_data(db) else []
    db = Path(db)
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"),
                        Path(f"{db}-journal")) if p.exists()]


def copy_db(src, dst):
    """A copy of database src at dst (SQLite: its files; PostgreSQL: CREATE DATABASE ... TEMPLATE)."""
    if POSTGRESQL:
        create(dst, template=database_name(src))
        return Path(dst)
    import shutil
    for suffix in ("", "-wal", "-shm"):
        s = Path(f"{src}{suffix}")
        if s.exists():
            shutil.copyfile(s, f"{dst}{suffix}")
    return Path(dst)


class Connection:
    """A direct connection to the database of path db, behind podium's back
    (to tamper with it, or to hold a lock): execute(sql), close()."""

    def __init__(self, db, checks=True):
        if POSTGRESQL:
            import psycopg2
            self.con = psycopg2.connect(dbname=database_name(db))
            self.con.autocommit = True
            if not checks:  # no foreign key triggers: a dangling reference can be made
                self.execute("SET session_replication_role = replica")
        else:
            self.con = sqlite3.connect(str(db), timeout=0, isolation_level=None)
            if not checks:
                self.execute("PRAGMA foreign_keys=OFF")
                self.execute("PRAGMA ignore_check_constraints=ON")

    def execute(self, sql):
        if POSTGRESQL:
            with self.con.cursor() as c:
                c.execute(sql)
                return c.fetchall() if c.description else []
        return self.con.execute(sql).fetchall()

    def lock_writers(self):
        """Holds the lock every writer takes first, until unlock_writers()."""
        if POSTGRESQL:  # the advisory lock of pg.c's writers, "Podi"
            self.execute("SELECT pg_advisory_lock(1349477481)")
        else:
            self.execute("BEGIN EXCLUSIVE")

    def unlock_writers(self):
        self.execute("SELECT pg_advisory_unlock_all()" if POSTGRESQL else "ROLLBACK")

    def close(self):
        self.con.close()


def execute(db, *statements, checks=True):
    """Runs statements on the database of path db; the rows of the last."""
    con = Connection(db, checks=checks)
    try:
        rows = []
        for s in statements:
            rows = con.execute(s)
        return rows
    finally:
        con.close()


@pytest.fixture(autouse=True)
def _drop_test_databases():
    """PostgreSQL: the databases a test made are dropped after it (a session's stay)."""
    count = made_count()
    yield
    if POSTGRESQL:
        drop_made_since(count)
