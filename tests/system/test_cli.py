"""The command line of docs/cli.md: commands, exit codes, error lines."""

import json
import os
import re
import resource
import signal
import subprocess
import time

import pytest

from backend import Connection, execute, has_schema, sqlite_only, target
from conftest import (BIN, EXAMPLES_DIR, FORMAT, db_files, export_json, run,
                      run_ok)

MALAYSIA = EXAMPLES_DIR / "malaysia-hightech-2021.json"
LESOTHO = EXAMPLES_DIR / "wtu-lesotho-textile-2022.json"
SAFETY = EXAMPLES_DIR / "wtu-textile-trade-safety-2024.json"
COMMANDS = ["init", "import", "export", "roster", "list", "check", "set", "help"]


def _other_error_line(err):
    """The `podium: what is wrong` line of docs/cli.md, if any."""
    return next((ln for ln in err.splitlines() if ln.startswith("podium: ")),
                None)


# ------------------------------------------------------------ version, help

def test_version(tmp_path):
    rc, out, err = run("--version", cwd=tmp_path)
    assert rc == 0, err
    assert re.search(r"\d", out), f"no version number in {out!r}"
    assert os.listdir(tmp_path) == [], "--version created files"


def test_help_lists_commands():
    rc, out, err = run("help")
    assert rc == 0, err
    for c in COMMANDS:
        assert re.search(rf"\b{c}\b", out), f"help does not list {c}:\n{out}"


def test_help_settings():
    rc, out, err = run("help", "settings")
    assert rc == 0, err
    found = [(out.find(name), name, default)
             for name, default in (("import.max_bytes", "268435456"),
                                   ("import.max_depth", "32"))]
    for start, name, _ in found:
        assert start >= 0, f"{name} not in help settings:\n{out}"
    found.sort()
    for n, (start, name, default) in enumerate(found):
        # a setting's text runs up to the next setting
        end = found[n + 1][0] if n + 1 < len(found) else len(out)
        assert re.search(rf"\b{default}\b", out[start:end]), \
            f"default {default} of {name} not shown:\n{out}"


def test_help_import():
    rc, out, err = run("help", "import")
    assert rc == 0, err
    assert "--replace" in out, out
    assert "import" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_help_each_command(command):
    rc, out, err = run("help", command)
    assert rc == 0, err
    assert command in out and len(out.strip()) > len(command)


def test_help_unknown_topic():
    rc, out, err = run("help", "frobnicate")
    assert rc == 64, (rc, err)
    assert "frobnicate" in err


# ------------------------------------------------------------ usage (64)

@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["--frob", "list"],
    ["import"],
    ["import", "--frob", str(MALAYSIA)],
    ["import", str(MALAYSIA), str(LESOTHO)],
    ["import", "--replace"],
    ["export", "a", "b"],
    ["export", "--frob"],
    ["list", "extra"],
    ["check", "extra"],
    ["init", "extra"],
    ["set"],
    ["set", "import.max_bytes"],
    ["set", "import.max_bytes", "1", "2"],
    ["set", "no.such.setting", "1"],
    ["set", "import.max_bytes", "abc"],
    ["set", "import.max_bytes", "12abc"],
    ["set", "import.max_bytes", ""],
    ["set", "import.max_depth", "1.5"],
    ["set", "import.max_bytes", "0"],
    ["set", "import.max_bytes", "-1"],
    ["set", "import.max_bytes", "99999999999999999999999"],
    ["set", "import.max_bytes", "0x10"],
    ["set", "import.max_bytes", "1e3"],
    ["set", "import.max_depth", "0"],
], ids=lambda a: " ".join(a) or "no-arguments")
def test_usage_errors(args, tmp_path):
    db = tmp_path / "u.db"
    run_ok("init", db=db)
    rc, out, err = run(*args, db=db, cwd=tmp_path)
    assert rc == 64, f"exit {rc}, stderr:\n{err}"
    assert err.strip(), "a usage error says what is wrong"
    assert not (tmp_path / "podium.db").exists()
    # Against a missing database the usage error may be found first (64)
    # or the missing database (66): cli.md gives no precedence. Either
    # way nothing is created.
    missing = tmp_path / "missing.db"
    rc, out, err = run(*args, db=missing, cwd=tmp_path)
    assert rc in (64, 66), f"exit {rc}, stderr:\n{err}"
    assert db_files(missing) == [], "a usage error created the database"


def test_db_option_without_value(tmp_path):
    rc, out, err = run("--db", cwd=tmp_path)
    assert rc == 64, err
    assert os.listdir(tmp_path) == []


def test_unknown_command_named(tmp_path):
    rc, out, err = run("frobnicate", db=tmp_path / "x.db")
    assert rc == 64
    assert "frobnicate" in err


# ------------------------------------------------------------ init, db choice

def test_init_creates_empty_database(tmp_db):
    rc, out, err = run("init", db=tmp_db)
    assert rc == 0, err
    assert has_schema(tmp_db)
    assert export_json(tmp_db) == {"format": FORMAT}
    assert run("init", db=tmp_db)[0] == 0, "init of an existing database"
    rc, out, err = run("check", db=tmp_db)
    assert rc == 0, err


def test_podium_db_environment(tmp_path):
    db = tmp_path / "env.db"
    rc, out, err = run("import", MALAYSIA, env={"PODIUM_DB": str(db)},
                       cwd=tmp_path)
    assert rc == 0, err
    assert has_schema(db)
    assert not (tmp_path / "podium.db").exists()
    rc, out, err = run("list", env={"PODIUM_DB": str(db)})
    assert rc == 0 and "malaysia-hightech-2021" in out, err
    # --db wins over PODIUM_DB
    other = tmp_path / "other.db"
    rc, out, err = run("import", LESOTHO, db=other,
                       env={"PODIUM_DB": str(db)})
    assert rc == 0, err
    assert "wtu-lesotho-textile-2022" not in run_ok("list", db=db)


@sqlite_only
def test_default_database_in_current_directory(tmp_path):
    rc, out, err = run("import", MALAYSIA, cwd=tmp_path)
    assert rc == 0, err
    assert (tmp_path / "podium.db").is_file()
    rc, out, err = run("list", cwd=tmp_path)
    assert rc == 0 and "malaysia-hightech-2021" in out


# ------------------------------------------------------------ missing (66)

@pytest.mark.parametrize("args", [["list"], ["export"],
                                  ["export", "malaysia-hightech-2021"],
                                  ["check"]],
                         ids=lambda a: " ".join(a))
def test_missing_database(args, tmp_path):
    db = tmp_path / "missing.db"
    rc, out, err = run(*args, db=db)
    assert rc == 66, f"exit {rc}: {err}"
    assert out == ""
    line = _other_error_line(err)
    assert line and str(target(db)) in line, f"no 'podium: ...' line naming the db:\n{err}"
    assert os.listdir(tmp_path) == [], "a missing database was created"


@sqlite_only
def test_missing_database_in_missing_directory(tmp_path):
    db = tmp_path / "no" / "such" / "dir" / "x.db"
    rc, out, err = run("list", db=db)
    assert rc == 66, err
    assert not (tmp_path / "no").exists()


def test_unknown_slug(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    rc, out, err = run("export", "no-such-program", db=tmp_db)
    assert rc == 66, err
    assert out == ""
    line = _other_error_line(err)
    assert line and "no-such-program" in line, err


def test_missing_import_file(tmp_path, tmp_db):
    missing = tmp_path / "nope.json"
    rc, out, err = run("import", missing, db=tmp_db)
    assert rc == 66, err
    assert str(missing) in err
    assert db_files(tmp_db) == [], "failed import left a database behind"


def test_missing_import_file_existing_db(tmp_path, tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    before = run_ok("export", db=tmp_db)
    rc, out, err = run("import", tmp_path / "nope.json", db=tmp_db)
    assert rc == 66, err
    assert run_ok("export", db=tmp_db) == before


def test_import_file_is_directory(tmp_path, tmp_db):
    d = tmp_path / "adir"
    d.mkdir()
    rc, out, err = run("import", d, db=tmp_db)
    assert rc == 66, err
    assert db_files(tmp_db) == []


# ------------------------------------------------------------ I/O (74)

@sqlite_only
def test_import_into_missing_directory_is_io_error(tmp_path):
    # The database of `import` is written, not read: not being able to
    # create it is "cannot write" (74), not "input missing" (66, which
    # cli.md reserves for the database of list/export/check).
    db = tmp_path / "no" / "such" / "dir" / "x.db"
    rc, out, err = run("import", MALAYSIA, db=db)
    assert rc == 74, f"exit {rc}: {err}"
    assert err.strip()
    assert not (tmp_path / "no").exists()


@sqlite_only
def test_init_into_missing_directory_is_io_error(tmp_path):
    db = tmp_path / "no" / "x.db"
    rc, out, err = run("init", db=db)
    assert rc == 74, f"exit {rc}: {err}"
    assert not (tmp_path / "no").exists()


@sqlite_only
def test_import_into_directory_is_io_error(tmp_path):
    d = tmp_path / "dir.db"
    d.mkdir()
    rc, out, err = run("import", MALAYSIA, db=d)
    assert rc == 74, f"exit {rc}: {err}"
    assert os.listdir(d) == []


@sqlite_only
def test_list_of_directory_fails(tmp_path):
    # Ambiguous in cli.md: an unreadable database of `list` is 66, an I/O
    # error is 74; either is accepted, never 0 or a crash.
    d = tmp_path / "dir.db"
    d.mkdir()
    rc, out, err = run("list", db=d)
    assert rc in (66, 74), f"exit {rc}: {err}"


def _limit_file_size(nbytes):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return pre


@sqlite_only
def test_cannot_write_is_io_error(tmp_db):
    """A write that fails (here: past RLIMIT_FSIZE, as a full disk would)
    exits 74 and changes nothing."""
    run_ok("import", LESOTHO, db=tmp_db)
    before = run_ok("export", db=tmp_db)
    rc, out, err = run("import", MALAYSIA, db=tmp_db,
                       preexec_fn=_limit_file_size(40 * 1024))
    assert rc == 74, f"exit {rc}: {err}"
    assert err.strip()
    assert run_ok("export", db=tmp_db) == before
    rc, out, err = run("check", db=tmp_db)
    assert rc == 0, err


@pytest.mark.parametrize("args", [["export"],
                                  ["export", "wtu-lesotho-textile-2022"],
                                  ["list"], ["help"], ["help", "settings"]],
                         ids=lambda a: " ".join(a))
def test_output_to_full_device_is_io_error(args, tmp_db):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    run_ok("import", LESOTHO, db=tmp_db)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([BIN, "--db", str(target(tmp_db))] + args,
                              stdout=full, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=60)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 74, f"exit {proc.returncode}: {err!r}"
    assert err.startswith("podium: "), \
        f"exit 74 without a 'podium: ...' line on stderr: {err!r}"


def test_database_locked_is_io_error(tmp_db):
    run_ok("import", LESOTHO, db=tmp_db)
    before = run_ok("export", db=tmp_db)
    con = Connection(tmp_db)
    try:
        con.lock_writers()
        t0 = time.monotonic()
        rc, out, err = run("import", MALAYSIA, db=tmp_db, timeout=120)
        elapsed = time.monotonic() - t0
    finally:
        con.unlock_writers()
        con.close()
    assert rc == 74, f"exit {rc} after {elapsed:.1f}s: {err}"
    assert run_ok("export", db=tmp_db) == before


# ------------------------------------------------------------ list

def _columns(line):
    return re.split(r" {2,}", line.strip())


HEADER = ["SLUG", "STARTS", "ENDS", "MODE", "TIMEZONE", "SESSIONS",
          "ENROLMENTS", "ARTICLES"]


def test_list_empty(tmp_db):
    run_ok("init", db=tmp_db)
    out = run_ok("list", db=tmp_db)
    lines = out.splitlines()
    assert len(lines) == 1, out
    assert _columns(lines[0]) == HEADER


def test_list_programs_in_slug_order(tmp_db):
    # imported out of slug order on purpose
    for f in (SAFETY, MALAYSIA, LESOTHO):
        run_ok("import", f, db=tmp_db)
    lines = run_ok("list", db=tmp_db).splitlines()
    assert _columns(lines[0]) == HEADER
    rows = [_columns(ln) for ln in lines[1:]]
    assert rows == [
        ["malaysia-hightech-2021", "2021-12-09", "2021-12-22", "hybrid",
         "Asia/Shanghai", "1", "8", "1"],
        ["wtu-lesotho-textile-2022", "2022-06-29", "2022-07-12", "hybrid",
         "Asia/Shanghai", "1", "5", "1"],
        ["wtu-textile-trade-safety-2024", "2024-04-02", "2024-04-15",
         "offline", "Asia/Shanghai", "1", "5", "1"],
    ], "\n".join(lines)


# ------------------------------------------------------------ set

def test_set_changes_setting(tmp_db):
    run_ok("init", db=tmp_db)
    rc, out, err = run("set", "import.max_bytes", "100", db=tmp_db)
    assert rc == 0, err
    rc, out, err = run("import", MALAYSIA, db=tmp_db)
    assert rc == 65 and "import.max_bytes" in err, err
    # a bad value is refused and leaves the setting as it was
    assert run("set", "import.max_bytes", "lots", db=tmp_db)[0] == 64
    rc, out, err = run("import", MALAYSIA, db=tmp_db)
    assert rc == 65 and "import.max_bytes" in err, err
    run_ok("set", "import.max_bytes", "268435456", db=tmp_db)
    rc, out, err = run("import", MALAYSIA, db=tmp_db)
    assert rc == 0, err


def test_set_max_depth(tmp_db):
    run_ok("init", db=tmp_db)
    run_ok("set", "import.max_depth", "2", db=tmp_db)
    rc, out, err = run("import", MALAYSIA, db=tmp_db)
    assert rc == 65 and "import.max_depth" in err, err
    assert "malaysia" not in run_ok("list", db=tmp_db)


# ------------------------------------------------------------ check

def test_check_clean(tmp_db):
    for f in (MALAYSIA, LESOTHO, SAFETY):
        run_ok("import", f, db=tmp_db)
    rc, out, err = run("check", db=tmp_db)
    assert rc == 0, err


def _tamper(db, *statements):
    execute(db, *statements, checks=False)


def test_check_finds_empty_name(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    _tamper(tmp_db, "UPDATE person SET name='' WHERE key='yu-jun'")
    rc, out, err = run("check", db=tmp_db)
    assert rc == 65, (rc, out, err)
    assert (err + out).strip()


def test_check_finds_dangling_reference(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    _tamper(tmp_db, "DELETE FROM organization WHERE key='mofcom'")
    rc, out, err = run("check", db=tmp_db)
    assert rc == 65, (rc, out, err)
    assert (err + out).strip()


# ------------------------------------------------------------ streams

def test_failed_import_writes_nothing_to_stdout(tmp_path, tmp_db):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}')
    rc, out, err = run("import", bad, db=tmp_db)
    assert rc == 65
    assert out == ""
    assert any(ln.startswith(f"{bad}: ") for ln in err.splitlines()), err
    assert db_files(tmp_db) == []


def test_export_writes_json_only_to_stdout(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    rc, out, err = run("export", db=tmp_db)
    assert rc == 0
    assert err == ""
    doc = json.loads(out)
    assert doc["format"] == FORMAT
