"""Helpers for the system tests of `podium serve` (tests/web).

The tests drive the real binary: env PODIUM_BIN, else <repo>/build/podium.
Every server is started on 127.0.0.1:0 (the port is read from its first
line on stdout), its stderr goes to a file (the access log), and at teardown
it is stopped with SIGTERM: it must exit 0 and its stderr must hold no
sanitizer report (the suite also runs against build-asan/podium).
"""

import copy
import http.client
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

TESTS_DIR = Path(__file__).resolve().parent
REPO = TESTS_DIR.parents[1]
sys.path.insert(0, str(TESTS_DIR.parent))
import backend  # noqa: E402
from backend import before_command, target  # noqa: E402
BIN = os.environ.get("PODIUM_BIN") or str(REPO / "build" / "podium")
backend.schema_template_bin = BIN  # new databases hold the schema (backend.py)
EXAMPLES_DIR = REPO / "examples"
FORMAT = "podium-program/1"
NOW = "2021-12-10T12:00:00+08:00"
TIMEOUT = float(os.environ.get("PODIUM_TEST_TIMEOUT", "30"))

MALAYSIA = "malaysia-hightech-2021"
LESOTHO = "wtu-lesotho-textile-2022"
SAFETY = "wtu-textile-trade-safety-2024"

SANITIZER_MARKS = ("AddressSanitizer", "runtime error", "LeakSanitizer",
                   "UndefinedBehaviorSanitizer")

_SCRATCH = tempfile.mkdtemp(prefix="podium-web-cwd-")


def _env(extra=None):
    env = dict(os.environ)
    env.pop("PODIUM_DB", None)
    env.pop("PODIUM_NOW", None)
    env.setdefault("LC_ALL", "C.UTF-8")
    if extra:
        env.update(extra)
    return env


# ------------------------------------------------------------- the CLI

def run(*args, db=None, input=None, env=None, timeout=None):
    db, env = before_command(args, db, env)
    cmd = [BIN]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += [str(a) for a in args]
    if isinstance(input, str):
        input = input.encode("utf-8")
    p = subprocess.run(cmd, input=input if input is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=_env(env), cwd=_SCRATCH, timeout=timeout or TIMEOUT)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def run_ok(*args, **kw):
    rc, out, err = run(*args, **kw)
    assert rc == 0, f"podium {' '.join(map(str, args))} exited {rc}:\n{err}"
    return out


def load_example(name):
    with open(EXAMPLES_DIR / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def write_doc(path, doc):
    path = Path(path)
    if isinstance(doc, (dict, list)):
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text(doc, encoding="utf-8")
    return path


def import_doc(db, doc, tmpdir, name="doc.json", replace=False):
    """Import doc (a dict, or a path) into db; asserts success."""
    if isinstance(doc, (str, Path)) and Path(doc).exists():
        p = Path(doc)
    else:
        p = write_doc(Path(tmpdir) / name, doc)
    args = ["import"] + (["--replace"] if replace else []) + [str(p)]
    run_ok(*args, db=db)
    return p


def make_db(tmpdir, *docs, name="podium.db"):
    """A new database in tmpdir holding docs (dicts or example paths)."""
    tmpdir = Path(tmpdir)
    db = tmpdir / name
    for i, d in enumerate(docs):
        import_doc(db, d, tmpdir, name=f"{name}-doc{i}.json")
    return db


def export_json(db, *slug):
    return json.loads(run_ok("export", *slug, db=db))


def canonical(doc):
    """Drop empty arrays (they mean the same as missing ones)."""
    if isinstance(doc, dict):
        return {k: canonical(v) for k, v in doc.items()
                if not (isinstance(v, list) and not v)}
    if isinstance(doc, list):
        return [canonical(v) for v in doc]
    return doc


# ------------------------------------------------------------- the server

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # http.client.HTTPMessage
        self.body = body                # bytes

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return self.headers.get(name)

    def __repr__(self):
        return f"<Response {self.status} {self.headers.get('Content-Type')} {len(self.body)}B>"


class Server:
    def __init__(self, db, workdir, now=NOW, threads=None, env=None):
        self.db = Path(db)
        self.workdir = Path(workdir)
        self.stderr_path = self.workdir / f"serve-{os.getpid()}-{id(self)}.stderr"
        self._stderr = open(self.stderr_path, "wb")
        extra = dict(env or {})
        if now:
            extra["PODIUM_NOW"] = now
        cmd = [BIN, "--db", str(target(self.db)), "serve", "--listen", "127.0.0.1:0"]
        if threads:
            cmd += ["--threads", str(threads)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._stderr,
                                     stdin=subprocess.DEVNULL, env=_env(extra), cwd=_SCRATCH)
        self.stopped = False
        line = self._readline(TIMEOUT)
        m = re.match(r"^podium: serving (.*) on http://127\.0\.0\.1:(\d+)/ \(Ctrl-C stops\)$", line)
        if not m:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"unexpected first line of serve: {line!r}\nstderr: {self.stderr()}")
        self.port = int(m.group(2))
        self.host = "127.0.0.1"
        self.base = f"http://127.0.0.1:{self.port}"

    def _readline(self, timeout):
        fd = self.proc.stdout.fileno()
        buf = b""
        end = time.monotonic() + timeout
        while not buf.endswith(b"\n"):
            left = end - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                break
            ch = os.read(fd, 1)
            if not ch:
                break
            buf += ch
        return buf.decode("utf-8", "replace").rstrip("\n")

    def stderr(self):
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def connection(self, timeout=TIMEOUT):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, path, method="GET", headers=None, body=None):
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.headers, data)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request(path, **kw)

    def get_ok(self, path, **kw):
        r = self.request(path, **kw)
        assert r.status == 200, f"GET {path}: {r.status}\n{r.body[:2000]!r}"
        return r

    def html(self, path):
        r = self.get_ok(path)
        assert r.header("Content-Type") == "text/html; charset=utf-8", path
        return r.text

    def stop(self, timeout=15):
        """SIGTERM; returns (exit code, seconds it took)."""
        if self.stopped:
            return self.proc.returncode, 0.0
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        rc = self.exited(timeout)
        return rc, time.monotonic() - t0

    def exited(self, timeout=15):
        """Waits for the server to exit (once signalled); its exit code, or a text when it had
        to be killed."""
        self.stopped = True
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "killed after %ss" % timeout
        self.proc.stdout.close()
        self._stderr.close()
        return rc

    def check_clean(self, rc):
        err = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        for mark in SANITIZER_MARKS:
            assert mark not in err, f"server stderr holds {mark!r}:\n{err[-5000:]}"
        assert rc == 0, f"server exited {rc} on SIGTERM\n{err[-3000:]}"


def stop_and_check(server):
    rc, _ = server.stop()
    server.check_clean(rc)


# ------------------------------------------------------------- HTML helpers

class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs dict, stack of open tags)
        self.text = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in ("meta", "link", "br", "img", "input", "hr", "source", "wbr"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), tuple(self.stack)))

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack:
                if self.stack.pop() == tag:
                    break

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html):
    p = _Collect()
    p.feed(html)
    p.close()
    return p


def page_text(html):
    """The text of a page (tags removed, entities decoded, spaces collapsed)."""
    p = parse_html(html)
    return re.sub(r"\s+", " ", "".join(p.text))


def links(html):
    """Every href/src/action of the page, in order."""
    out = []
    for tag, attrs, _ in parse_html(html).tags:
        for a in ("href", "src", "action"):
            if attrs.get(a):
                out.append(attrs[a])
    return out


def same_site_path(url, server):
    """The path?query of a same-site link, or None."""
    s = urlsplit(url)
    if s.scheme in ("http", "https"):
        if s.hostname != "127.0.0.1" or s.port != server.port:
            return None
    elif s.scheme or url.startswith("//") or url.startswith("#"):
        return None
    if not s.path.startswith("/"):
        return None
    return s.path + (("?" + s.query) if s.query else "")


def crawl(server, start="/", limit=2000):
    """Every same-site page reachable from start: {path: Response}."""
    seen = {}
    todo = [start]
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        r = server.get(path)
        seen[path] = r
        ctype = r.header("Content-Type") or ""
        if ctype.startswith("text/html"):
            for u in links(r.text):
                p = same_site_path(u, server)
                if p and p not in seen:
                    todo.append(p)
    return seen



def deep(doc):
    return copy.deepcopy(doc)


# ------------------------------------------------------------- documents

def base_orgs():
    return [
        {"key": "host-org", "name": "Host Ministry", "country": "CN", "kind": "ministry"},
        {"key": "org-school", "name": "Organizing School", "country": "CN", "kind": "school"},
    ]


def base_people():
    return [
        {"key": "pat-speaker", "name": "Pat Speaker", "honorific": "Dr.",
         "position": "Lecturer", "organization": "org-school"},
        {"key": "wen-writer", "name": "Wen Writer", "position": "Writer"},
        {"key": "rui-reviewer", "name": "Rui Reviewer", "position": "Editor"},
    ]


def program(slug, title=None, zone="Asia/Shanghai", starts_on="2021-12-09",
            ends_on="2021-12-12", **extra):
    p = {"slug": slug, "title": title or f"Program {slug}", "kind": "seminar",
         "mode": "online", "timezone": zone, "starts_on": starts_on, "ends_on": ends_on,
         "host": "host-org", "organizer": "org-school"}
    p.update(extra)
    return p


def session(key, starts_at, ends_at, title=None, **extra):
    s = {"key": key, "title": title or f"Session {key}", "kind": "lecture",
         "starts_at": starts_at, "ends_at": ends_at}
    s.update(extra)
    return s


def doc_of(programs, orgs=None, people=None):
    return {"format": FORMAT, "organizations": orgs if orgs is not None else base_orgs(),
            "people": people if people is not None else base_people(), "programs": programs}


def many_programs_doc(n=120):
    """n programs, each with one published article; starts_on all distinct."""
    import datetime as dt
    progs = []
    day0 = dt.date(2015, 1, 1)
    for i in range(n):
        start = day0 + dt.timedelta(days=7 * i)
        slug = f"gen-{i:03d}"
        progs.append(program(
            slug, title=f"Generated program number {i:03d}", starts_on=start.isoformat(),
            ends_on=(start + dt.timedelta(days=2)).isoformat(), countries=["PE"],
            articles=[{"key": "news", "section": "news", "title": f"Generated article {i:03d}",
                       "created_on": start.isoformat(), "language": "en",
                       "status": "published", "body_markdown": f"Body of article {i:03d}.",
                       "credits": {"written_by": "wen-writer", "reviewed_by": "rui-reviewer"}}]))
    return doc_of(progs)


def public_view(export_doc, slug):
    """What /api/v1/programs/SLUG must answer, computed from `export SLUG`:
    less enrolments, attendees, e-mails, venue urls, phase notes, unpublished articles,
    people not public in the program and the organizations only they named."""
    d = copy.deepcopy(export_doc)
    prog = next(p for p in d["programs"] if p["slug"] == slug)
    d["programs"] = [prog]
    prog.pop("enrolments", None)
    for s in prog.get("sessions", []):
        s.pop("attendees", None)
    for v in prog.get("venues", []):
        v.pop("url", None)
    for ph in prog.get("preparation", []):
        ph.pop("notes", None)
    prog["articles"] = [a for a in prog.get("articles", []) if a["status"] == "published"]
    public = set()
    for s in prog.get("sessions", []):
        for it in s.get("items", []):
            public.add(it["speaker"])
            if "on_behalf_of" in it and KEY_RE.match(it["on_behalf_of"]):
                public.add(it["on_behalf_of"])
    for a in prog["articles"]:
        public.update(a.get("credits", {}).values())
    people = [p for p in d.get("people", []) if p["key"] in public]
    for p in people:
        p.pop("email", None)
    d["people"] = people
    by_key = {o["key"]: o for o in d.get("organizations", [])}
    keep = {prog["host"], prog["organizer"]} | {p["organization"] for p in people
                                                if "organization" in p}
    todo = list(keep)
    while todo:
        parent = by_key.get(todo.pop(), {}).get("parent")
        if parent and parent not in keep:
            keep.add(parent)
            todo.append(parent)
    d["organizations"] = [o for o in d.get("organizations", []) if o["key"] in keep]
    return canonical(d)


KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def by_key_sorted(doc):
    """doc with organizations and people sorted by key (their order is not the point)."""
    d = copy.deepcopy(doc)
    for k in ("organizations", "people"):
        if k in d:
            d[k] = sorted(d[k], key=lambda x: x["key"])
    return d


def positions(text, needles):
    """Indexes of each needle in text (asserting each is there)."""
    out = []
    for n in needles:
        i = text.find(n)
        assert i >= 0, f"{n!r} not found"
        out.append(i)
    return out


def assert_in_order(text, needles):
    pos = 0
    for n in needles:
        i = text.find(n, pos)
        assert i >= 0, f"{n!r} not found after position {pos} (in order {needles})"
        pos = i + len(n)
