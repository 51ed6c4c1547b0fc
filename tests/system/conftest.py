"""Fixtures and helpers for the system tests of `podium`.

The tests drive the real binary: env PODIUM_BIN, else <repo>/build/podium.
Every path handed to podium is absolute and every run happens in a scratch
working directory, so the suite does not depend on where pytest is started.
The contract is docs/cli.md and docs/exchange-format.md.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parents[1]
sys.path.insert(0, str(TESTS_DIR.parent))
from backend import _drop_test_databases, before_command, copy_db, db_files  # noqa: E402,F401
# a relative PODIUM_BIN is taken from where pytest was started
BIN = os.path.abspath(os.environ.get("PODIUM_BIN") or
                      str(REPO / "build" / "podium"))
EXAMPLES_DIR = REPO / "examples"
FORMAT = "podium-program/1"

# Under AddressSanitizer a run is a few times slower; nothing we run should
# take more than a few seconds.
TIMEOUT = float(os.environ.get("PODIUM_TEST_TIMEOUT", "60"))

# Scratch working directory for every run: podium must never write into the
# repository or depend on the caller's cwd.
_SCRATCH = tempfile.mkdtemp(prefix="podium-cwd-")


def _env(extra=None):
    env = dict(os.environ)
    env.pop("PODIUM_DB", None)
    env.setdefault("LC_ALL", "C.UTF-8")
    if extra:
        env.update(extra)
    return env


def run(*args, input=None, db=None, env=None, cwd=None, preexec_fn=None,
        timeout=None):
    """Run podium [--db DB] ARGS... and return (returncode, stdout, stderr).

    `input` may be str or bytes; stdout and stderr are decoded as UTF-8
    (undecodable bytes replaced, so a test can still see them).
    """
    db, env = before_command(args, db, env)
    cmd = [BIN]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += [str(a) for a in args]
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run(
        cmd,
        input=input if input is not None else b"",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(env),
        cwd=str(cwd) if cwd is not None else _SCRATCH,
        preexec_fn=preexec_fn,
        timeout=timeout or TIMEOUT,
    )
    return (proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def run_ok(*args, **kw):
    """run() that asserts exit 0 and returns stdout."""
    rc, out, err = run(*args, **kw)
    assert rc == 0, f"podium {' '.join(map(str, args))} exited {rc}:\n{err}"
    return out


# ---------------------------------------------------------------- documents

def load_example(name):
    with open(EXAMPLES_DIR / name, encoding="utf-8") as f:
        return json.load(f)


def example_paths():
    return sorted(EXAMPLES_DIR.glob("*.json"))


def write_doc(path, doc):
    """Write a document (dict -> JSON, str or bytes as they are) to path."""
    path = Path(path)
    if isinstance(doc, (dict, list)):
        data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    elif isinstance(doc, str):
        data = doc.encode("utf-8")
    else:
        data = doc
    path.write_bytes(data)
    return path


def import_doc(db, doc, tmpdir, name="doc.json", replace=False):
    """Write doc into tmpdir/name and import it; returns (rc, out, err, path)."""
    p = write_doc(Path(tmpdir) / name, doc)
    args = ["import"] + (["--replace"] if replace else []) + [str(p)]
    rc, out, err = run(*args, db=db)
    return rc, out, err, p


def export_json(db, *slug):
    out = run_ok("export", *slug, db=db)
    return json.loads(out)


# ------------------------------------------------------ error line matching

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MALFORMED_RE = r"^{file}:(\d+):(\d+): \S"


def error_lines(stderr, file):
    """Validation/conflict lines `FILE: PATH: message` -> [(path, message)]."""
    out = []
    prefix = f"{file}: "
    for line in stderr.splitlines():
        if line.startswith(prefix):
            rest = line[len(prefix):]
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\]|\.[A-Za-z_][A-Za-z0-9_-]*)*): (.*)$", rest)
            if m:
                out.append((m.group(1), m.group(2)))
            else:
                out.append(("", rest))
    return out


def has_error_at(stderr, file, paths, mention=None):
    """True when a line `FILE: P: ...` exists for some P in paths.

    `paths` entries are strings, or (path, word) pairs meaning "this path and
    the message mentions word" (used where the contract does not say whether
    an unknown/missing field is reported at the field or at its object).
    """
    lines = error_lines(stderr, file)
    for want in paths:
        word = mention
        if isinstance(want, tuple):
            want, word = want
        for path, msg in lines:
            if path == want and (word is None or word in msg):
                return True
    return False


def malformed_positions(stderr, file):
    """[(line, column)] of `FILE:LINE:COLUMN: message` lines."""
    rx = re.compile(MALFORMED_RE.format(file=re.escape(str(file))))
    res = []
    for line in stderr.splitlines():
        m = rx.match(line)
        if m:
            res.append((int(m.group(1)), int(m.group(2))))
    return res


# ------------------------------------------------------ "named" computation

def named_keys(program):
    """People and organization keys named by one program, as `export SLUG`
    must include them (before the organization closure over people and
    parents)."""
    people = []

    def add(k):
        if k not in people:
            people.append(k)

    for e in program.get("enrolments", []):
        add(e["person"])
    for s in program.get("sessions", []):
        for a in s.get("attendees", []):
            add(a)
        for it in s.get("items", []):
            add(it["speaker"])
            obo = it.get("on_behalf_of")
            if obo is not None and KEY_RE.match(obo):
                add(obo)
    for a in program.get("articles", []):
        for k in ("written_by", "photographed_by", "reviewed_by"):
            if k in a.get("credits", {}):
                add(a["credits"][k])
    return set(people)


def expected_slug_export(doc, slug, all_orgs=None, all_people=None):
    """What `export SLUG` must give: the program, the people it names and the
    organizations it names (host, organizer, its people's organizations) with
    their parents, in document order."""
    orgs = all_orgs if all_orgs is not None else doc.get("organizations", [])
    people = all_people if all_people is not None else doc.get("people", [])
    prog = next(p for p in doc["programs"] if p["slug"] == slug)
    pkeys = named_keys(prog)
    sel_people = [p for p in people if p["key"] in pkeys]
    okeys = {prog["host"], prog["organizer"]}
    okeys |= {p["organization"] for p in sel_people if "organization" in p}
    by_key = {o["key"]: o for o in orgs}
    todo = list(okeys)
    while todo:
        k = todo.pop()
        parent = by_key.get(k, {}).get("parent")
        if parent and parent not in okeys:
            okeys.add(parent)
            todo.append(parent)
    res = {"format": FORMAT}
    sel_orgs = [o for o in orgs if o["key"] in okeys]
    if sel_orgs:
        res["organizations"] = sel_orgs
    if sel_people:
        res["people"] = sel_people
    res["programs"] = [prog]
    return res


def canonical(doc):
    """Drop empty arrays and empty translations (they mean the same as
    missing ones)."""
    if isinstance(doc, dict):
        return {k: canonical(v) for k, v in doc.items()
                if not (isinstance(v, list) and not v)
                and not (k == "translations" and v == {})}
    if isinstance(doc, list):
        return [canonical(v) for v in doc]
    return doc


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="session", autouse=True)
def _binary():
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        pytest.fail(f"podium binary not found at {BIN} "
                    "(build it, or set PODIUM_BIN)", pytrace=False)
    return BIN


@pytest.fixture
def tmp_db(tmp_path):
    """Path of a database that does not exist yet."""
    return tmp_path / "podium.db"


@pytest.fixture(scope="session")
def examples():
    paths = example_paths()
    assert len(paths) >= 3, f"expected the example documents in {EXAMPLES_DIR}"
    return paths


@pytest.fixture
def malaysia():
    return load_example("malaysia-hightech-2021.json")


@pytest.fixture
def lesotho():
    return load_example("wtu-lesotho-textile-2022.json")


@pytest.fixture
def safety():
    return load_example("wtu-textile-trade-safety-2024.json")


@pytest.fixture(scope="session")
def lesotho_db_template(tmp_path_factory):
    """A database holding wtu-lesotho-textile-2022 alone, and its export.

    Tests copy it (copy_db) rather than importing again."""
    d = tmp_path_factory.mktemp("template")
    db = d / "lesotho.db"
    rc, out, err = run("import", EXAMPLES_DIR / "wtu-lesotho-textile-2022.json",
                       db=db)
    assert rc == 0, err
    rc, exported, err = run("export", db=db)
    assert rc == 0, err
    return db, exported


@pytest.fixture
def lesotho_db(lesotho_db_template, tmp_path):
    """(db, export text) of a fresh copy of the lesotho database."""
    src, exported = lesotho_db_template
    db = copy_db(src, tmp_path / "base.db")
    return db, exported

