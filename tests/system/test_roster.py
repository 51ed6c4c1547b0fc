"""`podium roster import` and `podium roster export` (docs/cli.md): a
delegation's spreadsheet (CSV) into a program's enrolments, all or nothing,
its problems told by line and column; and the roster back out as CSV.

The delegation is the one of source-article.txt: 59 Malaysian officials
(Lim Kai Hau among them, already enrolled in examples/malaysia-hightech-2021.json)
for a program whose capacity is 59 confirmed participants."""

import csv
import io
import re

import pytest

from conftest import EXAMPLES_DIR, copy_db, run, run_ok

SLUG = "malaysia-hightech-2021"
MALAYSIA = EXAMPLES_DIR / "malaysia-hightech-2021.json"
COLUMNS = ["key", "honorific", "name", "position", "organization", "country", "email",
           "role", "status"]
SUMMARY = re.compile(r"^roster (\S+): (\d+) rows?: (.*)$")

# names as Malaysia's civil service lists them: Malay (bin/binti), Chinese, Indian (a/l, a/p)
MALE = ["Ahmad", "Mohd Hafiz", "Azlan", "Rahim", "Arif", "Faizal", "Zulkifli", "Hakim"]
FEMALE = ["Nurul Aini", "Siti Aishah", "Farah", "Zainab", "Nor Hidayah", "Azura"]
FATHERS = ["Abdullah", "Ismail", "Omar", "Yusof", "Hassan", "Ibrahim", "Kamal"]
SURNAMES = ["Tan", "Wong", "Lee", "Chong", "Ng", "Ong"]
GIVEN_CHINESE = [("Wei Ming", False), ("Siew Lan", True), ("Kok Leong", False),
                 ("Mei Ling", True), ("Chee Keong", False), ("Hui Min", True)]
INDIAN_MALE = ["Suresh", "Kumar", "Ganesh", "Ravi"]
INDIAN_FEMALE = ["Priya", "Lakshmi", "Kavitha"]
INDIAN_FATHERS = ["Raju", "Muthu", "Krishnan", "Rajan", "Subramaniam"]


def official(n):
    """The name of the nth official of the delegation, and whether Ms."""
    i = n // 4
    if n % 4 == 0:
        return f"{MALE[i % len(MALE)]} bin {FATHERS[(i + i // len(MALE)) % len(FATHERS)]}", False
    if n % 4 == 1:
        return f"{FEMALE[i % len(FEMALE)]} binti {FATHERS[(i + 3 + i // len(FEMALE)) % len(FATHERS)]}", True
    if n % 4 == 2:
        given, ms = GIVEN_CHINESE[i % len(GIVEN_CHINESE)]
        return f"{SURNAMES[(i + i // len(GIVEN_CHINESE)) % len(SURNAMES)]} {given}", ms
    father = INDIAN_FATHERS[i % len(INDIAN_FATHERS)]
    if i % 2:
        return f"{INDIAN_FEMALE[i // 2 % len(INDIAN_FEMALE)]} a/p {father}", True
    return f"{INDIAN_MALE[i // 2 % len(INDIAN_MALE)]} a/l {father}", False


MINISTRIES = [("Ministry of Foreign Affairs", "mfa"), ("Ministry of Education", "moe"),
              ("Ministry of Transport", "mot"), ("Ministry of Information", "moi"),
              ("Ministry of International Trade and Industry", "miti"),
              ("Malaysian Investment Development Authority", "mida")]
POSITIONS = ["Assistant Secretary", "Principal Assistant Director", "Senior Officer",
             "Deputy Director", "Under Secretary", "Research Officer"]


def delegation():
    """The 59 rows of the delegation: Lim Kai Hau (by key), two names in Chinese, 56 more."""
    rows = [{"key": "lim-kai-hau", "honorific": "Mr.", "name": "Lim Kai Hau",
             "position": "Assistant Director", "organization": "my-pmd-legal", "country": "MY",
             "email": "lim.kaihau@bheuu.gov.my", "role": "participant", "status": "confirmed"},
            {"name": "李大伟", "organization": "Ministry of Transport", "country": "MY",
             "email": "li.dawei@mot.gov.my", "status": "confirmed"},
            {"name": "陈美玲", "honorific": "Ms.", "organization": "Ministry of Education",
             "country": "MY", "email": "chen.meiling@moe.gov.my", "status": "confirmed"}]
    # two officials of one name, from two ministries: the second key gets -2
    rows.append({"honorific": "Mr.", "name": "Ahmad bin Abdullah", "position": "Deputy Director",
                 "organization": "Ministry of Foreign Affairs", "country": "MY",
                 "email": "ahmad.abdullah@kln.gov.my", "role": "participant",
                 "status": "confirmed"})
    n = 0
    used = {r["name"] for r in rows[:3]}  # the second Ahmad bin Abdullah is meant
    while len(rows) < 59:
        name, ms = official(n)
        if name in used:
            n += 1
            continue
        used.add(name)
        ministry, domain = MINISTRIES[n % len(MINISTRIES)]
        local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
        rows.append({"honorific": "Ms." if ms else "Mr.", "name": name,
                     "position": POSITIONS[n % len(POSITIONS)], "organization": ministry,
                     "country": "MY", "email": f"{local}.{n}@{domain}.gov.my",
                     "role": "participant", "status": "confirmed"})
        n += 1
    return rows


def csv_bytes(rows, columns=None, delimiter=",", bom=False, newline="\n", encoding="utf-8"):
    """The CSV of rows (dicts) with a header of columns."""
    columns = columns or COLUMNS
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.fixture(scope="module")
def malaysia_template(tmp_path_factory):
    db = tmp_path_factory.mktemp("roster") / "template.db"
    run_ok("import", MALAYSIA, db=db)
    return db


@pytest.fixture
def db(malaysia_template, tmp_path):
    return copy_db(malaysia_template, tmp_path / "podium.db")


def write(tmp_path, data, name="roster.csv"):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def roster_import(db, path, *options):
    return run("roster", "import", *options, SLUG, path, db=db)


def export_rows(db):
    out = run_ok("roster", "export", SLUG, db=db)
    assert out.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(out[1:])))


def export_text(db):
    return run_ok("roster", "export", SLUG, db=db)


def summary(out):
    line = out.strip().splitlines()[-1]
    m = SUMMARY.match(line)
    assert m, f"no summary line: {out}"
    assert m.group(1) == SLUG
    return line


# ------------------------------------------------------------ the delegation

def test_delegation_imports_whole(db, tmp_path):
    p = write(tmp_path, csv_bytes(delegation()))
    rc, out, err = roster_import(db, p)
    assert rc == 0, err
    line = summary(out)
    assert "59 rows: 58 people added, 1 matched, 1 changed" in line
    assert "58 enrolled, 1 already enrolled" in line
    assert "organizations added" in line  # MITI and MIDA are not in the example
    rows = export_rows(db)
    assert len(rows) == 8 + 58
    by_name = {r["name"]: r for r in rows}
    assert by_name["李大伟"]["key"] == "li-da-wei"
    assert by_name["李大伟"]["organization"] == "my-mot"  # by name
    assert by_name["陈美玲"]["key"] == "chen-mei-ling"
    assert by_name["Lim Kai Hau"]["email"] == "lim.kaihau@bheuu.gov.my"
    confirmed = [r for r in rows if r["role"] == "participant" and r["status"] == "confirmed"]
    assert len(confirmed) == 59
    # a key made twice from one name gets a suffix
    assert by_name["Ahmad bin Abdullah"]["key"] in ("ahmad-bin-abdullah", "ahmad-bin-abdullah-2")
    assert {r["key"] for r in rows if r["name"] == "Ahmad bin Abdullah"} == {
        "ahmad-bin-abdullah", "ahmad-bin-abdullah-2"}
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", k) for k in keys)
    doc = run_ok("export", SLUG, db=db)
    assert "Ministry of International Trade and Industry" in doc
    run_ok("check", db=db)


def test_reimport_matches_instead_of_duplicating(db, tmp_path):
    p = write(tmp_path, csv_bytes(delegation()))
    run_ok("roster", "import", SLUG, p, db=db)
    before = export_text(db)
    rc, out, err = roster_import(db, p)
    assert rc == 0, err
    assert "59 rows: 59 matched, 0 changed; 59 already enrolled" in summary(out)
    assert export_text(db) == before


def test_export_round_trips(db, tmp_path):
    run_ok("roster", "import", SLUG, write(tmp_path, csv_bytes(delegation())), db=db)
    exported = export_text(db)
    p = tmp_path / "export.csv"
    p.write_text(exported, encoding="utf-8")
    rc, out, err = roster_import(db, p)
    assert rc == 0, err
    assert "66 rows: 66 matched, 0 changed; 66 already enrolled" in summary(out)
    assert export_text(db) == exported
    # what a spreadsheet reads: a BOM, CRLF, every column
    raw = exported.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf\"key\",\"honorific\",\"name\"")
    assert b"\r\n" in raw


def test_email_matches_whatever_the_case(db, tmp_path):
    rows = delegation()[:3]
    run_ok("roster", "import", SLUG, write(tmp_path, csv_bytes(rows)), db=db)
    again = [{"name": "Li Dawei", "email": "LI.DAWEI@MOT.GOV.MY", "role": "speaker"}]
    rc, out, err = roster_import(db, write(tmp_path, csv_bytes(again, ["name", "email", "role"]),
                                            "again.csv"))
    assert rc == 0, err
    line = summary(out)
    assert "1 row: 1 matched, 1 changed; 1 enrolment updated" in line
    li = next(r for r in export_rows(db) if r["key"] == "li-da-wei")
    assert li["name"] == "Li Dawei"
    assert li["email"] == "LI.DAWEI@MOT.GOV.MY"
    assert (li["role"], li["status"]) == ("speaker", "confirmed")  # empty status kept
    assert li["organization"] == "my-mot"  # no column: kept


def test_dry_run_writes_nothing(db, tmp_path):
    before = export_text(db)
    rc, out, err = roster_import(db, write(tmp_path, csv_bytes(delegation())), "--dry-run")
    assert rc == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 60
    assert lines[0].startswith("line 2: match person lim-kai-hau (Lim Kai Hau) by key, change ")
    assert lines[1] == ("line 3: add person li-da-wei (李大伟), enrol as participant (confirmed)")
    assert any(ln.startswith("line ") and "add organization" in ln for ln in lines)
    assert "(dry run: nothing written)" in lines[-1]
    assert export_text(db) == before


# ------------------------------------------------------------ the file

def test_semicolons_bom_and_crlf(db, tmp_path):
    rows = delegation()[1:4]
    data = csv_bytes(rows, delimiter=";", bom=True, newline="\r\n")
    rc, out, err = roster_import(db, write(tmp_path, data))
    assert rc == 0, err
    assert "3 rows: 3 people added" in summary(out)
    names = {r["name"] for r in export_rows(db)}
    assert {"李大伟", "陈美玲", rows[2]["name"]} <= names


def test_header_in_any_case_and_columns_in_any_order(db, tmp_path):
    data = "Email,NAME,Status\nsiti@moe.gov.my,Siti Aminah,registered\n".encode()
    rc, out, err = roster_import(db, write(tmp_path, data))
    assert rc == 0, err
    siti = next(r for r in export_rows(db) if r["name"] == "Siti Aminah")
    assert (siti["key"], siti["role"], siti["status"]) == ("siti-aminah", "participant", "registered")


def test_gbk_refused_with_the_fix_then_accepted(db, tmp_path):
    rows = [{"name": "李大伟", "organization": "马来西亚交通部", "country": "MY"}]
    p = write(tmp_path, csv_bytes(rows, ["name", "organization", "country"], encoding="gbk"))
    before = export_text(db)
    rc, out, err = roster_import(db, p)
    assert rc == 65
    assert re.match(rf"^{re.escape(str(p))}:2: not UTF-8: byte 0x[0-9A-F]{{2}} at character 1 ", err)
    assert '"CSV UTF-8"' in err and "--encoding GBK" in err
    assert export_text(db) == before
    rc, out, err = roster_import(db, p, "--encoding", "GBK")
    assert rc == 0, err
    assert "1 person added, 1 organization added; 1 enrolled" in summary(out)
    li = next(r for r in export_rows(db) if r["name"] == "李大伟")
    assert li["organization"] == "ma-lai-xi-ya-jiao-tong-bu"


def test_unknown_encoding_is_a_usage_error(db, tmp_path):
    p = write(tmp_path, csv_bytes(delegation()[:1]))
    rc, out, err = roster_import(db, p, "--encoding=KLINGON-8")
    assert rc == 64
    assert "unknown encoding 'KLINGON-8'" in err


@pytest.mark.parametrize("header, expected", [
    ("name,email,phone", r":1:phone: unknown column; the columns are key, honorific, name"),
    ("name,e-mail", r":1:e-mail: unknown column \(did you mean 'email'\?\); the columns are"),
    ("name,email,Name", r":1:name: column named twice \(columns 1 and 3\)"),
    ("key,email", r":1: no column 'name': the header must name it"),
    ("name,,email", r":1: column 2 of the header has no name"),
])
def test_header_problems(db, tmp_path, header, expected):
    p = write(tmp_path, f"{header}\nA,b@c.org,x\n".encode())
    rc, out, err = roster_import(db, p)
    assert rc == 65, err
    assert re.search("^" + re.escape(str(p)) + expected, err, re.M), err


def test_bad_rows_told_by_line_and_column_nothing_written(db, tmp_path):
    rows = delegation()[:12]
    rows[3]["email"] = "not-an-address"          # line 5
    rows[4]["position"] = "Senior\nOfficer"      # line 6, two physical lines
    rows[7]["country"] = "Malaysia"              # line 10
    rows[9]["role"] = "delegate"                 # line 12
    rows[10]["organization"] = "my-nowhere"      # line 13
    rows[11]["email"] = rows[2]["email"].upper()  # line 14: the person of line 4 again
    p = write(tmp_path, csv_bytes(rows))
    before = export_text(db)
    rc, out, err = roster_import(db, p)
    assert rc == 65
    assert out == ""
    located = [tuple(m.groups()) for m in
               re.finditer(rf"^{re.escape(str(p))}:(\d+):(\w+): ", err, re.M)]
    assert located == [("5", "email"), ("6", "position"), ("10", "country"), ("12", "role"),
                       ("13", "organization"), ("14", "email")], err
    assert "names the person of line 4 again" in err
    assert export_text(db) == before


def test_capacity_overflow_refused_whole(db, tmp_path):
    rows = delegation() + [{"name": "Nur Iman binti Salleh", "email": "nur.iman@mfa.gov.my",
                            "status": "confirmed"}]
    p = write(tmp_path, csv_bytes(rows))
    before = export_text(db)
    rc, out, err = roster_import(db, p)
    assert rc == 65
    assert re.search(rf"^{re.escape(str(p))}:61:status: 60 confirmed participants exceed the "
                     "capacity of 59$", err, re.M), err
    assert export_text(db) == before
    rows[-1]["status"] = "invited"
    rc, out, err = roster_import(db, write(tmp_path, csv_bytes(rows), "fits.csv"))
    assert rc == 0, err


def test_malformed_quotes(db, tmp_path):
    p = write(tmp_path, b'name,position\nA,"Senior\nB,Officer\n')
    rc, out, err = roster_import(db, p)
    assert rc == 65
    assert f"{p}:2:position: a quoted field has no closing quote" in err
    p = write(tmp_path, b'name,position\nA,Sen"ior\n', "quote.csv")
    rc, out, err = roster_import(db, p)
    assert rc == 65
    assert f"{p}:2:position: a quote inside a field that does not start with one" in err


def test_more_fields_than_columns(db, tmp_path):
    p = write(tmp_path, b"name,email\nA,a@b.org,extra\nB,b@b.org,,\n")
    rc, out, err = roster_import(db, p)
    assert rc == 65
    assert err.strip() == f"{p}:2: 3 fields, more than the header's 2 columns"


# ------------------------------------------------------------ the command

def test_usage_and_missing_things(db, tmp_path):
    p = write(tmp_path, csv_bytes(delegation()[:2]))
    assert run("roster", db=db)[0] == 64
    rc, out, err = run("roster", "imprt", db=db)
    assert rc == 64 and "did you mean 'import'?" in err
    assert run("roster", "import", SLUG, db=db)[0] == 64
    assert run("roster", "import", "--force", SLUG, p, db=db)[0] == 64
    assert run("roster", "export", db=db)[0] == 64
    rc, out, err = run("roster", "import", SLUG, tmp_path / "absent.csv", db=db)
    assert rc == 66 and "cannot read" in err
    rc, out, err = run("roster", "import", "malaysia-hightech-2012", p, db=db)
    assert rc == 66 and "did you mean 'malaysia-hightech-2021'?" in err
    rc, out, err = run("roster", "export", "nope", db=db)
    assert rc == 66 and "no program 'nope'" in err


def test_standard_input(db):
    data = csv_bytes(delegation()[1:2])
    rc, out, err = run("roster", "import", SLUG, "-", input=data, db=db)
    assert rc == 0, err
    rc, out, err = run("roster", "import", SLUG, "-", input=b"name,phone\nA,1\n", db=db)
    assert rc == 65 and err.startswith("<stdin>:1:phone: unknown column")


def test_help():
    out = run_ok("help", "roster")
    assert "roster import" in out and "roster export" in out and "--encoding" in out
