"""The limits of what an import takes (issue 11): the years 1900 to 2200,
with a located error outside them; a cycle of organizations found at once
however many hang below it."""

import json
import time

from conftest import EXAMPLES_DIR, import_doc, load_example, run, run_ok


def _program(slug, zone, starts, ends, sessions=()):
    return {"slug": slug, "title": "Edge of the calendar", "kind": "seminar", "mode": "online",
            "timezone": zone, "starts_on": starts, "ends_on": ends, "host": "mofcom",
            "organizer": "mofcom", "sessions": list(sessions)}


def _doc(*programs):
    doc = load_example("malaysia-hightech-2021.json")
    return {"format": "podium-program/1",
            "organizations": [o for o in doc["organizations"] if o["key"] == "mofcom"],
            "programs": list(programs)}


def test_year_1_is_refused_with_its_path(tmp_path, tmp_db):
    rc, out, err, p = import_doc(tmp_db, _doc(_program("old", "Etc/GMT-14", "0001-01-01",
                                                        "0001-01-02")), tmp_path)
    assert rc == 65
    assert f"{p}: programs[0].starts_on: 0001-01-01 is outside the years Podium accepts " \
           "(1900 to 2200)" in err.splitlines(), err
    assert "GLib" not in err and "CRITICAL" not in err


def test_year_9999_is_refused(tmp_path, tmp_db):
    rc, out, err, p = import_doc(tmp_db, _doc(_program("late", "Etc/UTC", "9999-12-30",
                                                        "9999-12-31")), tmp_path)
    assert rc == 65
    assert "programs[0].ends_on: 9999-12-31 is outside the years" in err, err


def test_instant_outside_the_years_is_refused(tmp_path, tmp_db):
    s = {"key": "s", "title": "S", "kind": "ceremony", "starts_at": "2201-01-01T00:00:00Z",
         "ends_at": "2201-01-01T01:00:00Z"}
    rc, out, err, p = import_doc(tmp_db, _doc(_program("x", "Etc/UTC", "2200-12-31",
                                                        "2200-12-31", [s])), tmp_path)
    assert rc == 65
    assert "programs[0].sessions[0].starts_at: 2201-01-01T00:00:00Z is outside the years" in err, err


def test_the_edges_of_the_years_go_in_and_come_back(tmp_path, tmp_db):
    first = {"key": "first", "title": "First", "kind": "ceremony",
             "starts_at": "1900-01-01T00:00:00+14:00", "ends_at": "1900-01-01T01:00:00+14:00"}
    last = {"key": "last", "title": "Last", "kind": "ceremony",
            "starts_at": "2200-12-31T23:00:00-12:00", "ends_at": "2200-12-31T23:59:59-12:00"}
    doc = _doc(_program("first", "Etc/GMT-14", "1900-01-01", "1900-01-01", [first]),
               _program("last", "Etc/GMT+12", "2200-12-31", "2200-12-31", [last]))
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 0, err
    got = json.loads(run_ok("export", db=tmp_db))
    sessions = {s["key"]: s for prog in got["programs"] for s in prog["sessions"]}
    assert sessions["first"]["starts_at"] == "1900-01-01T00:00:00+14:00"
    assert sessions["last"]["ends_at"] == "2200-12-31T23:59:59-12:00"


def test_a_cycle_with_many_organizations_below_it_is_found_at_once(tmp_path, tmp_db):
    """Before: each of 20,000 organizations below a 2-cycle walked 100,000
    steps (21.6 s); each chain is walked once now."""
    orgs = [{"key": "cycle-a", "name": "A", "parent": "cycle-b"},
            {"key": "cycle-b", "name": "B", "parent": "cycle-a"}]
    parent = "cycle-a"
    for i in range(20000):
        key = f"below-{i}"
        orgs.append({"key": key, "name": f"Below {i}", "parent": parent})
        if i % 100 == 0:
            parent = key  # chains of a hundred, hanging below the cycle
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps({"format": "podium-program/1", "organizations": orgs}))
    assert path.stat().st_size > 900_000
    t0 = time.monotonic()
    rc, out, err = run("import", path, db=tmp_db, timeout=30)
    took = time.monotonic() - t0
    assert rc == 65, err
    lines = err.splitlines()
    assert sorted(lines) == sorted([
        f"{path}: organizations[0].parent: 'cycle-b' makes a cycle: 'cycle-a' would be its own ancestor",
        f"{path}: organizations[1].parent: 'cycle-a' makes a cycle: 'cycle-b' would be its own ancestor",
    ]), err[-2000:]
    print(f"rejected in {took:.2f} s")
