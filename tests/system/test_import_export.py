"""Import and export of podium-program/1 (docs/exchange-format.md,
"Behaviour"): round trips, shared records, re-import, standard input,
--replace, canonical form, time zones."""

import copy
import json
import re

import pytest

from backend import POSTGRESQL, execute, has_schema
from conftest import (EXAMPLES_DIR, FORMAT, canonical, db_files, error_lines,
                      expected_slug_export, export_json, import_doc,
                      load_example, malformed_positions, run, run_ok)

NAMES = ["malaysia-hightech-2021.json", "wtu-lesotho-textile-2022.json",
         "wtu-textile-trade-safety-2024.json"]

# scenarios/README.md: what `export SLUG` leaves out of each document
LEFT_OUT = {
    "malaysia-hightech-2021": {"my-mfa", "my-moe", "my-mot", "my-moi",
                               "regaltech", "alibaba-cloud"},
    "wtu-lesotho-textile-2022": {"wtu-fatpc"},
    "wtu-textile-trade-safety-2024": {"wtu-fapmc"},
}


def _slug(doc):
    return doc["programs"][0]["slug"]


# ------------------------------------------------------------ round trips

def test_examples_present(examples):
    assert sorted(p.name for p in examples) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_export_all(name, tmp_db):
    rc, out, err = run("import", EXAMPLES_DIR / name, db=tmp_db)
    assert rc == 0, err
    slug = load_example(name)["programs"][0]["slug"]
    assert re.fullmatch(rf"imported {slug}: 1 program, \d+ people, \d+ organizations added\n", out), out
    rc, out, err = run("export", db=tmp_db)
    assert rc == 0, err
    assert json.loads(out) == load_example(name)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_export_slug(name, tmp_db):
    doc = load_example(name)
    slug = _slug(doc)
    run_ok("import", EXAMPLES_DIR / name, db=tmp_db)
    got = export_json(tmp_db, slug)
    want = expected_slug_export(doc, slug)
    # the documented left-outs are exactly what the rule leaves out
    kept = {o["key"] for o in want["organizations"]}
    assert {o["key"] for o in doc["organizations"]} - kept == LEFT_OUT[slug]
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_export_field_order_is_canonical(name, tmp_db):
    """"the fields of this page in its order" (exchange-format.md)."""
    order = {
        "top": ["format", "organizations", "people", "programs"],
        "organization": ["key", "name", "short_name", "country", "kind",
                         "parent", "translations"],
        "person": ["key", "name", "honorific", "position", "organization",
                   "country", "email", "translations"],
        "program": ["slug", "title", "kind", "mode", "timezone", "starts_on",
                    "ends_on", "host", "organizer", "countries", "capacity",
                    "languages", "summary", "preparation", "venues",
                    "enrolments", "sessions", "articles", "translations"],
        "phase": ["phase", "title", "status", "due", "notes", "translations"],
        "venue": ["key", "name", "kind", "address", "url", "capacity",
                  "translations"],
        "enrolment": ["person", "role", "status"],
        # items and description: the page lists items first, the lesotho
        # example writes description first; either is accepted here.
        "session": ["key", "title", "kind", "starts_at", "ends_at", "venues",
                    "attendees", {"items", "description"}, "translations"],
        "item": ["kind", "speaker", "title", "on_behalf_of", "translations"],
        "article": ["key", "section", "title", "created_on", "language",
                    "status", "body_markdown", "photos", "credits"],
        "photo": ["key", "caption"],
        "credits": ["written_by", "photographed_by", "reviewed_by"],
    }

    def rank(kind, field):
        for i, f in enumerate(order[kind]):
            if field == f or (isinstance(f, set) and field in f):
                return i
        raise AssertionError(f"unexpected field {field} in {kind}")

    translatable = {
        "organization": ["name", "short_name"], "person": ["name", "position"],
        "program": ["title", "summary"], "phase": ["title"], "venue": ["name"],
        "session": ["title", "description"], "item": ["title", "on_behalf_of"],
    }

    def check(kind, pairs):
        keys = [k for k, _ in pairs]
        ranks = [rank(kind, k) for k in keys]
        assert ranks == sorted(ranks), f"{kind} fields out of order: {keys}"
        versions = dict(pairs).get("translations", [])
        tags = [t for t, _ in versions]
        assert tags == sorted(tags), f"{kind} translations out of order: {tags}"
        for _, version in versions:
            names = [n for n, _ in version]
            assert names, f"{kind} has an empty translation"
            order = [translatable[kind].index(n) for n in names]
            assert order == sorted(order), f"{kind} translation out of order: {names}"

    run_ok("import", EXAMPLES_DIR / name, db=tmp_db)
    out = run_ok("export", db=tmp_db)
    top = json.loads(out, object_pairs_hook=list)
    check("top", top)
    d = dict(top)
    for o in d.get("organizations", []):
        check("organization", o)
    for p in d.get("people", []):
        check("person", p)
    for prog in d["programs"]:
        check("program", prog)
        pd = dict(prog)
        for kind, field in (("phase", "preparation"), ("venue", "venues"),
                            ("enrolment", "enrolments"),
                            ("session", "sessions"), ("article", "articles")):
            for x in pd.get(field, []):
                check(kind, x)
        for s in pd.get("sessions", []):
            for it in dict(s).get("items", []):
                check("item", it)
        for a in pd.get("articles", []):
            ad = dict(a)
            for ph in ad.get("photos", []):
                check("photo", ph)
            if "credits" in ad:
                check("credits", ad["credits"])


def test_all_three_in_one_database(tmp_db):
    docs = [load_example(n) for n in NAMES]
    for n in NAMES:
        rc, out, err = run("import", EXAMPLES_DIR / n, db=tmp_db)
        assert rc == 0, f"{n}: {err}"
    got = export_json(tmp_db)
    org_keys = [o["key"] for o in got["organizations"]]
    assert len(org_keys) == len(set(org_keys)), "an organization twice"
    assert org_keys.count("mofcom") == 1 and org_keys.count("wtu") == 1
    all_orgs = {o["key"]: o for d in docs for o in d["organizations"]}
    assert {o["key"]: o for o in got["organizations"]} == all_orgs
    all_people = {p["key"]: p for d in docs for p in d["people"]}
    assert {p["key"]: p for p in got["people"]} == all_people
    assert len(got["people"]) == len(all_people)
    progs = {p["slug"]: p for p in got["programs"]}
    assert progs == {d["programs"][0]["slug"]: d["programs"][0] for d in docs}
    for d in docs:
        assert export_json(tmp_db, _slug(d)) == \
            expected_slug_export(d, _slug(d))
    assert run("check", db=tmp_db)[0] == 0


def test_export_all_keeps_import_order(tmp_db):
    """"arrays in the order they were imported": records first seen in the
    first document come first; programs in the order of import."""
    order = [NAMES[2], NAMES[0], NAMES[1]]
    docs = [load_example(n) for n in order]
    for n in order:
        run_ok("import", EXAMPLES_DIR / n, db=tmp_db)
    got = export_json(tmp_db)
    want_orgs = []
    for d in docs:
        for o in d["organizations"]:
            if o["key"] not in want_orgs:
                want_orgs.append(o["key"])
    assert [o["key"] for o in got["organizations"]] == want_orgs
    assert [p["key"] for p in got["people"]] == \
        [p["key"] for d in docs for p in d["people"]]
    assert [p["slug"] for p in got["programs"]] == [_slug(d) for d in docs]


@pytest.mark.parametrize("name", NAMES)
def test_import_twice_changes_nothing(name, tmp_db):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    run_ok("import", EXAMPLES_DIR / name, db=tmp_db)
    before = run_ok("export", db=tmp_db)
    listed = run_ok("list", db=tmp_db)
    rc, out, err = run("import", EXAMPLES_DIR / name, db=tmp_db)
    assert rc == 0, err
    assert run_ok("export", db=tmp_db) == before
    assert run_ok("list", db=tmp_db) == listed
    rc, out, err = run("import", "--replace", EXAMPLES_DIR / name, db=tmp_db)
    assert rc == 0, err
    assert run_ok("export", db=tmp_db) == before


def test_reimport_of_export(tmp_db, tmp_path):
    for n in NAMES:
        run_ok("import", EXAMPLES_DIR / n, db=tmp_db)
    exported = run_ok("export", db=tmp_db)
    other = tmp_path / "other.db"
    rc, out, err = run("import", "-", input=exported, db=other)
    assert rc == 0, err
    assert run_ok("export", db=other) == exported
    rc, out, err = run("import", "-", input=exported, db=tmp_db)
    assert rc == 0, err
    assert run_ok("export", db=tmp_db) == exported


def test_empty_document(tmp_db):
    rc, out, err = run("import", "-", input='{"format": "podium-program/1"}',
                       db=tmp_db)
    assert rc == 0, err
    assert has_schema(tmp_db), "import creates the database"
    assert export_json(tmp_db) == {"format": FORMAT}
    assert run_ok("list", db=tmp_db).count("\n") == 1


def test_organizations_and_people_only(tmp_db, malaysia):
    doc = {"format": FORMAT, "organizations": malaysia["organizations"],
           "people": malaysia["people"]}
    rc, out, err = run("import", "-", input=json.dumps(doc), db=tmp_db)
    assert rc == 0, err
    assert export_json(tmp_db) == doc


def test_failed_import_leaves_no_database(tmp_path, tmp_db, malaysia):
    malaysia["programs"][0]["timezone"] = "Mars/Olympus"
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    assert db_files(tmp_db) == []
    rc, out, err = run("import", "-", input="{", db=tmp_db)
    assert rc == 65, err
    assert db_files(tmp_db) == []


def test_escaped_document_round_trip(tmp_path, tmp_db, malaysia):
    """Every non-ASCII character written as \\u escapes (emoji as
    surrogate pairs): the same data."""
    malaysia["people"][0]["name"] = "Yu Jun 于军 😀👨\u200d👩\u200d👧"
    malaysia["organizations"][4]["name"] = "中" * 300  # 300 code points
    p = tmp_path / "ascii.json"
    p.write_bytes(json.dumps(malaysia, ensure_ascii=True).encode("ascii"))
    assert b"\\ud83d\\ude00" in p.read_bytes()
    rc, out, err = run("import", p, db=tmp_db)
    assert rc == 0, err
    assert export_json(tmp_db) == malaysia


# ------------------------------------------------------------ stdin

def test_import_stdin(tmp_db):
    data = (EXAMPLES_DIR / NAMES[0]).read_bytes()
    rc, out, err = run("import", "-", input=data, db=tmp_db)
    assert rc == 0, err
    assert export_json(tmp_db) == load_example(NAMES[0])


def test_stdin_validation_error_named_stdin(tmp_db, malaysia):
    malaysia["programs"][0]["sessions"][0]["items"][2]["speaker"] = "li-tai"
    rc, out, err = run("import", "-", input=json.dumps(malaysia, indent=1),
                       db=tmp_db)
    assert rc == 65, err
    assert ("programs[0].sessions[0].items[2].speaker"
            in [p for p, _ in error_lines(err, "<stdin>")]), err
    assert db_files(tmp_db) == []


def test_stdin_empty_is_malformed(tmp_db):
    rc, out, err = run("import", "-", input=b"", db=tmp_db)
    assert rc == 65, err
    assert malformed_positions(err, "<stdin>"), err
    assert db_files(tmp_db) == []


def test_stdin_malformed_named_stdin(tmp_db):
    rc, out, err = run("import", "-",
                       input='{\n  "format": "podium-program/1"\n  "people": []\n}',
                       db=tmp_db)
    assert rc == 65, err
    pos = malformed_positions(err, "<stdin>")
    assert pos and pos[0][0] == 3, err


# ------------------------------------------------------------ --replace

def _conflict_line(err, path, key, fields):
    for line in err.splitlines():
        if line.startswith(f"{path}: ") and f"'{key}'" in line and \
                all(re.search(rf"\b{re.escape(f)}\b", line) for f in fields):
            return line
    return None


def test_conflicting_title(tmp_path, tmp_db, malaysia):
    run_ok("import", EXAMPLES_DIR / NAMES[1], db=tmp_db)
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    malaysia["programs"][0]["title"] = "A new title"
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    assert _conflict_line(err, p, "malaysia-hightech-2021", ["title"]), err
    assert run_ok("export", db=tmp_db) == before
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path, replace=True)
    assert rc == 0, err
    got = export_json(tmp_db, "malaysia-hightech-2021")
    assert got["programs"][0]["title"] == "A new title"
    assert got == expected_slug_export(malaysia, "malaysia-hightech-2021")
    # the other program is untouched
    assert export_json(tmp_db, "wtu-lesotho-textile-2022") == \
        expected_slug_export(load_example(NAMES[1]), "wtu-lesotho-textile-2022")


def test_conflicting_organization_names_fields(tmp_path, tmp_db, lesotho):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    lesotho["organizations"][0]["name"] = "Ministry of Commerce of the PRC"
    lesotho["organizations"][0]["short_name"] = "MOC"
    rc, out, err, p = import_doc(tmp_db, lesotho, tmp_path)
    assert rc == 65, err
    assert _conflict_line(err, p, "mofcom", ["name", "short_name"]), err
    line = _conflict_line(err, p, "mofcom", ["name"])
    assert "kind" not in line.split("'mofcom'")[1], \
        f"a field that does not differ is named: {line}"
    # all or nothing: lesotho's new records did not go in either
    assert run_ok("export", db=tmp_db) == before
    rc, out, err, p = import_doc(tmp_db, lesotho, tmp_path, replace=True)
    assert rc == 0, err
    got = {o["key"]: o for o in export_json(tmp_db)["organizations"]}
    assert got["mofcom"]["short_name"] == "MOC"
    assert "wtu" in got


def test_conflict_and_validation_errors_reported_together(tmp_path, tmp_db,
                                                          lesotho):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    lesotho["organizations"][0]["name"] = "Changed"
    lesotho["people"][0]["country"] = "XX"
    rc, out, err, p = import_doc(tmp_db, lesotho, tmp_path)
    assert rc == 65, err
    assert _conflict_line(err, p, "mofcom", ["name"]), err
    assert "people[0].country" in [x for x, _ in error_lines(err, str(p))], err
    assert run_ok("export", db=tmp_db) == before


def test_missing_optional_field_is_a_difference(tmp_path, tmp_db, malaysia):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    del malaysia["people"][0]["honorific"]
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    assert _conflict_line(err, p, "yu-jun", ["honorific"]), err
    assert run_ok("export", db=tmp_db) == before
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path, replace=True)
    assert rc == 0, err
    people = {x["key"]: x for x in export_json(tmp_db)["people"]}
    assert "honorific" not in people["yu-jun"]


def test_conflict_in_nested_array(tmp_path, tmp_db, malaysia):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    malaysia["programs"][0]["sessions"][0]["items"][0]["title"] = "Welcome"
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    assert any(ln.startswith(f"{p}: ") and "malaysia-hightech-2021" in ln
               for ln in err.splitlines()), err
    assert run_ok("export", db=tmp_db) == before


def test_same_data_written_differently_is_not_a_conflict(tmp_path, tmp_db,
                                                          lesotho):
    """"the same data as the stored one (as export would write it)": other
    offsets and empty arrays are the same data."""
    run_ok("import", EXAMPLES_DIR / NAMES[1], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    prog = lesotho["programs"][0]
    prog["sessions"][0]["starts_at"] = "2022-06-29T07:00:00Z"
    prog["sessions"][0]["ends_at"] = "2022-06-29T03:30:00-05:00"
    prog["preparation"] = []
    prog["articles"][0]["photos"] = []
    rc, out, err, p = import_doc(tmp_db, lesotho, tmp_path)
    assert rc == 0, err
    assert run_ok("export", db=tmp_db) == before


def test_replace_cannot_make_a_cycle_through_the_database(tmp_path, tmp_db):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    before = run_ok("export", db=tmp_db)
    # sbs-iec (stored) has parent sbs; sbs may not get sbs-iec as parent
    doc = {"format": FORMAT, "organizations": [
        {"key": "sbs", "name": "Shanghai Business School",
         "short_name": "SBS", "country": "CN", "kind": "school",
         "parent": "sbs-iec"}]}
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path, replace=True)
    assert rc == 65, err
    assert "organizations[0].parent" in [x for x, _ in
                                         error_lines(err, str(p))], err
    assert run_ok("export", db=tmp_db) == before


def test_replace_replaces_nested_arrays_whole(tmp_path, tmp_db, malaysia):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    prog = malaysia["programs"][0]
    prog["enrolments"] = prog["enrolments"][:2]
    prog["venues"] = [{"key": "hall-b", "name": "Hall B", "kind": "room"}]
    prog["sessions"] = [{
        "key": "closing-ceremony", "title": "Closing Ceremony",
        "kind": "ceremony", "starts_at": "2021-12-22T15:00:00+08:00",
        "ends_at": "2021-12-22T16:00:00+08:00", "venues": ["hall-b"],
        "items": [{"kind": "speech", "speaker": "he-ying",
                   "title": "Closing speech"}]}]
    del prog["articles"]
    del prog["preparation"]
    del prog["countries"]
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 65, err
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path, replace=True)
    assert rc == 0, err
    got = export_json(tmp_db)
    assert got["programs"] == [prog]
    # people and organizations stay, named or not
    assert got["people"] == malaysia["people"]
    assert got["organizations"] == malaysia["organizations"]
    rows = run_ok("list", db=tmp_db).splitlines()[1:]
    assert re.split(r" {2,}", rows[0].strip())[5:] == ["1", "2", "0"]
    assert run("check", db=tmp_db)[0] == 0


def test_replace_keeps_records_not_in_document(tmp_path, tmp_db):
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    doc = {"format": FORMAT, "people": [
        {"key": "yu-jun", "name": "Yu Jun", "honorific": "Mr.",
         "position": "Minister Counsellor", "organization": "cn-embassy-my"}]}
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 65, err
    assert _conflict_line(err, p, "yu-jun", ["position"]), err
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path, replace=True)
    assert rc == 0, err
    want = load_example(NAMES[0])
    want["people"][0]["position"] = "Minister Counsellor"
    assert export_json(tmp_db) == want


# ------------------------------------------------------------ canonical form

def test_other_offsets_and_empty_arrays_export_canonical(tmp_path, tmp_db,
                                                         lesotho):
    doc = copy.deepcopy(lesotho)
    prog = doc["programs"][0]
    s = prog["sessions"][0]
    s["starts_at"] = "2022-06-29T07:00:00Z"          # 15:00+08:00
    s["ends_at"] = "2022-06-29T10:30:00+02:00"       # 16:30+08:00
    prog["preparation"] = []
    prog["articles"][0]["photos"] = []
    s["items"][0]["on_behalf_of"] = "the people of Hubei"
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 0, err
    text = run_ok("export", db=tmp_db)
    want = copy.deepcopy(lesotho)
    want["programs"][0]["sessions"][0]["items"][0]["on_behalf_of"] = \
        "the people of Hubei"
    assert json.loads(text) == want
    assert '"preparation"' not in text and '"photos"' not in text


def _mini(zone, starts_on, ends_on, sessions):
    return {
        "format": FORMAT,
        "organizations": [{"key": "host-org", "name": "Host Org"}],
        "programs": [{
            "slug": "mini", "title": "Mini", "kind": "workshop",
            "mode": "offline", "timezone": zone, "starts_on": starts_on,
            "ends_on": ends_on, "host": "host-org", "organizer": "host-org",
            "sessions": [{"key": f"s{i}", "title": f"Session {i}",
                          "kind": "lecture", "starts_at": a, "ends_at": b}
                         for i, (a, b) in enumerate(sessions)]}]}


def _exported_instants(db):
    got = export_json(db)
    prog = got["programs"][0]
    return prog["timezone"], [(s["starts_at"], s["ends_at"])
                              for s in prog["sessions"]]


ZONE_CASES = {
    "berlin-dst-end": (
        "Europe/Berlin", "2023-10-27", "2023-10-31",
        [("2023-10-28T07:00:00Z", "2023-10-28T08:00:00Z"),
         ("2023-10-29T00:30:00Z", "2023-10-29T01:30:00Z"),
         ("2023-10-30T08:00:00Z", "2023-10-30T09:00:00Z")],
        [("2023-10-28T09:00:00+02:00", "2023-10-28T10:00:00+02:00"),
         ("2023-10-29T02:30:00+02:00", "2023-10-29T02:30:00+01:00"),
         ("2023-10-30T09:00:00+01:00", "2023-10-30T10:00:00+01:00")]),
    "lord-howe-half-hour-dst": (
        "Australia/Lord_Howe", "2024-04-05", "2024-04-09",
        [("2024-04-05T23:00:00Z", "2024-04-06T00:00:00+00:00"),
         ("2024-04-08T10:00:00+10:30", "2024-04-07T14:00:00-10:00")],
        [("2024-04-06T10:00:00+11:00", "2024-04-06T11:00:00+11:00"),
         ("2024-04-08T10:00:00+10:30", "2024-04-08T10:30:00+10:30")]),
    "santiago-missing-midnight": (
        "America/Santiago", "2024-09-08", "2024-09-08",
        [("2024-09-08T04:00:00Z", "2024-09-08T05:00:00Z")],
        [("2024-09-08T01:00:00-03:00", "2024-09-08T02:00:00-03:00")]),
    "utc-never-z": (
        "Etc/UTC", "2024-01-10", "2024-01-10",
        [("2024-01-10T09:00:00Z", "2024-01-10T11:00:00+01:00")],
        [("2024-01-10T09:00:00+00:00", "2024-01-10T10:00:00+00:00")]),
    "link-kept-as-written": (
        "US/Eastern", "2024-01-10", "2024-01-12",
        [("2024-01-10T14:00:00Z", "2024-01-10T15:30:00Z")],
        [("2024-01-10T09:00:00-05:00", "2024-01-10T10:30:00-05:00")]),
    "kathmandu-quarter-hour": (
        "Asia/Kathmandu", "2024-01-10", "2024-01-10",
        [("2024-01-10T03:15:00Z", "2024-01-10T04:00:00Z")],
        [("2024-01-10T09:00:00+05:45", "2024-01-10T09:45:00+05:45")]),
    "lima-negative": (
        "America/Lima", "2024-01-10", "2024-01-11",
        [("2024-01-11T01:00:00+00:00", "2024-01-11T02:00:00+00:00")],
        [("2024-01-10T20:00:00-05:00", "2024-01-10T21:00:00-05:00")]),
    "chatham-dst": (
        "Pacific/Chatham", "2024-01-10", "2024-01-10",
        [("2024-01-10T00:00:00Z", "2024-01-10T01:00:00Z")],
        [("2024-01-10T13:45:00+13:45", "2024-01-10T14:45:00+13:45")]),
    "session-crossing-midnight": (
        "Asia/Shanghai", "2021-12-09", "2021-12-10",
        [("2021-12-09T15:00:00Z", "2021-12-10T01:00:00+08:00")],
        [("2021-12-09T23:00:00+08:00", "2021-12-10T01:00:00+08:00")]),
}


@pytest.mark.parametrize("case", sorted(ZONE_CASES))
def test_instants_exported_with_zone_offset(case, tmp_path, tmp_db):
    zone, a, b, written, canonical_instants = ZONE_CASES[case]
    doc = _mini(zone, a, b, written)
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 0, err
    got_zone, got = _exported_instants(tmp_db)
    assert got_zone == zone
    assert got == canonical_instants
    assert "Z\"" not in run_ok("export", db=tmp_db)
    # and the canonical form goes back in unchanged
    rc, out, err, p = import_doc(tmp_db, _mini(zone, a, b, canonical_instants),
                                 tmp_path, "again.json")
    assert rc == 0, err


def test_session_crossing_last_midnight_rejected(tmp_path, tmp_db):
    doc = _mini("Asia/Shanghai", "2021-12-09", "2021-12-10",
                [("2021-12-10T23:00:00+08:00", "2021-12-11T01:00:00+08:00")])
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 65, err
    assert {"programs[0].sessions[0].ends_at", "programs[0].sessions[0]"} & \
        {x for x, _ in error_lines(err, str(p))}, err


def test_slug_export_includes_parent_chain(tmp_path, tmp_db):
    doc = {
        "format": FORMAT,
        "organizations": [
            {"key": "unrelated", "name": "Unrelated"},
            {"key": "grand", "name": "Grandparent"},
            {"key": "mid", "name": "Parent", "parent": "grand"},
            {"key": "leaf", "name": "Leaf", "parent": "mid"},
            {"key": "host-org", "name": "Host Org"},
        ],
        "people": [
            {"key": "speaker-1", "name": "Speaker", "organization": "leaf"},
            {"key": "envoy", "name": "Envoy", "organization": "unrelated"},
            {"key": "bystander", "name": "Nobody"},
        ],
        "programs": [_mini("Asia/Shanghai", "2021-12-09", "2021-12-09", [
            ("2021-12-09T09:00:00+08:00", "2021-12-09T10:00:00+08:00")])
            ["programs"][0]],
    }
    doc["programs"][0]["sessions"][0]["items"] = [
        {"kind": "speech", "speaker": "speaker-1", "title": "Talk",
         "on_behalf_of": "envoy"}]
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 0, err
    got = export_json(tmp_db, "mini")
    assert [o["key"] for o in got["organizations"]] == \
        ["unrelated", "grand", "mid", "leaf", "host-org"]
    assert [x["key"] for x in got["people"]] == ["speaker-1", "envoy"]
    assert export_json(tmp_db) == canonical(doc)


# ------------------------------------------------------------ text as written

TEXT_CASES = {
    "padded-name": ("people", 0, "name", "  Yu Jun  "),
    "decomposed-accents-not-normalised": ("people", 0, "name", "Yu Ju\u0301n"),
    "precomposed-accents-kept": ("people", 0, "name", "Yu Jún"),
    "bom-and-zwj-kept": ("people", 0, "position", "\ufeffA\u200dB"),
    "line-separator-kept": ("people", 0, "position", "A\u2028B"),
    "empty-position-kept": ("people", 0, "position", ""),
    "quotes-and-backslash": ("organizations", 1, "name",
                             "The \"Quoted\" \\ School </script>"),
    "astral-plane": ("organizations", 1, "name", "𝕊𝔹𝕊 🏫"),
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_text_kept_as_written(case, tmp_path, tmp_db, malaysia):
    kind, i, field, value = TEXT_CASES[case]
    malaysia[kind][i][field] = value
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path)
    assert rc == 0, err
    got = export_json(tmp_db)
    assert got[kind][i][field] == value
    assert got == malaysia


def test_large_document_round_trip(tmp_path, tmp_db):
    n = 1500
    people = [{"key": f"p-{i}", "name": f"Participant {i} 参加者",
               "country": "MY"} for i in range(n)]
    doc = _mini("Asia/Kuala_Lumpur", "2021-12-09", "2021-12-22", [
        ("2021-12-09T09:00:00+08:00", "2021-12-09T10:30:00+08:00")])
    doc["people"] = people
    prog = doc["programs"][0]
    prog["capacity"] = n
    prog["enrolments"] = [{"person": p["key"], "role": "participant",
                           "status": "confirmed"} for p in people]
    prog["sessions"][0]["attendees"] = [p["key"] for p in people]
    doc = {k: doc[k] for k in ("format", "organizations", "people",
                               "programs")}
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    assert rc == 0, err
    assert export_json(tmp_db) == doc
    # one participant too many
    doc["programs"][0]["capacity"] = n - 1
    fresh = tmp_path / "fresh.db"
    rc, out, err, p = import_doc(fresh, doc, tmp_path, "over.json")
    assert rc == 65, err
    assert [x for x, _ in error_lines(err, str(p))
            if x.startswith("programs[0].capacity")
            or x.startswith("programs[0].enrolments")], err
    assert db_files(fresh) == []


# Day boundaries on the days the clocks change (America/Santiago, 2024):
# on 04-06 local 23:00-24:00 happens twice (24:00 is 04:00Z, not 03:00Z);
# on 09-08 local 00:00-01:00 does not exist (the day starts at 04:00Z).
BOUNDARIES = [
    ("2024-04-06", "2024-04-07T01:00:00Z", "2024-04-07T03:30:00Z", True),
    ("2024-04-06", "2024-04-07T01:00:00Z", "2024-04-07T04:00:00Z", True),
    ("2024-04-06", "2024-04-07T01:00:00Z", "2024-04-07T04:00:01Z", False),
    ("2024-09-08", "2024-09-08T04:00:00Z", "2024-09-08T05:00:00Z", True),
    ("2024-09-08", "2024-09-08T03:59:59Z", "2024-09-08T05:00:00Z", False),
    ("2024-09-07", "2024-09-07T20:00:00Z", "2024-09-08T04:00:00Z", True),
    ("2024-09-07", "2024-09-07T20:00:00Z", "2024-09-08T04:00:01Z", False),
]


@pytest.mark.parametrize("day,starts_at,ends_at,inside", BOUNDARIES,
                         ids=[f"{d}-{a[11:19]}-{b[11:19]}"
                              for d, a, b, _ in BOUNDARIES])
def test_day_boundaries_on_dst_days(day, starts_at, ends_at, inside,
                                    tmp_path, tmp_db):
    doc = _mini("America/Santiago", day, day, [(starts_at, ends_at)])
    rc, out, err, p = import_doc(tmp_db, doc, tmp_path)
    if inside:
        assert rc == 0, err
    else:
        assert rc == 65, err
        paths = {x for x, _ in error_lines(err, str(p))}
        assert paths & {"programs[0].sessions[0].starts_at",
                        "programs[0].sessions[0].ends_at",
                        "programs[0].sessions[0]"}, err


def test_results_do_not_depend_on_locale_or_tz(tmp_path):
    """Offsets come from the program's zone, never from TZ or the locale."""
    outs = []
    for i, env in enumerate([{"TZ": "UTC", "LC_ALL": "C"},
                             {"TZ": "Pacific/Kiritimati",
                              "LC_ALL": "C.UTF-8"},
                             {"TZ": "America/Santiago", "LC_ALL": "C"}]):
        db = tmp_path / f"env{i}.db"
        for n in NAMES:
            rc, out, err = run("import", EXAMPLES_DIR / n, db=db, env=env)
            assert rc == 0, err
        rc, out, err = run("export", db=db, env=env)
        assert rc == 0, err
        outs.append(out)
    assert outs[0] == outs[1] == outs[2]
    doc = json.loads(outs[0])
    assert doc["programs"][0]["sessions"][0]["starts_at"] == \
        "2021-12-09T09:00:00+08:00"


def test_replace_leaves_no_orphan_rows(tmp_path, tmp_db, malaysia):
    """--replace deletes a program's sessions, their venues, attendees and items
    and its articles' photos itself (an import writes with the database's
    cascades off): the database's own foreign key check finds nothing."""
    run_ok("import", EXAMPLES_DIR / NAMES[1], db=tmp_db)
    run_ok("import", EXAMPLES_DIR / NAMES[0], db=tmp_db)
    malaysia["programs"][0]["title"] = "A new title"
    rc, out, err, p = import_doc(tmp_db, malaysia, tmp_path, replace=True)
    assert rc == 0, err
    assert run_ok("check", db=tmp_db).endswith(": ok\n")
    if not POSTGRESQL:  # PostgreSQL's keys are checked at every commit, and by check
        assert execute(tmp_db, "PRAGMA foreign_key_check") == []
    assert execute(tmp_db, "SELECT count(*) FROM session_venue WHERE session_id NOT IN "
                           "(SELECT id FROM session)") == [(0,)]
