"""What the two backends must keep alike, and what PostgreSQL adds
(docs/cli.md, docs/deploy.md): racing imports, connection strings and their
errors, passwords that never show, the schema's migrations."""

import json
import os
import re
import subprocess
import threading
import time

import pytest

from backend import (POSTGRESQL, SqliteFile, create, database_name, execute, has_schema, postgresql_only,
                     target)
from conftest import BIN, EXAMPLES_DIR, TIMEOUT, _env, run, run_ok

MALAYSIA = EXAMPLES_DIR / "malaysia-hightech-2021.json"
SLUG = "malaysia-hightech-2021"


# ------------------------------------------------------------ both backends

def test_racing_imports_of_conflicting_documents_one_wins_whole(tmp_path):
    """Two imports of the same program with different data start at once:
    one is written whole, the other finds the conflict and writes nothing.
    Never half of each."""
    doc = json.loads(MALAYSIA.read_text(encoding="utf-8"))
    docs = []
    for name in ("a", "b"):
        d = json.loads(json.dumps(doc))
        d["programs"][0]["title"] = f"Title {name}"
        d["programs"][0]["sessions"][0]["title"] = f"Session {name}"
        for p in d["people"]:
            p["position"] = f"Position {name}"
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        docs.append((path, d))
    for round_ in range(4):
        db = tmp_path / f"race{round_}.db"
        run_ok("init", db=db)
        results = [None, None]
        start = threading.Barrier(2)

        def go(i):
            start.wait()
            results[i] = run("import", docs[i][0], db=db, timeout=TIMEOUT * 2)

        threads = [threading.Thread(target=go, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r[0] for r in results)
        assert codes == [0, 65], results
        winner = [i for i in (0, 1) if results[i][0] == 0][0]
        loser_err = results[1 - winner][2]
        assert "already exists with different data" in loser_err, loser_err
        exported = json.loads(run_ok("export", db=db))
        assert exported == docs[winner][1], f"round {round_}: not the winner's document whole"


@pytest.mark.parametrize("name", ["a=b.db", "dbname.db", "postgresql.db", "host.db"])
def test_a_path_that_looks_like_a_connection_string_is_a_file(name, tmp_path):
    """Only postgresql://, postgres:// and a libpq keyword string (host=,
    hostaddr=, port=, dbname=, user=, service= first) name PostgreSQL."""
    odd = SqliteFile(tmp_path / name)
    rc, out, err = run("import", MALAYSIA, db=odd)
    assert rc == 0, err
    assert (tmp_path / name).is_file()


# ------------------------------------------------------------ PostgreSQL

def _password_url(name, password):
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER", "postgres")
    return f"postgresql://{user}:{password}@{host}:{port}/{name}"


@postgresql_only
@pytest.mark.parametrize("how", ["uri", "postgres-uri", "keywords", "environment"])
def test_every_way_to_name_a_postgresql_database(how, tmp_path):
    db = tmp_path / "named.db"
    create(db)
    name = database_name(db)
    spelled = {"uri": f"postgresql:///{name}", "postgres-uri": f"postgres:///{name}",
               "keywords": f"dbname={name}", "environment": f"dbname={name}"}[how]
    if how == "environment":
        rc, out, err = run("import", MALAYSIA, env={"PODIUM_DB": spelled})
    else:
        rc, out, err = run("import", MALAYSIA, db=spelled)
    assert rc == 0, err
    assert SLUG in run_ok("list", db=target(db))


@postgresql_only
def test_init_makes_the_schema_then_is_up_to_date(tmp_path):
    db = tmp_path / "fresh.db"
    create(db)
    assert not has_schema(db)
    assert run_ok("init", db=target(db)).strip() == f"{target(db)}: schema created"
    assert run_ok("init", db=target(db)).strip() == f"{target(db)}: database is up to date"
    assert has_schema(db)


@postgresql_only
def test_a_newer_schema_is_refused(tmp_path):
    db = tmp_path / "newer.db"
    run_ok("import", MALAYSIA, db=db)
    execute(db, "UPDATE podium_schema SET version = 999")
    rc, out, err = run("list", db=db)
    assert rc == 65, err
    assert "newer than this podium's" in err and "999" in err, err


@postgresql_only
def test_missing_database_is_66_and_says_so(tmp_path):
    rc, out, err = run("list", db="postgresql:///pt_no_such_database")
    assert rc == 66, err
    assert err.startswith("podium: no database at 'postgresql:///pt_no_such_database'"), err
    assert len(err.splitlines()) == 1, err


@postgresql_only
@pytest.mark.parametrize("spelled,code", [
    ("postgresql://podium:s3cr3t-word@127.0.0.1:1/podium", 74),          # nothing listens
    ("postgresql://podium:s3cr3t-word@host.invalid/podium", 74),         # no such host
    ("postgresql://podium:s3cr3t-word@[::1/podium", 66),                 # unreadable URI
    ("host=127.0.0.1 port=1 dbname=podium password=s3cr3t-word", 74),
    ("postgresql://podium:s3cr3t-word@localhost/podium?sslmode=nonsense", 66),
])
@pytest.mark.parametrize("command", [["list"], ["import", str(MALAYSIA)], ["serve"]])
def test_unreachable_or_bad_targets_are_one_line_without_the_password(spelled, code, command):
    if command == ["serve"]:
        command = ["serve", "--listen", "127.0.0.1:0"]
    rc, out, err = run(*command, db=spelled, timeout=TIMEOUT)
    assert rc == code, (rc, err)
    assert len(err.splitlines()) == 1 and err.startswith("podium: "), err
    assert "s3cr3t-word" not in err + out


@postgresql_only
def test_wrong_password_is_74_without_the_password(tmp_path):
    db = tmp_path / "p.db"
    run_ok("import", MALAYSIA, db=db)
    rc, out, err = run("list", db=_password_url(database_name(db), "wrong-s3cr3t"))
    assert rc == 74, err
    assert "wrong-s3cr3t" not in err
    assert "password authentication failed" in err, err


@postgresql_only
def test_ps_never_shows_the_password(tmp_path):
    """A password given in --db is scrubbed from the process's arguments
    (what ps shows), and the serving line and log show the target without it."""
    password = os.environ.get("PGPASSWORD")
    if not password:
        pytest.skip("the cluster takes no password")
    db = tmp_path / "ps.db"
    run_ok("import", MALAYSIA, db=db)
    url = _password_url(database_name(db), password)
    env = _env()
    env.pop("PGPASSWORD", None)  # the one in the URI must be the one that works
    proc = subprocess.Popen([BIN, "--db", url, "serve", "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        line = proc.stdout.readline().decode()
        assert "serving" in line and password not in line, line
        with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
            cmdline = f.read().decode("utf-8", "replace")
        assert password not in cmdline, cmdline
        assert database_name(db) in cmdline
        port = int(re.search(r"on http://127\.0\.0\.1:(\d+)/", line).group(1))
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        c.request("GET", f"/programs/{SLUG}")
        assert c.getresponse().status == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=TIMEOUT)
    assert password not in err.decode("utf-8", "replace")
    assert proc.returncode == 0


@postgresql_only
def test_an_import_waits_for_another_then_sees_it(tmp_path):
    """Writers take turns: an import that starts while another holds the
    writers' lock waits for it (up to the lock wait), then judges against
    what the first wrote."""
    from backend import Connection
    db = tmp_path / "turns.db"
    run_ok("import", MALAYSIA, db=db)
    con = Connection(db)
    con.lock_writers()
    started = time.monotonic()
    proc = subprocess.Popen([BIN, "--db", target(db), "import", str(MALAYSIA)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    time.sleep(1.0)
    assert proc.poll() is None, "the second writer did not wait"
    con.unlock_writers()
    con.close()
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert "unchanged" in out.decode(), out
    assert time.monotonic() - started >= 1.0


@postgresql_only
def test_check_finds_what_the_foreign_keys_would_have_refused(tmp_path):
    db = tmp_path / "fk.db"
    run_ok("import", MALAYSIA, db=db)
    execute(db, "UPDATE person SET organization_id = 999999 WHERE key = 'yu-jun'", checks=False)
    rc, out, err = run("check", db=db)
    assert rc == 65, (rc, out, err)
    assert "refers to a missing row of organization" in err, err


@postgresql_only
def test_the_least_privileged_role_of_deploy_md_serves_and_cannot_write(tmp_path):
    """docs/deploy.md's roles: the schema's owner writes; podium_web, with
    USAGE on the schema and SELECT on its tables, serves and cannot write."""
    from backend import admin
    db = tmp_path / "roles.db"
    run_ok("import", MALAYSIA, db=db)
    name = database_name(db)
    role = "pt_web_" + name[-8:]
    with admin().cursor() as c:
        c.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'web-s3cr3t'")
    try:
        execute(db, f"GRANT USAGE ON SCHEMA public TO {role}",
                f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        url = _password_url(name, "web-s3cr3t").replace(
            f"//{os.environ.get('PGUSER', 'postgres')}:", f"//{role}:")
        env = _env()
        env.pop("PGPASSWORD", None)
        proc = subprocess.Popen([BIN, "--db", url, "serve", "--listen", "127.0.0.1:0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            line = proc.stdout.readline().decode()
            port = int(re.search(r"on http://127\.0\.0\.1:(\d+)/", line).group(1))
            import http.client
            for path in ("/", f"/programs/{SLUG}", f"/api/v1/programs/{SLUG}", "/healthz"):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                c.request("GET", path)
                assert c.getresponse().status == 200, path
        finally:
            proc.terminate()
            proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0
        rc, out, err = run("set", "import.max_depth", "40", db=url, env={"PGPASSWORD": ""})
        assert rc == 70, (rc, err)
        assert "permission denied" in err and len(err.splitlines()) == 1, err
    finally:
        execute(db, f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
                f"REVOKE ALL ON SCHEMA public FROM {role}")
        with admin().cursor() as c:
            c.execute(f"DROP ROLE {role}")
