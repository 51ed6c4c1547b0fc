"""Fixtures of the system tests of `podium serve` (helpers: podium_web.py).

A session-scoped server over a database holding the three examples
(`server`), and a factory fixture `start_server(db, now=..., threads=...)`
for servers over custom databases. Every server is stopped with SIGTERM at
teardown: it must exit 0, with no sanitizer report on its stderr.
"""

import os

import pytest


from podium_web import (BIN, EXAMPLES_DIR, LESOTHO, MALAYSIA, NOW, SAFETY, Server,
                        load_example, make_db, stop_and_check)
from backend import _drop_test_databases  # noqa: F401 (PostgreSQL: each test's databases dropped)


# ------------------------------------------------------------- fixtures

@pytest.fixture(scope="session", autouse=True)
def _binary():
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        pytest.fail(f"podium binary not found at {BIN} (build it, or set PODIUM_BIN)",
                    pytrace=False)
    return BIN


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("examples")
    return make_db(d, *(EXAMPLES_DIR / f"{s}.json" for s in (MALAYSIA, LESOTHO, SAFETY)),
                   name="examples.db")


@pytest.fixture(scope="session")
def server(examples_db, tmp_path_factory):
    """A server over the three examples, PODIUM_NOW fixed at 2021-12-10 12:00 +08:00."""
    s = Server(examples_db, tmp_path_factory.mktemp("serve"), now=NOW)
    yield s
    stop_and_check(s)


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server(db, now=NOW, threads=None) -> Server, stopped at teardown."""
    servers = []

    def start(db, now=NOW, threads=None, env=None):
        s = Server(db, tmp_path, now=now, threads=threads, env=env)
        servers.append(s)
        return s

    yield start
    for s in servers:
        stop_and_check(s)


@pytest.fixture(scope="session")
def examples():
    return {s: load_example(s) for s in (MALAYSIA, LESOTHO, SAFETY)}

