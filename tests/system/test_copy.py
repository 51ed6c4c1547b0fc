"""`podium copy FROM TO` (docs/cli.md): one whole database into a new or
empty one, SQLite or PostgreSQL, in one transaction on TO, reading FROM in
one snapshot; the exports of both must be identical.

On the SQLite run every copy is SQLite to SQLite; on the PostgreSQL run
the copies go both ways between the backends, and from PostgreSQL to
PostgreSQL."""

import json
import re
import resource
import signal
import subprocess
import threading

import pytest

from backend import POSTGRESQL, SqliteFile, create, target
from conftest import BIN, EXAMPLES_DIR, REPO, TIMEOUT, run, run_ok

SLUG = "malaysia-hightech-2021"
DIRECTIONS = (["sqlite-sqlite"] if not POSTGRESQL else
              ["sqlite-postgresql", "postgresql-sqlite", "postgresql-postgresql"])
COPIED = re.compile(r"^copied (\S+) to (\S+): (\d+) rows; both export the same (\d+) bytes$")


def side(kind, path):
    """The database of kind ("sqlite" or "postgresql") at path, as copy names it.

    A PostgreSQL database is made empty first, as its operator would."""
    if kind == "sqlite":
        return SqliteFile(path)
    create(path)
    return target(path)


def ends(direction, tmp_path):
    a, b = direction.split("-")
    return side(a, tmp_path / "from.db"), side(b, tmp_path / "to.db")


def fill(db, *docs):
    for d in docs:
        run_ok("import", d, db=db)


def examples():
    return sorted(EXAMPLES_DIR.glob("*.json"))


def copy(src, dst, timeout=None):
    return run("copy", src, dst, timeout=timeout)


@pytest.fixture(scope="session")
def large_document(tmp_path_factory):
    """bench/gen_document.py's large document (every hard case of the format), made once."""
    path = tmp_path_factory.mktemp("large") / "large.json"
    subprocess.run(["/usr/bin/python3", str(REPO / "bench" / "gen_document.py"), str(path)],
                   check=True, stderr=subprocess.DEVNULL, timeout=300)
    return path


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_copy_of_the_examples_is_whole(direction, tmp_path):
    src, dst = ends(direction, tmp_path)
    fill(src, *examples())
    # a setting: not in the exchange format, copied all the same
    run_ok("set", "import.max_depth", "3", db=src)
    rc, out, err = copy(src, dst)
    assert rc == 0, err
    m = COPIED.match(out.strip())
    assert m, out
    before = run_ok("export", db=src)
    assert run_ok("export", db=dst) == before
    assert int(m.group(4)) == len(before.encode())
    assert run_ok("list", db=dst) == run_ok("list", db=src)
    assert run_ok("check", db=dst).endswith(": ok\n")
    # the setting came along: a document deeper than 3 levels is refused in TO
    rc, out, err = run("import", examples()[0], db=dst)
    assert rc == 65 and "import.max_depth" in err, err
    # and TO is a database like any other: it takes an import
    run_ok("set", "import.max_depth", "64", db=dst)
    doc = json.loads(before)
    doc["programs"][0]["title"] = "Renamed after the copy"
    p = tmp_path / "renamed.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    run_ok("import", "--replace", p, db=dst)
    assert json.loads(run_ok("export", db=dst))["programs"][0]["title"] == "Renamed after the copy"
    assert run_ok("export", db=src) == before


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_copy_of_a_large_document(direction, tmp_path, large_document):
    src, dst = ends(direction, tmp_path)
    run_ok("import", "--quiet", large_document, db=src, timeout=TIMEOUT * 5)
    rc, out, err = copy(src, dst, timeout=TIMEOUT * 5)
    assert rc == 0, err
    assert COPIED.match(out.strip()), out
    exported = run_ok("export", db=dst, timeout=TIMEOUT * 5)
    assert exported == run_ok("export", db=src, timeout=TIMEOUT * 5)
    assert json.loads(exported) == json.loads(large_document.read_text(encoding="utf-8"))


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_copy_into_a_freshly_initialized_database(direction, tmp_path):
    src, dst = ends(direction, tmp_path)
    fill(src, examples()[1])
    run_ok("init", db=dst)
    rc, out, err = copy(src, dst)
    assert rc == 0, err
    assert run_ok("export", db=dst) == run_ok("export", db=src)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_copy_refuses_a_database_with_data_and_leaves_it(direction, tmp_path):
    src, dst = ends(direction, tmp_path)
    fill(src, *examples())
    fill(dst, examples()[1])
    before = run_ok("export", db=dst)
    rc, out, err = copy(src, dst)
    assert rc == 73, err
    assert out == ""
    assert err.splitlines() == [f"podium: {dst}: holds Podium data already; copy fills only a "
                                "new or empty database (nothing was changed)"], err
    assert run_ok("export", db=dst) == before
    # a setting alone is data too
    other = side(direction.split("-")[1], tmp_path / "other.db")
    run_ok("set", "import.max_bytes", "1000000", db=other)
    rc, out, err = copy(src, other)
    assert rc == 73, err


def test_copy_from_a_missing_database_creates_nothing(tmp_path):
    dst = tmp_path / "to.db"
    rc, out, err = copy(SqliteFile(tmp_path / "nope.db"), SqliteFile(dst))
    assert rc == 66, err
    assert err.startswith("podium: no database at "), err
    assert not dst.exists()


@pytest.mark.parametrize("args", [[], ["a.db"], ["a.db", "b.db", "c.db"], ["--fast", "b.db"]],
                         ids=lambda a: " ".join(a) or "none")
def test_copy_usage(args, tmp_path):
    rc, out, err = run("copy", *[SqliteFile(tmp_path / a) if not a.startswith("-") else a
                                 for a in args])
    assert rc == 64, err
    assert "usage: podium" in err and "copy FROM TO" in err, err
    assert list(tmp_path.iterdir()) == []


def test_copy_onto_itself_is_refused(tmp_path):
    db = SqliteFile(tmp_path / "same.db")
    fill(db, examples()[0])
    before = run_ok("export", db=db)
    rc, out, err = copy(db, db)
    assert rc == 64, err
    assert "same database" in err
    assert run_ok("export", db=db) == before


def test_a_failed_copy_leaves_no_file(tmp_path, large_document):
    """A copy that cannot be written whole (here: past RLIMIT_FSIZE, as a
    full disk would) leaves no SQLite file behind."""
    src = side("postgresql" if POSTGRESQL else "sqlite", tmp_path / "from.db")
    run_ok("import", "--quiet", large_document, db=src, timeout=TIMEOUT * 5)
    dst = tmp_path / "to.db"

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    proc = subprocess.run([BIN, "copy", str(src), str(dst)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, preexec_fn=limit, timeout=TIMEOUT * 5)
    err = proc.stderr.decode()
    assert proc.returncode == 74, err
    assert len(err.splitlines()) == 1 and err.startswith("podium: "), err
    assert not dst.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("to.db")] == []


def test_copy_while_the_database_is_written_is_one_snapshot(tmp_path):
    """A copy of a database in use is consistent: it holds one state of it,
    never half of a write (an import running meanwhile, again and again)."""
    src = side("postgresql" if POSTGRESQL else "sqlite", tmp_path / "from.db")
    fill(src, *examples())
    doc = json.loads((EXAMPLES_DIR / f"{SLUG}.json").read_text(encoding="utf-8"))
    states = {run_ok("export", db=src)}
    versions = []
    for i in range(2):
        d = json.loads(json.dumps(doc))
        d["programs"][0]["title"] = f"Version {i}"
        d["programs"][0]["sessions"] = d["programs"][0]["sessions"][:1] if i else \
            d["programs"][0]["sessions"]
        p = tmp_path / f"v{i}.json"
        p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        versions.append(p)
    for p in versions:  # every state the writer leaves between its imports
        run_ok("import", "--replace", p, db=src)
        states.add(run_ok("export", db=src))
    stop = threading.Event()
    failures = []

    def writer():
        i = 0
        while not stop.is_set():
            rc, out, err = run("import", "--replace", "--quiet", versions[i % 2], db=src)
            if rc != 0:
                failures.append(err)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        copies = []
        for n in range(4):
            dst = SqliteFile(tmp_path / f"backup-{n}.db")
            rc, out, err = copy(src, dst)
            assert rc == 0, err
            copies.append(dst)
    finally:
        stop.set()
        t.join()
    assert not failures, failures
    for dst in copies:
        assert run_ok("export", db=dst) in states
