"""Property: every valid document round-trips; one invalidating mutation is
rejected with its path and changes nothing.

The generator builds documents that satisfy every rule of
docs/exchange-format.md, with keys from the key grammar, Unicode
text (CJK, emoji, combining marks, anything but control characters),
zones with DST and odd offsets, sessions inside the program's days as seen
in its zone. The document handed to podium writes instants with arbitrary
offsets and may carry empty arrays; the expected export is its canonical
form, with each instant at the zone's offset at that instant (computed with
Python's zoneinfo from the same tz database).
"""

import copy
import json
import re
import tempfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import (FORMAT, KEY_RE, db_files, expected_slug_export,
                      has_error_at, run)

ZONES = ["Asia/Shanghai", "America/Santiago", "Europe/London",
         "Australia/Lord_Howe", "Europe/Berlin", "America/Lima",
         "Asia/Kathmandu", "Etc/UTC", "US/Eastern", "Pacific/Chatham",
         "Africa/Maseru", "Asia/Kolkata", "America/St_Johns",
         "Pacific/Kiritimati", "America/Sao_Paulo", "Europe/Dublin",
         "Asia/Tehran", "Pacific/Apia"]
COUNTRIES = ["MY", "PE", "LS", "CN", "TZ", "ET", "NG", "IQ", "UZ", "DE",
             "GB", "US", "CL", "AU", "NP", "JP", "BR", "ZA", "FR", "IN"]
LANGUAGES = ["en", "zh", "zh-Hant", "es-PE", "fr", "de-CH", "sr-Latn-RS",
             "ms", "pt-BR", "ar", "yue-HK", "en-GB"]
ORG_KINDS = ["ministry", "department", "agency", "embassy", "school",
             "training-base", "association", "company", "other"]
PROGRAM_KINDS = ["seminar", "training-course", "workshop", "forum"]
MODES = ["online", "offline", "hybrid"]
PHASES = ["needs-analysis", "materials-collection", "expert-consultation",
          "plan-approved"]
PHASE_STATUS = ["todo", "doing", "done"]
ROLES = ["participant", "speaker", "guest", "staff", "interpreter"]
ENROL_STATUS = ["invited", "registered", "confirmed", "withdrawn"]
SESSION_KINDS = ["ceremony", "lecture", "discussion", "field-trip",
                 "practice", "visit", "break"]
ITEM_KINDS = ["speech", "lecture", "presentation", "discussion",
              "performance"]
SECTIONS = ["activity-highlights", "news", "notice"]
ARTICLE_STATUS = ["draft", "in-review", "published"]

SPECIAL = list("中文字漢語한국어日本語ÅßØñ") + [
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "e\u0301", "a\u0308\u0323", "\u200d",
    "\ufeff", "\U0001f1f2\U0001f1fe", "\u2028", "ﷺ", "𝕏", "\u00a0"]

# ------------------------------------------------------------ strategies

keys = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,63}\Z", fullmatch=True)
short_keys = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,12}\Z", fullmatch=True)
any_key = st.one_of(short_keys, short_keys, keys)

_chars = st.one_of(st.characters(blacklist_categories=("Cc", "Cs")),
                   st.sampled_from(SPECIAL))
_line = st.lists(_chars, min_size=1, max_size=24).map("".join)


@st.composite
def names(draw, limit=300):
    if draw(st.integers(0, 30)) == 0:
        ch = draw(st.sampled_from(["中", "😀", "a", "é"]))
        return ch * limit
    s = draw(_line)
    # a code point may have been a multi-code-point sample: stay in bounds
    assume(1 <= len(s) <= limit and s.strip())
    return s


texts = _line.filter(lambda s: s.strip() != "")
multiline = st.lists(st.one_of(_chars, st.sampled_from(["\n", "\t", "\n\n"])),
                     min_size=1, max_size=60).map("".join)
emails = st.builds(lambda a, b: f"{a}@{b}",
                   st.from_regex(r"\A[a-z0-9._+é中-]{1,12}\Z", fullmatch=True),
                   st.from_regex(r"\A[a-z0-9.é中-]{1,12}\Z", fullmatch=True))


def maybe(draw, strategy, p=2):
    """Draw from strategy about p times in 3, else None."""
    return draw(strategy) if draw(st.integers(0, 2)) < p else None


def put(obj, field, value):
    if value is not None:
        obj[field] = value


@st.composite
def organizations(draw):
    ks = draw(st.lists(any_key, min_size=2, max_size=5, unique=True))
    orgs = []
    for i, k in enumerate(ks):
        o = {"key": k, "name": draw(names())}
        put(o, "short_name", maybe(draw, texts, 1))
        put(o, "country", maybe(draw, st.sampled_from(COUNTRIES)))
        put(o, "kind", maybe(draw, st.sampled_from(ORG_KINDS)))
        if i and draw(st.booleans()):
            o["parent"] = ks[draw(st.integers(0, i - 1))]   # no cycles
        orgs.append(o)
    # parents may come after their children in the document
    return draw(st.permutations(orgs))


@st.composite
def people(draw, orgs):
    ks = draw(st.lists(any_key, min_size=1, max_size=6, unique=True))
    res = []
    for k in ks:
        p = {"key": k, "name": draw(names(200))}
        put(p, "honorific", maybe(draw, st.sampled_from(
            ["Mr.", "Ms.", "Dr.", "Datuk Seri", "Prof. Dr."]), 1))
        put(p, "position", maybe(draw, texts, 1))
        put(p, "organization",
            maybe(draw, st.sampled_from([o["key"] for o in orgs])))
        put(p, "country", maybe(draw, st.sampled_from(COUNTRIES), 1))
        put(p, "email", maybe(draw, emails, 1))
        res.append(p)
    return res


def subset(draw, items, max_size=None):
    return draw(st.lists(st.sampled_from(items), unique=True,
                         max_size=max_size or len(items))) if items else []


def local(zone, day, secs):
    """The instant at local wall time day + secs in zone, or None when that
    wall time does not exist or is ambiguous."""
    tz = ZoneInfo(zone)
    wall = datetime.combine(day, time()) + timedelta(seconds=secs)
    a = wall.replace(tzinfo=tz, fold=0)
    b = wall.replace(tzinfo=tz, fold=1)
    if a.utcoffset() != b.utcoffset():
        return None
    u = a.astimezone(timezone.utc)
    if u.astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return u


def canonical_instant(u, zone):
    return u.astimezone(ZoneInfo(zone)).isoformat()


@st.composite
def written_instant(draw, u, zone):
    """An instant as a document may write it: any offset."""
    how = draw(st.integers(0, 4))
    if how <= 1:
        return canonical_instant(u, zone)
    if how == 2:
        return u.strftime("%Y-%m-%dT%H:%M:%SZ")
    minutes = draw(st.integers(-12 * 4, 14 * 4)) * 15
    return u.astimezone(timezone(timedelta(minutes=minutes))).isoformat()


@st.composite
def sessions(draw, zone, starts_on, ends_on, venue_keys, person_keys):
    span = (ends_on - starts_on).days
    ks = draw(st.lists(any_key, max_size=3, unique=True))
    canon, written = [], []
    # 04:00-21:00 local: clear of the DST changes of these zones
    lo, hi = 4 * 3600, 21 * 3600
    for k in ks:
        d1 = draw(st.integers(0, span))
        d2 = draw(st.integers(d1, min(span, d1 + 2)))
        t1 = draw(st.integers(lo, hi - 1))
        t2 = draw(st.integers(t1 + 1 if d1 == d2 else lo, hi))
        a = local(zone, starts_on + timedelta(days=d1), t1)
        b = local(zone, starts_on + timedelta(days=d2), t2)
        assume(a is not None and b is not None and a < b)
        s = {"key": k, "title": draw(names()),
             "kind": draw(st.sampled_from(SESSION_KINDS)),
             "starts_at": canonical_instant(a, zone),
             "ends_at": canonical_instant(b, zone)}
        put(s, "venues", subset(draw, venue_keys) or None)
        put(s, "attendees", subset(draw, person_keys) or None)
        items = []
        for _ in range(draw(st.integers(0, 3))):
            it = {"kind": draw(st.sampled_from(ITEM_KINDS)),
                  "speaker": draw(st.sampled_from(person_keys)),
                  "title": draw(names())}
            obo = draw(st.integers(0, 3))
            if obo == 1:
                it["on_behalf_of"] = draw(st.sampled_from(person_keys))
            elif obo == 2:
                free = draw(texts.filter(lambda t: not KEY_RE.match(t)))
                it["on_behalf_of"] = free
            items.append(it)
        put(s, "items", items or None)
        put(s, "description", maybe(draw, multiline, 1))
        canon.append(s)
        w = dict(s)
        w["starts_at"] = draw(written_instant(a, zone))
        w["ends_at"] = draw(written_instant(b, zone))
        written.append(w)
    return canon, written


@st.composite
def articles(draw, person_keys):
    res = []
    for k in draw(st.lists(any_key, max_size=2, unique=True)):
        photo_keys = draw(st.lists(any_key, max_size=3, unique=True))
        photos = [{"key": pk, "caption": draw(texts)} for pk in photo_keys]
        shown = subset(draw, photo_keys)
        body = draw(multiline) + "".join(
            f"\n\n![{draw(names())}](photo:{pk})" for pk in shown)
        status = draw(st.sampled_from(ARTICLE_STATUS))
        credits = {}
        if status == "published":
            if len(person_keys) < 2:
                status = "draft"
            else:
                w, r = draw(st.lists(st.sampled_from(person_keys), min_size=2,
                                     max_size=2, unique=True))
                credits = {"written_by": w, "reviewed_by": r}
                put(credits, "photographed_by",
                    maybe(draw, st.sampled_from(person_keys), 1))
        if status != "published":
            for f in ("written_by", "photographed_by", "reviewed_by"):
                put(credits, f, maybe(draw, st.sampled_from(person_keys), 1))
        a = {"key": k, "section": draw(st.sampled_from(SECTIONS)),
             "title": draw(names()),
             "created_on": draw(st.dates(date(2000, 1, 1),
                                         date(2030, 12, 31))).isoformat(),
             "language": draw(st.sampled_from(LANGUAGES)),
             "status": status, "body_markdown": body}
        put(a, "photos", photos or None)
        # credits in page order
        if credits:
            a["credits"] = {f: credits[f] for f in
                            ("written_by", "photographed_by", "reviewed_by")
                            if f in credits}
        res.append(a)
    return res


@st.composite
def programs(draw, orgs, persons):
    org_keys = [o["key"] for o in orgs]
    person_keys = [p["key"] for p in persons]
    slugs = draw(st.lists(any_key, min_size=1, max_size=2, unique=True))
    canon, written = [], []
    for slug in slugs:
        zone = draw(st.sampled_from(ZONES))
        starts_on = draw(st.dates(date(2000, 1, 1), date(2030, 12, 1)))
        ends_on = starts_on + timedelta(days=draw(st.integers(0, 15)))
        p = {"slug": slug, "title": draw(names()),
             "kind": draw(st.sampled_from(PROGRAM_KINDS)),
             "mode": draw(st.sampled_from(MODES)), "timezone": zone,
             "starts_on": starts_on.isoformat(),
             "ends_on": ends_on.isoformat(),
             "host": draw(st.sampled_from(org_keys)),
             "organizer": draw(st.sampled_from(org_keys))}
        countries = subset(draw, COUNTRIES, 3)
        put(p, "countries", countries or None)
        enrolled = subset(draw, person_keys)
        enrolments = [{"person": k, "role": draw(st.sampled_from(ROLES)),
                       "status": draw(st.sampled_from(ENROL_STATUS))}
                      for k in enrolled]
        confirmed = sum(1 for e in enrolments if e["role"] == "participant"
                        and e["status"] == "confirmed")
        if draw(st.booleans()):
            p["capacity"] = max(1, confirmed) + draw(st.integers(0, 3))
        put(p, "languages", subset(draw, LANGUAGES, 3) or None)
        put(p, "summary", maybe(draw, multiline, 1))
        prep = []
        for _ in range(draw(st.integers(0, 3))):
            ph = {"phase": draw(st.sampled_from(PHASES)),
                  "title": draw(names()),
                  "status": draw(st.sampled_from(PHASE_STATUS))}
            put(ph, "due", maybe(draw, st.dates(date(2000, 1, 1),
                                                date(2030, 12, 31))
                                 .map(date.isoformat), 1))
            put(ph, "notes", maybe(draw, multiline, 1))
            prep.append(ph)
        put(p, "preparation", prep or None)
        venues = []
        for vk in draw(st.lists(any_key, max_size=3, unique=True)):
            kind = draw(st.sampled_from(["room", "online"]))
            v = {"key": vk, "name": draw(names()), "kind": kind}
            if kind == "room":
                put(v, "address", maybe(draw, texts, 1))
            else:
                put(v, "url", maybe(draw, st.just(
                    f"https://meet.example.org/{vk}?p=1")))
            put(v, "capacity", maybe(draw, st.integers(1, 10000), 1))
            venues.append(v)
        put(p, "venues", venues or None)
        put(p, "enrolments", enrolments or None)
        s_canon, s_written = draw(sessions(zone, starts_on, ends_on,
                                           [v["key"] for v in venues],
                                           person_keys))
        put(p, "sessions", s_canon or None)
        put(p, "articles", draw(articles(person_keys)) or None)
        canon.append(p)
        w = copy.deepcopy(p)
        if s_written:
            w["sessions"] = s_written
        written.append(w)
    return canon, written


ARRAY_FIELDS = ["countries", "languages", "preparation", "venues",
                "enrolments", "sessions", "articles"]


@st.composite
def documents(draw):
    """(canonical document, document as written)."""
    orgs = draw(organizations())
    persons = draw(people(orgs))
    canon_p, written_p = draw(programs(orgs, persons))
    canon = {"format": FORMAT, "organizations": orgs, "people": persons,
             "programs": canon_p}
    written = {"format": FORMAT, "organizations": copy.deepcopy(orgs),
               "people": copy.deepcopy(persons), "programs": written_p}
    # empty arrays mean the same as missing ones
    for p in written["programs"]:
        for f in ARRAY_FIELDS:
            if f not in p and draw(st.integers(0, 3)) == 0:
                p[f] = []
    return canon, written


# ------------------------------------------------------------ mutations

def _any(draw, seq):
    return draw(st.integers(0, len(seq) - 1))


def _fresh_key(doc, kind, base):
    used = {x["key"] for x in doc.get(kind, [])}
    k = base
    while k in used:
        k += "-x"
    return k


def m_format(doc, draw):
    doc["format"] = "podium-program/2"
    return ["format"]


def m_unknown_field(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["colour"] = "blue"
    return [f"programs[{i}].colour", (f"programs[{i}]", "colour")]


def m_bad_org_key(doc, draw):
    i = _any(draw, doc["organizations"])
    doc["organizations"][i]["key"] = "-" + doc["organizations"][i]["key"]
    return [f"organizations[{i}].key", (f"organizations[{i}]", "key")]


def m_duplicate_person(doc, draw):
    j = _any(draw, doc["people"])
    n = len(doc["people"])
    doc["people"].append({"key": doc["people"][j]["key"], "name": "Twin"})
    return [f"people[{n}].key", f"people[{n}]"]


def m_unresolved_host(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["host"] = _fresh_key(doc, "organizations", "no-such-org")
    return [f"programs[{i}].host"]


def m_long_person_name(doc, draw):
    j = _any(draw, doc["people"])
    doc["people"][j]["name"] = "中" * 201
    return [f"people[{j}].name"]


def m_control_in_name(doc, draw):
    i = _any(draw, doc["organizations"])
    doc["organizations"][i]["name"] += "\u0007"
    return [f"organizations[{i}].name"]


def m_newline_in_title(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["title"] = "two\nlines"
    return [f"programs[{i}].title"]


def m_bad_zone(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["timezone"] = draw(st.sampled_from(
        ["Mars/Olympus", "PST", "+08:00", "asia/shanghai"]))
    return [f"programs[{i}].timezone"]


def m_bad_country(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["countries"] = ["XX"]
    return [f"programs[{i}].countries[0]"]


def m_bad_language(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["languages"] = ["en_US"]
    return [f"programs[{i}].languages[0]"]


def m_null(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["summary"] = None
    return [f"programs[{i}].summary"]


def m_missing_title(doc, draw):
    i = _any(draw, doc["programs"])
    del doc["programs"][i]["title"]
    return [f"programs[{i}].title", (f"programs[{i}]", "title")]


def m_dates_reversed(doc, draw):
    i = _any(draw, doc["programs"])
    p = doc["programs"][i]
    p["starts_on"] = (date.fromisoformat(p["ends_on"]) +
                      timedelta(days=1)).isoformat()
    return [f"programs[{i}].starts_on", f"programs[{i}].ends_on",
            f"programs[{i}]"]


def m_capacity_zero(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["capacity"] = 0
    return [f"programs[{i}].capacity"]


def m_bad_enum(doc, draw):
    i = _any(draw, doc["programs"])
    doc["programs"][i]["mode"] = "Hybrid"
    return [f"programs[{i}].mode"]


def m_bad_email(doc, draw):
    j = _any(draw, doc["people"])
    doc["people"][j]["email"] = draw(st.sampled_from(
        ["nobody", "a@b@c", "@b", "a@", "a b@c"]))
    return [f"people[{j}].email"]


def m_parent_self(doc, draw):
    i = _any(draw, doc["organizations"])
    doc["organizations"][i]["parent"] = doc["organizations"][i]["key"]
    return [f"organizations[{i}].parent", f"organizations[{i}]"]


def _with_session(doc, draw):
    cands = [(i, k) for i, p in enumerate(doc["programs"])
             for k in range(len(p.get("sessions", [])))]
    return draw(st.sampled_from(cands)) if cands else None


def m_session_empty(doc, draw):
    c = _with_session(doc, draw)
    if c is None:
        return None
    i, k = c
    s = doc["programs"][i]["sessions"][k]
    s["ends_at"] = s["starts_at"]
    base = f"programs[{i}].sessions[{k}]"
    return [f"{base}.ends_at", f"{base}.starts_at", base]


def m_session_before_program(doc, draw):
    c = _with_session(doc, draw)
    if c is None:
        return None
    i, k = c
    p = doc["programs"][i]
    s = p["sessions"][k]
    day_before = date.fromisoformat(p["starts_on"]) - timedelta(days=1)
    u = local(p["timezone"], day_before, 12 * 3600)
    if u is None:
        return None
    s["starts_at"] = u.strftime("%Y-%m-%dT%H:%M:%SZ")
    base = f"programs[{i}].sessions[{k}]"
    return [f"{base}.starts_at", base]


def m_instant_without_seconds(doc, draw):
    c = _with_session(doc, draw)
    if c is None:
        return None
    i, k = c
    s = doc["programs"][i]["sessions"][k]
    s["starts_at"] = s["starts_at"][:16] + s["starts_at"][19:]
    return [f"programs[{i}].sessions[{k}].starts_at"]


def m_unknown_speaker(doc, draw):
    cands = [(i, k, n) for i, p in enumerate(doc["programs"])
             for k, s in enumerate(p.get("sessions", []))
             for n in range(len(s.get("items", [])))]
    if not cands:
        return None
    i, k, n = draw(st.sampled_from(cands))
    doc["programs"][i]["sessions"][k]["items"][n]["speaker"] = \
        _fresh_key(doc, "people", "nobody")
    return [f"programs[{i}].sessions[{k}].items[{n}].speaker"]


def m_duplicate_enrolment(doc, draw):
    cands = [i for i, p in enumerate(doc["programs"]) if p.get("enrolments")]
    if not cands:
        return None
    i = draw(st.sampled_from(cands))
    es = doc["programs"][i]["enrolments"]
    n = len(es)
    es.append(dict(es[0], role="staff", status="invited"))
    return [f"programs[{i}].enrolments[{n}].person",
            f"programs[{i}].enrolments[{n}]"]


def m_unknown_photo(doc, draw):
    cands = [(i, a) for i, p in enumerate(doc["programs"])
             for a in range(len(p.get("articles", [])))]
    if not cands:
        return None
    i, a = draw(st.sampled_from(cands))
    art = doc["programs"][i]["articles"][a]
    used = {ph["key"] for ph in art.get("photos", [])}
    k = "unknown-photo"
    while k in used:
        k += "-x"
    art["body_markdown"] += f"\n\n![x](photo:{k})"
    return [f"programs[{i}].articles[{a}].body_markdown"]


def m_published_self_reviewed(doc, draw):
    cands = [(i, a) for i, p in enumerate(doc["programs"])
             for a in range(len(p.get("articles", [])))]
    if not cands:
        return None
    i, a = draw(st.sampled_from(cands))
    art = doc["programs"][i]["articles"][a]
    k = doc["people"][0]["key"]
    art["status"] = "published"
    art["credits"] = {"written_by": k, "reviewed_by": k}
    base = f"programs[{i}].articles[{a}]"
    return [f"{base}.credits.reviewed_by", f"{base}.credits.written_by",
            f"{base}.credits", f"{base}.status", base]


MUTATIONS = [m_format, m_unknown_field, m_bad_org_key, m_duplicate_person,
             m_unresolved_host, m_long_person_name, m_control_in_name,
             m_newline_in_title, m_bad_zone, m_bad_country, m_bad_language,
             m_null, m_missing_title, m_dates_reversed, m_capacity_zero,
             m_bad_enum, m_bad_email, m_parent_self, m_session_empty,
             m_session_before_program, m_instant_without_seconds,
             m_unknown_speaker, m_duplicate_enrolment, m_unknown_photo,
             m_published_self_reviewed]


# ------------------------------------------------------------ the property

def _write(path, doc):
    # compact or indented, decided by the document itself
    indent = None if len(doc["people"]) % 2 else 2
    path.write_bytes(json.dumps(doc, ensure_ascii=False,
                                indent=indent).encode("utf-8"))
    return path


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow,
                                 HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much,
                                 HealthCheck.large_base_example])
@given(docs=documents(), data=st.data())
def test_valid_documents_round_trip_and_mutations_are_rejected(docs, data):
    canon, written = docs
    with tempfile.TemporaryDirectory(prefix="podium-prop-") as d:
        d = Path(d)
        db = d / "p.db"
        src = _write(d / "doc.json", written)
        rc, out, err = run("import", src, db=db)
        assert rc == 0, f"valid document rejected (exit {rc}):\n{err}"
        rc, exported, err = run("export", db=db)
        assert rc == 0, err
        assert json.loads(exported) == canon
        assert not re.search(r'"\d{4}-\d\d-\d\dT[0-9:]+Z"', exported)
        for p in canon["programs"]:
            rc, out, err = run("export", p["slug"], db=db)
            assert rc == 0, err
            assert json.loads(out) == expected_slug_export(canon, p["slug"])
        rc, out, err = run("check", db=db)
        assert rc == 0, f"check finds a problem in a valid import:\n{err}"

        mutated = copy.deepcopy(written)
        expected = None
        for m in data.draw(st.permutations(MUTATIONS), label="mutations"):
            expected = m(mutated, data.draw)
            if expected is not None:
                data.draw(st.just(m.__name__), label="mutation")
                break
        assert expected is not None
        bad = _write(d / "bad.json", mutated)

        # into a fresh database: the error is named, no database is left
        fresh = d / "fresh.db"
        rc, out, err = run("import", bad, db=fresh)
        assert rc == 65, f"mutation accepted (exit {rc}):\n{err}"
        assert has_error_at(err, str(bad), expected), \
            f"no error at {expected}:\n{err}"
        assert db_files(fresh) == []

        # into the database that holds the valid document: nothing changes
        rc, out, err = run("import", bad, db=db)
        assert rc == 65, f"mutation accepted (exit {rc}):\n{err}"
        rc, after, err = run("export", db=db)
        assert rc == 0, err
        assert after == exported
