"""What the command line says, as a new user meets it: what an import did,
where a conflict is, the nearest command or slug to a typing mistake, one
line per command in help, a taken port, an empty or non-UTF-8 file, and
error lines that stay one line whatever a document holds."""

import json
import re
import socket
import subprocess

from backend import target
from conftest import BIN, EXAMPLES_DIR, _env, db_files, import_doc, run, run_ok, write_doc

MALAYSIA = EXAMPLES_DIR / "malaysia-hightech-2021.json"
LESOTHO = EXAMPLES_DIR / "wtu-lesotho-textile-2022.json"


def test_import_says_what_it_did(tmp_db):
    out = run_ok("import", MALAYSIA, db=tmp_db)
    assert out == ("imported malaysia-hightech-2021: 1 program, 11 people, "
                   "17 organizations added\n"), out
    out = run_ok("import", LESOTHO, db=tmp_db)
    # mofcom is in both, with the same data
    assert re.fullmatch(r"imported wtu-lesotho-textile-2022: 1 program, 5 people, "
                        r"4 organizations added, 1 unchanged\n", out), out


def test_importing_the_same_file_twice_changes_nothing(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    out = run_ok("import", MALAYSIA, db=tmp_db)
    assert out == "imported malaysia-hightech-2021: nothing changed (29 unchanged)\n", out


def test_import_quiet(tmp_db):
    assert run_ok("import", "--quiet", MALAYSIA, db=tmp_db) == ""


def test_replace_says_what_was_updated(tmp_path, tmp_db, malaysia):
    run_ok("import", MALAYSIA, db=tmp_db)
    malaysia["programs"][0]["title"] = "A new title"
    malaysia["people"][0]["position"] = "A new position"
    rc, out, err, _ = import_doc(tmp_db, malaysia, tmp_path, replace=True)
    assert rc == 0, err
    assert out == ("imported malaysia-hightech-2021: 1 program, 1 person updated, "
                   "27 unchanged\n"), out


def test_many_programs_are_counted_not_all_named(tmp_path, tmp_db, malaysia):
    progs = []
    for i in range(5):
        p = json.loads(json.dumps(malaysia["programs"][0]))
        p["slug"] = f"copy-{i}"
        for a in p.get("articles", []):
            a["key"] = f"article-{i}"
        progs.append(p)
    malaysia["programs"] = progs
    rc, out, err, _ = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 0, err
    assert out.startswith("imported copy-0, copy-1, copy-2 and 2 more: 5 programs, "), out


def test_conflict_names_the_nested_record_and_field(tmp_path, tmp_db, malaysia):
    run_ok("import", MALAYSIA, db=tmp_db)
    session = malaysia["programs"][0]["sessions"][0]
    session["items"][1]["title"] = "Another speech"
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    line = f"{p}: programs[0]: program 'malaysia-hightech-2021' already exists with different " \
           f"data: sessions['{session['key']}'].items[1].title differs (use --replace to update it)"
    assert line in err.splitlines(), err


def test_bad_reference_is_not_also_a_conflict(tmp_path, tmp_db, malaysia):
    run_ok("import", MALAYSIA, db=tmp_db)
    malaysia["programs"][0]["sessions"][0]["items"][0]["speaker"] = "nobody-at-all"
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    lines = err.splitlines()
    assert lines == [f"{p}: programs[0].sessions[0].items[0].speaker: unknown person "
                     "'nobody-at-all' (not in this document nor in the database)"], err


def test_unknown_slug_suggests_the_nearest(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    rc, out, err = run("export", "malaysia-hightech-2020", db=tmp_db)
    assert rc == 66, err
    assert out == ""
    assert err == (f"podium: no program 'malaysia-hightech-2020' in '{target(tmp_db)}'; did you mean "
                   "'malaysia-hightech-2021'? (podium list)\n"), err


def test_unknown_slug_far_from_any(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    rc, out, err = run("export", "zzz", db=tmp_db)
    assert rc == 66
    assert "did you mean" not in err and "'zzz'" in err and len(err.splitlines()) == 1


def test_unknown_command_suggests_the_nearest():
    rc, out, err = run("lst")
    assert rc == 64
    assert err == "podium: unknown command 'lst'; did you mean 'list'?\n", err
    rc, out, err = run("imprt")
    assert err == "podium: unknown command 'imprt'; did you mean 'import'?\n", err


def test_unknown_command_far_from_any():
    rc, out, err = run("frobnicate")
    assert rc == 64
    assert len(err.splitlines()) == 1 and "'frobnicate'" in err, err


def test_unknown_setting_suggests_the_nearest(tmp_db):
    rc, out, err = run("set", "import.max_byte", "100", db=tmp_db)
    assert rc == 64
    assert "did you mean 'import.max_bytes'?" in err, err


def test_help_gives_one_line_per_command():
    out = run_ok("help")
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^  (\w+) +(\S.*)$", out, re.M)}
    for cmd in ("init", "import", "export", "list", "check", "serve", "set", "help"):
        assert cmd in lines, out
        assert len(lines[cmd]) < 70, lines[cmd]


def test_help_import_points_to_the_format():
    out = run_ok("help", "import")
    assert "docs/exchange-format.md" in out
    assert "--quiet" in out


def test_taken_port_is_one_line_naming_the_port(tmp_db):
    run_ok("import", MALAYSIA, db=tmp_db)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        p = subprocess.run([BIN, "--db", str(target(tmp_db)), "serve", "--listen", f"127.0.0.1:{port}"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), timeout=30)
    finally:
        s.close()
    err = p.stderr.decode()
    assert p.returncode == 74, err
    assert err.splitlines() == [f"podium: serve: cannot listen on 127.0.0.1:{port}: port {port} "
                                "is in use (by another program, or another podium); choose "
                                "another with --listen ADDR:PORT"], err
    assert p.stdout == b""


def test_empty_file_is_reported_at_column_1(tmp_path, tmp_db):
    f = tmp_path / "empty.json"
    f.write_bytes(b"")
    rc, out, err = run("import", f, db=tmp_db)
    assert rc == 65
    assert err.startswith(f"{f}:1:1: "), err
    assert db_files(tmp_db) == []


def test_not_utf8_says_so(tmp_path, tmp_db):
    f = tmp_path / "latin1.json"
    f.write_bytes(b'{\n  "format": "podium-program/1",\n  "x": "caf\xe9"\n}\n')
    rc, out, err = run("import", f, db=tmp_db)
    assert rc == 65
    assert err == f"{f}:3:12: not UTF-8: byte 0xE9 at 3:12; save the file as UTF-8\n", err


def test_error_lines_stay_one_line(tmp_path, tmp_db):
    """A value with a newline and an ANSI escape cannot forge a line or colour the terminal."""
    evil = "x\n" + f"{tmp_path}/doc.json:1:1: forged" + "\x1b[31mred"
    doc = {"format": "podium-program/1",
           "organizations": [{"key": evil, "name": "N"}]}
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 65
    assert "\x1b" not in err
    assert len(err.splitlines()) == 1, err
    assert "\\n" in err and "\\u001B" in err, err


def test_file_name_with_control_characters(tmp_path, tmp_db):
    f = tmp_path / "bad\nname.json"
    write_doc(f, b"{")
    rc, out, err = run("import", f, db=tmp_db)
    assert rc == 65
    assert len(err.splitlines()) == 1 and "bad\\nname.json" in err, err
