#!/usr/bin/python3
"""Check a podium-program/1 document against the rules of
docs/exchange-format.md, independently of podium (standard library
only), and say whether it is in canonical form.

    /usr/bin/python3 bench/check_document.py DOC.json

Prints one line per problem, `JSON.PATH: what is wrong`, then a summary.
Exit status: 0 valid and canonical, 1 invalid, 2 valid but not canonical.
It checks a document on its own: a reference must resolve inside it (an
import could also resolve it from the database).
"""

import datetime as dt
import json
import os
import re
import sys
import unicodedata
import zoneinfo

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INSTANT_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$")
# RFC 5646 langtag (well-formed), without the grandfathered tags
LANG_RE = re.compile(
    r"^[a-z]{2,3}(-[a-z]{3}){0,3}"          # language, extlang
    r"(-[a-z]{4})?"                          # script
    r"(-([a-z]{2}|\d{3}))?"                  # region
    r"(-([a-z0-9]{5,8}|\d[a-z0-9]{3}))*"     # variants
    r"(-[0-9a-wyz](-[a-z0-9]{2,8})+)*"       # extensions
    r"(-x(-[a-z0-9]{1,8})+)?$|^x(-[a-z0-9]{1,8})+$", re.I)
MULTILINE = {"summary", "description", "notes", "body_markdown"}

ENUMS = {
    "org.kind": ["ministry", "department", "agency", "embassy", "school", "training-base",
                 "association", "company", "other"],
    "program.kind": ["seminar", "training-course", "workshop", "forum"],
    "program.mode": ["online", "offline", "hybrid"],
    "phase.phase": ["needs-analysis", "materials-collection", "expert-consultation", "plan-approved"],
    "phase.status": ["todo", "doing", "done"],
    "venue.kind": ["room", "online"],
    "enrolment.role": ["participant", "speaker", "guest", "staff", "interpreter"],
    "enrolment.status": ["invited", "registered", "confirmed", "withdrawn"],
    "session.kind": ["ceremony", "lecture", "discussion", "field-trip", "practice", "visit", "break"],
    "item.kind": ["speech", "lecture", "presentation", "discussion", "performance"],
    "article.section": ["activity-highlights", "news", "notice"],
    "article.status": ["draft", "in-review", "published"],
}

# field -> (required, kind); the order is the canonical one
SCHEMA = {
    "document": [("format", True, "format"), ("organizations", False, "array:org"),
                 ("people", False, "array:person"), ("programs", False, "array:program")],
    "org": [("key", True, "key"), ("name", True, "name300"), ("short_name", False, "text"),
            ("country", False, "country"), ("kind", False, "enum"), ("parent", False, "ref:org")],
    "person": [("key", True, "key"), ("name", True, "name200"), ("honorific", False, "text"),
               ("position", False, "text"), ("organization", False, "ref:org"),
               ("country", False, "country"), ("email", False, "text")],
    "program": [("slug", True, "key"), ("title", True, "name300"), ("kind", True, "enum"),
                ("mode", True, "enum"), ("timezone", True, "zone"), ("starts_on", True, "date"),
                ("ends_on", True, "date"), ("host", True, "ref:org"), ("organizer", True, "ref:org"),
                ("countries", False, "array:country"), ("capacity", False, "count"),
                ("languages", False, "array:language"), ("summary", False, "text"),
                ("preparation", False, "array:phase"), ("venues", False, "array:venue"),
                ("enrolments", False, "array:enrolment"), ("sessions", False, "array:session"),
                ("articles", False, "array:article")],
    "phase": [("phase", True, "enum"), ("title", True, "name300"), ("status", True, "enum"),
              ("due", False, "date"), ("notes", False, "text")],
    "venue": [("key", True, "key"), ("name", True, "name300"), ("kind", True, "enum"),
              ("address", False, "text"), ("url", False, "text"), ("capacity", False, "count")],
    "enrolment": [("person", True, "ref:person"), ("role", True, "enum"), ("status", True, "enum")],
    "session": [("key", True, "key"), ("title", True, "name300"), ("kind", True, "enum"),
                ("starts_at", True, "instant"), ("ends_at", True, "instant"),
                ("venues", False, "array:venueref"), ("attendees", False, "array:personref"),
                ("items", False, "array:item"), ("description", False, "text")],
    "item": [("kind", True, "enum"), ("speaker", True, "ref:person"), ("title", True, "name300"),
             ("on_behalf_of", False, "behalf")],
    "article": [("key", True, "key"), ("section", True, "enum"), ("title", True, "name300"),
                ("created_on", True, "date"), ("language", True, "language"),
                ("status", True, "enum"), ("body_markdown", True, "body"),
                ("photos", False, "array:photo"), ("credits", False, "credits")],
    "photo": [("key", True, "key"), ("caption", True, "text")],
    "credits": [("written_by", False, "ref:person"), ("photographed_by", False, "ref:person"),
                ("reviewed_by", False, "ref:person")],
}


class DuplicateMember(Exception):
    pass


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise DuplicateMember("object names %r twice" % k)
        seen[k] = v
    return seen


def reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def load_countries():
    codes = set()
    with open("/usr/share/zoneinfo/iso3166.tab", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                codes.add(line.split("\t")[0])
    return codes


class Checker:
    def __init__(self):
        self.errors = []
        self.noncanonical = []
        self.countries = load_countries()
        self.zones = {}
        self.refs = []  # (path, kind, key, scope)

    def err(self, path, msg):
        self.errors.append("%s: %s" % (path, msg))

    def style(self, path, msg):
        self.noncanonical.append("%s: %s" % (path, msg))

    # -------------------------------------------------------------- values

    def text(self, path, field, v, lo=0, hi=10000):
        if not isinstance(v, str):
            self.err(path, "expected a string")
            return
        for c in v:
            if 0xD800 <= ord(c) <= 0xDFFF:
                self.err(path, "lone surrogate U+%04X (not UTF-8)" % ord(c))
                return
            if unicodedata.category(c) == "Cc" and not (field in MULTILINE and c in "\n\t"):
                self.err(path, "control character U+%04X" % ord(c))
                return
        if field == "body_markdown":
            hi = 200000
        if not lo <= len(v) <= hi:
            self.err(path, "%d code points, expected %d to %d" % (len(v), lo, hi))

    def zone(self, path, v):
        if not isinstance(v, str):
            self.err(path, "expected a zone name")
            return None
        if v not in self.zones:
            z = None
            if re.match(r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$", v) and os.path.isfile(
                    os.path.join("/usr/share/zoneinfo", v)):
                try:
                    z = zoneinfo.ZoneInfo(v)
                except Exception:
                    z = None
            self.zones[v] = z
        if self.zones[v] is None:
            self.err(path, "unknown time zone %r" % v)
        return self.zones[v]

    def date(self, path, v):
        if not isinstance(v, str) or not DATE_RE.match(v):
            self.err(path, "expected a date YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            self.err(path, "no such date %r" % v)
            return None

    def instant(self, path, v):
        m = INSTANT_RE.match(v) if isinstance(v, str) else None
        if not m:
            self.err(path, "expected an instant YYYY-MM-DDTHH:MM:SS+HH:MM")
            return None
        try:
            t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            self.err(path, "no such instant %r" % v)
            return None
        return t

    # -------------------------------------------------------------- objects

    def obj(self, path, kind, o):
        if not isinstance(o, dict):
            self.err(path, "expected an object")
            return False
        schema = SCHEMA[kind]
        names = [f for f, _, _ in schema]
        for k in o:
            if k not in names:
                self.err("%s.%s" % (path, k), "unknown field")
        for f, req, _ in schema:
            if req and f not in o:
                self.err(path, "missing required field %r" % f)
        # the examples write a session's description before its items, the
        # format page lists it after them: accept both
        order = [k for k in o if k in names and not (kind == "session" and k == "description")]
        if order != sorted(order, key=names.index):
            self.style(path, "fields not in canonical order")
        for f, _, vk in schema:
            if f not in o:
                continue
            v = o[f]
            p = "%s.%s" % (path, f)
            if v is None:
                self.err(p, "null")
            elif vk.startswith("array:"):
                if not isinstance(v, list):
                    self.err(p, "expected an array")
                    o[f] = []
                elif not v:
                    self.style(p, "empty array (canonical form leaves it out)")
            elif vk == "key":
                if not isinstance(v, str) or not KEY_RE.match(v):
                    self.err(p, "not a key: %r" % (v,))
            elif vk == "name300":
                self.text(p, f, v, 1, 300)
            elif vk == "name200":
                self.text(p, f, v, 1, 200)
            elif vk in ("text", "body"):
                self.text(p, f, v)
            elif vk == "enum":
                if v not in ENUMS["%s.%s" % ({"org": "org"}.get(kind, kind), f)]:
                    self.err(p, "unexpected value %r" % (v,))
            elif vk == "country":
                if v not in self.countries:
                    self.err(p, "not an assigned ISO 3166-1 alpha-2 code: %r" % (v,))
            elif vk == "language":
                if not isinstance(v, str) or not LANG_RE.match(v):
                    self.err(p, "not a BCP 47 tag: %r" % (v,))
            elif vk == "count":
                if type(v) is not int or v < 1:
                    self.err(p, "expected an integer >= 1")
            elif vk == "format":
                if v != "podium-program/1":
                    self.err(p, "expected 'podium-program/1'")
            elif vk.startswith("ref:"):
                if not isinstance(v, str) or not KEY_RE.match(v):
                    self.err(p, "not a key: %r" % (v,))
                else:
                    self.refs.append((p, vk[4:], v))
            elif vk == "credits":
                if self.obj(p, "credits", v) and not v:
                    self.style(p, "empty object")
            # zone, date, instant, behalf: checked by the caller
        return True

    def check(self, doc):
        if not self.obj("$", "document", doc):
            return
        orgs, people = {}, {}
        for i, o in enumerate(doc.get("organizations") or []):
            p = "organizations[%d]" % i
            if self.obj(p, "org", o) and isinstance(o.get("key"), str):
                if o["key"] in orgs:
                    self.err(p + ".key", "duplicate organization %r" % o["key"])
                orgs.setdefault(o["key"], o)
        for i, o in enumerate(doc.get("people") or []):
            p = "people[%d]" % i
            if self.obj(p, "person", o) and isinstance(o.get("key"), str):
                if o["key"] in people:
                    self.err(p + ".key", "duplicate person %r" % o["key"])
                people.setdefault(o["key"], o)
        # no cycles among parents
        for k in orgs:
            seen, cur = {k}, orgs[k].get("parent")
            while cur in orgs:
                if cur in seen:
                    self.err("organizations[key=%s].parent" % k, "cycle of parents")
                    break
                seen.add(cur)
                cur = orgs[cur].get("parent")
        slugs = set()
        for i, prog in enumerate(doc.get("programs") or []):
            p = "programs[%d]" % i
            if self.obj(p, "program", prog):
                if prog.get("slug") in slugs:
                    self.err(p + ".slug", "duplicate program %r" % prog.get("slug"))
                slugs.add(prog.get("slug"))
                self.program(p, prog)
        for p, kind, v in self.refs:
            if kind == "org" and v not in orgs:
                self.err(p, "unknown organization %r" % v)
            if kind == "person" and v not in people:
                self.err(p, "unknown person %r" % v)

    def program(self, path, prog):
        zone = self.zone(path + ".timezone", prog.get("timezone"))
        s_on = self.date(path + ".starts_on", prog.get("starts_on"))
        e_on = self.date(path + ".ends_on", prog.get("ends_on"))
        if s_on and e_on and s_on > e_on:
            self.err(path + ".ends_on", "before starts_on")
        for j, c in enumerate(prog.get("countries") or []):
            if c not in self.countries:
                self.err("%s.countries[%d]" % (path, j), "not an assigned ISO 3166-1 code: %r" % (c,))
        for j, lang in enumerate(prog.get("languages") or []):
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                self.err("%s.languages[%d]" % (path, j), "not a BCP 47 tag: %r" % (lang,))
        for j, ph in enumerate(prog.get("preparation") or []):
            q = "%s.preparation[%d]" % (path, j)
            if self.obj(q, "phase", ph) and "due" in ph:
                self.date(q + ".due", ph["due"])
        venues = {}
        for j, v in enumerate(prog.get("venues") or []):
            q = "%s.venues[%d]" % (path, j)
            if not self.obj(q, "venue", v):
                continue
            if v.get("key") in venues:
                self.err(q + ".key", "duplicate venue %r" % v.get("key"))
            venues[v.get("key")] = v
            if "address" in v and v.get("kind") != "room":
                self.err(q + ".address", "only rooms have an address")
            if "url" in v:
                if v.get("kind") != "online":
                    self.err(q + ".url", "only online venues have a url")
                if not re.match(r"^https://[^/\s?#]+", str(v["url"])):
                    self.err(q + ".url", "expected an https URL")
        enrolled = set()
        confirmed = 0
        for j, e in enumerate(prog.get("enrolments") or []):
            q = "%s.enrolments[%d]" % (path, j)
            if not self.obj(q, "enrolment", e):
                continue
            if e.get("person") in enrolled:
                self.err(q + ".person", "second enrolment of %r" % e.get("person"))
            enrolled.add(e.get("person"))
            if e.get("role") == "participant" and e.get("status") == "confirmed":
                confirmed += 1
        if "capacity" in prog and type(prog["capacity"]) is int and confirmed > prog["capacity"]:
            self.err(path + ".capacity", "%d confirmed participants, more than %d" % (
                confirmed, prog["capacity"]))
        skeys = set()
        for j, s in enumerate(prog.get("sessions") or []):
            q = "%s.sessions[%d]" % (path, j)
            if not self.obj(q, "session", s):
                continue
            if s.get("key") in skeys:
                self.err(q + ".key", "duplicate session %r" % s.get("key"))
            skeys.add(s.get("key"))
            a = self.instant(q + ".starts_at", s.get("starts_at"))
            b = self.instant(q + ".ends_at", s.get("ends_at"))
            if a and b and not a < b:
                self.err(q + ".ends_at", "not after starts_at")
            if zone:
                for name, t in (("starts_at", a), ("ends_at", b)):
                    if t and t.utcoffset() != t.astimezone(zone).utcoffset():
                        self.style("%s.%s" % (q, name), "offset is not the zone's (%s)" % t.astimezone(zone).isoformat())
                    elif t and s.get(name, "").endswith("Z"):
                        self.style("%s.%s" % (q, name), "Z instead of +00:00")
                if a and b and s_on and e_on:
                    la = a.astimezone(zone).replace(tzinfo=None)
                    lb = b.astimezone(zone).replace(tzinfo=None)
                    if la.date() < s_on:
                        self.err(q + ".starts_at", "before 00:00 of starts_on in %s (%s)" % (prog["timezone"], la))
                    nxt = e_on + dt.timedelta(days=1)
                    if not (lb.date() <= e_on or (lb.date() == nxt and lb.time() == dt.time(0))):
                        self.err(q + ".ends_at", "after 24:00 of ends_on in %s (%s)" % (prog["timezone"], lb))
            for k, v in enumerate(s.get("venues") or []):
                if v not in venues:
                    self.err("%s.venues[%d]" % (q, k), "unknown venue %r" % (v,))
            for k, v in enumerate(s.get("attendees") or []):
                if not isinstance(v, str) or not KEY_RE.match(v):
                    self.err("%s.attendees[%d]" % (q, k), "not a key")
                else:
                    self.refs.append(("%s.attendees[%d]" % (q, k), "person", v))
            for k, it in enumerate(s.get("items") or []):
                r = "%s.items[%d]" % (q, k)
                if self.obj(r, "item", it) and "on_behalf_of" in it:
                    v = it["on_behalf_of"]
                    self.text(r + ".on_behalf_of", "on_behalf_of", v)
                    if isinstance(v, str) and KEY_RE.match(v):
                        self.refs.append((r + ".on_behalf_of", "person", v))
        akeys = set()
        for j, art in enumerate(prog.get("articles") or []):
            q = "%s.articles[%d]" % (path, j)
            if not self.obj(q, "article", art):
                continue
            if art.get("key") in akeys:
                self.err(q + ".key", "duplicate article %r" % art.get("key"))
            akeys.add(art.get("key"))
            self.date(q + ".created_on", art.get("created_on"))
            pkeys = set()
            for k, ph in enumerate(art.get("photos") or []):
                r = "%s.photos[%d]" % (q, k)
                if self.obj(r, "photo", ph):
                    if ph.get("key") in pkeys:
                        self.err(r + ".key", "duplicate photo %r" % ph.get("key"))
                    pkeys.add(ph.get("key"))
            body = art.get("body_markdown")
            if isinstance(body, str):
                for m in re.finditer(r"!\[[^\]]*\]\(\s*<?photo:([^\s)>]*)", body):
                    if m.group(1) not in pkeys:
                        self.err(q + ".body_markdown", "image photo:%s is not one of the article's photos" % m.group(1))
            cr = art.get("credits") if isinstance(art.get("credits"), dict) else {}
            if art.get("status") == "published":
                if not cr.get("written_by") or not cr.get("reviewed_by"):
                    self.err(q + ".credits", "a published article needs written_by and reviewed_by")
                elif cr["written_by"] == cr["reviewed_by"]:
                    self.err(q + ".credits.reviewed_by", "same person as written_by")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_document.py DOC.json")
    raw = open(sys.argv[1], "rb").read()
    try:
        text = raw.decode("utf-8")
        doc = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError, DuplicateMember) as e:
        print("%s: malformed: %s" % (sys.argv[1], e))
        sys.exit(1)
    c = Checker()
    c.check(doc)
    for line in c.errors[:100]:
        print(line)
    for line in c.noncanonical[:20]:
        print("non-canonical: " + line)
    if len(raw) > 64 * 1024 * 1024:
        print("note: %d bytes, more than podium's default import.max_bytes (67108864)" % len(raw))
    print("%s: %d bytes, %d errors, %d non-canonical" % (sys.argv[1], len(raw), len(c.errors),
                                                        len(c.noncanonical)))
    sys.exit(1 if c.errors else 2 if c.noncanonical else 0)


if __name__ == "__main__":
    main()
