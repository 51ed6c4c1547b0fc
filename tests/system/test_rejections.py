"""Every rule of docs/exchange-format.md, one mutation at a time.

Each case takes examples/malaysia-hightech-2021.json, applies one mutation
and imports it into a database that already holds
wtu-lesotho-textile-2022 (so "nothing is written" can be seen): the import
must exit 65, name the exact JSON path on a line `FILE: PATH: message`
(docs/cli.md), and leave `podium export` byte-identical. The ACCEPTED table
holds the near misses that must go in (exit 0) and come back out.

Where the contract does not say whether a missing or unknown field is
reported at the field or at its object, both are accepted (the object's path
then has to mention the field's name).
"""

import copy
import json
import re
from collections import namedtuple
from datetime import datetime, timezone

import pytest

from conftest import (EXAMPLES_DIR, FORMAT, canonical, copy_db, db_files, error_lines,
                      expected_slug_export, has_error_at,
                      malformed_positions, run)

SLUG = "malaysia-hightech-2021"
P = "programs[0]"
SS = "programs[0].sessions[0]"
AR = "programs[0].articles[0]"

# ------------------------------------------------------------ path helpers

_TOKEN = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def parse_path(path):
    return [int(i) if i else name for name, i in _TOKEN.findall(path)]


def _walk(doc, path):
    toks = parse_path(path)
    cur = doc
    for t in toks[:-1]:
        cur = cur[t]
    return cur, toks[-1]


def parent_of(path):
    """('programs[0].sessions[0]', 'key') for 'programs[0].sessions[0].key'."""
    i = path.rfind(".")
    return (path[:i], path[i + 1:]) if i >= 0 else ("", path)


Op = namedtuple("Op", "kind path value")


def S(path, value):
    return Op("set", path, value)


def D(path):
    return Op("del", path, None)


def A(path, value):
    return Op("append", path, value)


def apply_ops(doc, ops):
    for op in ops:
        value = op.value(doc) if callable(op.value) else copy.deepcopy(op.value)
        cont, last = _walk(doc, op.path)
        if op.kind == "set":
            cont[last] = value
        elif op.kind == "del":
            del cont[last]
        elif op.kind == "append":
            cont[last].append(value)
        else:
            raise ValueError(op.kind)
    return doc


Case = namedtuple("Case", "id ops expect ascii")


def R(id, ops, expect=None, ascii=False):
    """A rejection: ops (one Op or a list), expected error paths.

    Default expectation: the path of the first op; for a deletion also the
    parent object mentioning the field."""
    if isinstance(ops, Op):
        ops = [ops]
    if expect is None:
        op = ops[0]
        expect = [op.path]
        if op.kind == "del":
            expect.append(parent_of(op.path))
    elif isinstance(expect, str):
        expect = [expect]
    return Case(id, ops, expect, ascii)


def field(path):
    """Alternatives for an error about a field: at it, or at its object
    with the field named."""
    return [path, parent_of(path)]


MALFORMED_OR = "MALFORMED_OR"   # marker: LINE:COLUMN form is fine too


def _copy_program(doc):
    return copy.deepcopy(doc["programs"][0])


def _copy_session(doc):
    return copy.deepcopy(doc["programs"][0]["sessions"][0])


def _copy_article(doc):
    return copy.deepcopy(doc["programs"][0]["articles"][0])


def _body_plus(extra):
    return lambda doc: doc["programs"][0]["articles"][0]["body_markdown"] + extra


# ------------------------------------------------------------ the table

REJECTED = [
    # format
    R("format-wrong", S("format", "podium-program/2")),
    R("format-old-name", S("format", "podium/1")),
    R("format-not-string", S("format", 1)),
    R("format-missing", D("format"), ["format", ("", "format")]),
    # unknown fields, at several depths
    R("unknown-top", S("extra", 1), ["extra", ("", "extra")]),
    R("unknown-org", S("organizations[1].colour", "red"),
      field("organizations[1].colour")),
    R("unknown-person", S("people[3].nickname", "Kai"),
      field("people[3].nickname")),
    R("unknown-program", S(f"{P}.venue_count", 2), field(f"{P}.venue_count")),
    R("unknown-phase", S(f"{P}.preparation[0].owner", "he-ying"),
      field(f"{P}.preparation[0].owner")),
    R("unknown-venue", S(f"{P}.venues[0].floor", "3"),
      field(f"{P}.venues[0].floor")),
    R("unknown-enrolment", S(f"{P}.enrolments[0].note", "x"),
      field(f"{P}.enrolments[0].note")),
    R("unknown-session", S(f"{SS}.speakers", []), field(f"{SS}.speakers")),
    R("unknown-item", S(f"{SS}.items[2].extra", True),
      field(f"{SS}.items[2].extra")),
    R("unknown-article", S(f"{AR}.author", "guan-rui"), field(f"{AR}.author")),
    R("unknown-photo", S(f"{AR}.photos[1].url", "https://x.example/p.jpg"),
      field(f"{AR}.photos[1].url")),
    R("unknown-credit", S(f"{AR}.credits.edited_by", "chen-wei"),
      field(f"{AR}.credits.edited_by")),
    # wrong types
    R("type-org-name-number", S("organizations[1].name", 5)),
    R("type-capacity-string", S(f"{P}.capacity", "59")),
    R("type-capacity-fraction", S(f"{P}.capacity", 59.5)),
    R("type-capacity-bool", S(f"{P}.capacity", True)),
    R("type-countries-string", S(f"{P}.countries", "MY")),
    R("type-sessions-object", S(f"{P}.sessions", {})),
    R("type-organizations-object", S("organizations", {})),
    R("type-attendee-number", S(f"{SS}.attendees[0]", 7)),
    R("type-credits-array", S(f"{AR}.credits", [])),
    R("type-program-string", S("programs[0]", "x")),
    R("type-item-array", S(f"{SS}.items[0]", [])),
    R("type-key-number", S("people[2].key", 42)),
    # null anywhere
    R("null-honorific", S("people[0].honorific", None)),
    R("null-summary", S(f"{P}.summary", None)),
    R("null-parent", S("organizations[2].parent", None)),
    R("null-programs", S("programs", None)),
    R("null-on-behalf-of", S(f"{SS}.items[0].on_behalf_of", None)),
    R("null-capacity", S(f"{P}.capacity", None)),
    R("null-required-title", S(f"{SS}.title", None)),
    # missing required fields
    R("missing-org-key", D("organizations[4].key")),
    R("missing-org-name", D("organizations[4].name")),
    R("missing-person-key", D("people[2].key")),
    R("missing-person-name", D("people[2].name")),
    *[R(f"missing-program-{f}", D(f"{P}.{f}")) for f in (
        "slug", "title", "kind", "mode", "timezone", "starts_on", "ends_on",
        "host", "organizer")],
    *[R(f"missing-phase-{f}", D(f"{P}.preparation[1].{f}"))
      for f in ("phase", "title", "status")],
    *[R(f"missing-venue-{f}", D(f"{P}.venues[0].{f}"))
      for f in ("key", "name", "kind")],
    *[R(f"missing-enrolment-{f}", D(f"{P}.enrolments[2].{f}"))
      for f in ("person", "role", "status")],
    *[R(f"missing-session-{f}", D(f"{SS}.{f}"))
      for f in ("key", "title", "kind", "starts_at", "ends_at")],
    *[R(f"missing-item-{f}", D(f"{SS}.items[3].{f}"))
      for f in ("kind", "speaker", "title")],
    *[R(f"missing-article-{f}", D(f"{AR}.{f}")) for f in (
        "key", "section", "title", "created_on", "language", "status",
        "body_markdown")],
    R("missing-photo-caption", D(f"{AR}.photos[0].caption")),
    R("missing-photo-key", D(f"{AR}.photos[3].key")),
    # key syntax
    R("key-uppercase", A("organizations", {"key": "Bad-key", "name": "X"}),
      field("organizations[17].key")),
    R("key-too-long", A("organizations", {"key": "a" * 65, "name": "X"}),
      field("organizations[17].key")),
    R("key-leading-dash", A("people", {"key": "-abc", "name": "X"}),
      field("people[11].key")),
    R("key-empty", A("people", {"key": "", "name": "X"}),
      field("people[11].key")),
    R("key-underscore", A("people", {"key": "li_nan", "name": "X"}),
      field("people[11].key")),
    R("key-space", A("people", {"key": "li nan", "name": "X"}),
      field("people[11].key")),
    R("key-non-ascii", A("people", {"key": "lé", "name": "X"}),
      field("people[11].key")),
    R("slug-uppercase", S(f"{P}.slug", "Malaysia-2021")),
    R("venue-key-bad", A(f"{P}.venues", {"key": "Room-1", "name": "R",
                                          "kind": "room"}),
      field(f"{P}.venues[2].key")),
    R("session-key-bad", S(f"{SS}.key", "Opening")),
    R("article-key-bad", S(f"{AR}.key", "opening_kicked_off")),
    R("photo-key-bad", A(f"{AR}.photos", {"key": "Extra Photo",
                                           "caption": "x"}),
      field(f"{AR}.photos[8].key")),
    # duplicates, reported at the second occurrence
    R("dup-organization", A("organizations", {"key": "sbs", "name": "Other"}),
      ["organizations[17].key", "organizations[17]"]),
    R("dup-person", A("people", {"key": "yu-jun", "name": "Other"}),
      ["people[11].key", "people[11]"]),
    R("dup-program", A("programs", _copy_program),
      ["programs[1].slug", "programs[1]"]),
    R("dup-venue", A(f"{P}.venues", {"key": "online", "name": "Second",
                                      "kind": "online"}),
      [f"{P}.venues[2].key", f"{P}.venues[2]"]),
    R("dup-session", A(f"{P}.sessions", _copy_session),
      [f"{P}.sessions[1].key", f"{P}.sessions[1]"]),
    R("dup-article", A(f"{P}.articles", _copy_article),
      [f"{P}.articles[1].key", f"{P}.articles[1]"]),
    R("dup-photo", A(f"{AR}.photos", {"key": "online-photo",
                                       "caption": "Again"}),
      [f"{AR}.photos[8].key", f"{AR}.photos[8]"]),
    R("dup-enrolment", A(f"{P}.enrolments", {"person": "yu-jun",
                                              "role": "staff",
                                              "status": "invited"}),
      [f"{P}.enrolments[8].person", f"{P}.enrolments[8]"]),
    R("dup-country", S(f"{P}.countries", ["MY", "CN", "MY"]),
      f"{P}.countries[2]"),
    R("dup-language", S(f"{P}.languages", ["en", "zh", "en"]),
      f"{P}.languages[2]"),
    R("dup-session-venue", A(f"{SS}.venues", "online"), f"{SS}.venues[2]"),
    R("dup-attendee", A(f"{SS}.attendees", "yu-jun"), f"{SS}.attendees[7]"),
    # unresolved references, every reference field
    R("ref-parent", S("organizations[2].parent", "nope")),
    R("ref-person-organization", S("people[0].organization", "nope")),
    R("ref-host", S(f"{P}.host", "nope")),
    R("ref-host-is-a-person", S(f"{P}.host", "yu-jun")),
    R("ref-host-bad-shape", S(f"{P}.host", "MOFCOM")),
    R("ref-organizer", S(f"{P}.organizer", "nope")),
    R("ref-enrolment-person", S(f"{P}.enrolments[0].person", "nobody")),
    R("ref-enrolment-person-is-org", S(f"{P}.enrolments[0].person", "mofcom")),
    R("ref-session-venue", S(f"{SS}.venues[1]", "nowhere")),
    R("ref-session-venue-other-program", S(f"{SS}.venues[1]", "wtu-iec")),
    R("ref-attendee", S(f"{SS}.attendees[0]", "nobody")),
    R("ref-speaker", S(f"{SS}.items[2].speaker", "li-tai")),
    R("ref-on-behalf-of-key", S(f"{SS}.items[0].on_behalf_of", "nobody")),
    R("ref-written-by", S(f"{AR}.credits.written_by", "nobody")),
    R("ref-photographed-by", S(f"{AR}.credits.photographed_by", "nobody")),
    R("ref-reviewed-by", S(f"{AR}.credits.reviewed_by", "nobody")),
    # organization parent cycles
    R("cycle-two", S("organizations[1].parent", "sbs-iec"),
      ["organizations[1].parent", "organizations[2].parent",
       "organizations[1]", "organizations[2]"]),
    R("cycle-three", [S("organizations[5].parent", "sh-tic"),
                      S("organizations[10].parent", "sh-comm-fec")],
      [f"organizations[{i}]{s}" for i in (5, 6, 10) for s in (".parent", "")]),
    R("cycle-self", S("organizations[10].parent", "sh-tic"),
      ["organizations[10].parent", "organizations[10]"]),
    # text: control characters, newlines, lengths
    R("text-bell-in-name", S("organizations[4].name", "Embassy\u0007")),
    R("text-nul-in-title", S(f"{P}.title", "A\u0000B")),
    R("text-escape-in-position", S("people[1].position", "x\u001by")),
    R("text-bell-in-summary", S(f"{P}.summary", "bell \u0007 here")),
    R("text-del-in-short-name", S("organizations[1].short_name", "SB\u007fS")),
    R("text-c1-in-name", S("organizations[4].name", "Embassy\u009f")),
    R("text-newline-in-title", S(f"{P}.title", "Line one\nLine two")),
    R("text-newline-in-name", S("people[2].name", "Samuel\nLee")),
    R("text-tab-in-title", S(f"{SS}.title", "Opening\tCeremony")),
    R("text-newline-in-position", S("people[0].position", "Counsellor\nX")),
    R("text-newline-in-address", S(f"{P}.venues[0].address", "Road 1\nCity")),
    R("text-newline-in-caption", S(f"{AR}.photos[0].caption", "The\nvenue")),
    R("text-cr-in-honorific", S("people[0].honorific", "Mr.\r")),
    R("text-lone-surrogate", S(f"{P}.title", "A\ud800B"),
      [f"{P}.title", MALFORMED_OR], ascii=True),
    R("len-org-name-301", S("organizations[4].name", "a" * 301)),
    R("len-org-name-301-combining",
      S("organizations[4].name", "e\u0301" * 150 + "e")),
    R("len-org-name-empty", S("organizations[4].name", "")),
    R("len-person-name-201", S("people[0].name", "a" * 201)),
    R("len-person-name-201-cjk", S("people[0].name", "李" * 201)),
    R("len-program-title-301", S(f"{P}.title", "t" * 301)),
    R("len-session-title-301", S(f"{SS}.title", "t" * 301)),
    R("len-item-title-301", S(f"{SS}.items[1].title", "t" * 301)),
    R("len-article-title-301", S(f"{AR}.title", "t" * 301)),
    R("len-venue-name-301", S(f"{P}.venues[0].name", "v" * 301)),
    R("len-phase-title-301", S(f"{P}.preparation[0].title", "p" * 301)),
    R("len-program-title-empty", S(f"{P}.title", "")),
    R("len-position-10001", S("people[0].position", "p" * 10001)),
    R("len-summary-10001", S(f"{P}.summary", "s" * 10001)),
    R("len-body-200001", S(f"{AR}.body_markdown", "b" * 200001)),
    # dates
    R("date-feb-30", S(f"{P}.preparation[0].due", "2021-02-30")),
    R("date-feb-29-not-leap", S(f"{P}.preparation[0].due", "2021-02-29")),
    R("date-starts-on-feb-30", S(f"{P}.starts_on", "2021-02-30")),
    R("date-month-13", S(f"{AR}.created_on", "2021-13-01")),
    R("date-short-day", S(f"{AR}.created_on", "2021-12-9")),
    R("date-slashes", S(f"{AR}.created_on", "2021/12/09")),
    R("date-with-time", S(f"{AR}.created_on", "2021-12-09T00:00:00Z")),
    R("date-starts-after-ends", S(f"{P}.starts_on", "2021-12-23"),
      [f"{P}.starts_on", f"{P}.ends_on", P]),
    # instants
    R("instant-no-seconds", S(f"{SS}.starts_at", "2021-12-09T09:00+08:00")),
    R("instant-fraction", S(f"{SS}.starts_at", "2021-12-09T09:00:00.5+08:00")),
    R("instant-zero-fraction",
      S(f"{SS}.starts_at", "2021-12-09T09:00:00.000+08:00")),
    R("instant-no-offset", S(f"{SS}.starts_at", "2021-12-09T09:00:00")),
    R("instant-offset-no-colon",
      S(f"{SS}.starts_at", "2021-12-09T09:00:00+0800")),
    R("instant-hour-25", S(f"{SS}.starts_at", "2021-12-09T25:00:00+08:00")),
    R("instant-minute-60", S(f"{SS}.ends_at", "2021-12-09T10:60:00+08:00")),
    R("instant-date-only", S(f"{SS}.ends_at", "2021-12-09")),
    R("instant-trailing-space",
      S(f"{SS}.starts_at", "2021-12-09T09:00:00+08:00 ")),
    R("instant-feb-30", S(f"{SS}.starts_at", "2021-02-30T09:00:00+08:00")),
    R("instant-fullwidth-digit",
      S(f"{SS}.starts_at", "\uff12021-12-09T09:00:00+08:00")),
    R("instant-lowercase-t", S(f"{SS}.starts_at", "2021-12-09t09:00:00+08:00")),
    R("date-arabic-indic-digits", S(f"{AR}.created_on",
                                    "\u0662\u0660\u0662\u0661-12-09")),
    R("instant-equal", S(f"{SS}.ends_at", "2021-12-09T09:00:00+08:00"),
      [f"{SS}.ends_at", f"{SS}.starts_at", SS]),
    R("instant-equal-other-offset", S(f"{SS}.ends_at", "2021-12-09T01:00:00Z"),
      [f"{SS}.ends_at", f"{SS}.starts_at", SS]),
    R("instant-ends-before", S(f"{SS}.ends_at", "2021-12-09T08:59:59+08:00"),
      [f"{SS}.ends_at", f"{SS}.starts_at", SS]),
    # sessions judged in the program's zone (Asia/Shanghai, +08:00)
    R("session-starts-before-program-utc",
      [S(f"{SS}.starts_at", "2021-12-08T15:59:00Z"),
       S(f"{SS}.ends_at", "2021-12-09T01:00:00Z")],
      [f"{SS}.starts_at", SS]),
    R("session-starts-one-second-early",
      S(f"{SS}.starts_at", "2021-12-08T23:59:59+08:00"),
      [f"{SS}.starts_at", SS]),
    R("session-ends-after-program",
      [S(f"{SS}.starts_at", "2021-12-22T15:00:00Z"),
       S(f"{SS}.ends_at", "2021-12-22T16:00:01Z")],
      [f"{SS}.ends_at", SS]),
    R("session-crosses-last-midnight",
      [S(f"{SS}.starts_at", "2021-12-22T23:00:00+08:00"),
       S(f"{SS}.ends_at", "2021-12-23T01:00:00+08:00")],
      [f"{SS}.ends_at", SS]),
    R("session-after-program-in-zone-not-in-utc",
      [S(f"{SS}.starts_at", "2021-12-22T18:00:00Z"),
       S(f"{SS}.ends_at", "2021-12-22T19:00:00Z")],
      [f"{SS}.starts_at", f"{SS}.ends_at", SS]),
    # capacity
    R("capacity-zero", S(f"{P}.capacity", 0)),
    R("capacity-negative", S(f"{P}.capacity", -1)),
    R("venue-capacity-zero", S(f"{P}.venues[0].capacity", 0)),
    R("capacity-exceeded",
      [S(f"{P}.capacity", 1), S(f"{P}.enrolments[1].role", "participant")],
      [f"{P}.capacity", f"{P}.enrolments", f"{P}.enrolments[1]",
       f"{P}.enrolments[1].role", f"{P}.enrolments[1].status", P]),
    # venues
    R("venue-address-on-online", S(f"{P}.venues[1].address", "Somewhere 1")),
    R("venue-url-on-room",
      S(f"{P}.venues[0].url", "https://meet.example.org/j/1")),
    R("venue-url-http", S(f"{P}.venues[1].url", "http://meet.example.org/j/1")),
    R("venue-url-ftp", S(f"{P}.venues[1].url", "ftp://meet.example.org/j/1")),
    R("venue-url-not-a-url", S(f"{P}.venues[1].url", "meeting room 1")),
    # enumerations
    R("enum-org-kind", S("organizations[1].kind", "university")),
    R("enum-program-kind", S(f"{P}.kind", "conference")),
    R("enum-program-kind-empty", S(f"{P}.kind", "")),
    R("enum-mode", S(f"{P}.mode", "mixed")),
    R("enum-mode-capitalised", S(f"{P}.mode", "Hybrid")),
    R("enum-phase", S(f"{P}.preparation[0].phase", "planning")),
    R("enum-phase-status", S(f"{P}.preparation[0].status", "finished")),
    R("enum-venue-kind", S(f"{P}.venues[0].kind", "hall")),
    R("enum-role", S(f"{P}.enrolments[0].role", "trainee")),
    R("enum-enrolment-status", S(f"{P}.enrolments[0].status", "accepted")),
    R("enum-session-kind", S(f"{SS}.kind", "meeting")),
    R("enum-item-kind", S(f"{SS}.items[0].kind", "talk")),
    R("enum-section", S(f"{AR}.section", "blog")),
    R("enum-article-status", S(f"{AR}.status", "public")),
    # countries, languages, zones, email
    R("country-xx", S("organizations[1].country", "XX")),
    R("country-lowercase", S("organizations[1].country", "cn")),
    R("country-uk", S("people[2].country", "UK")),
    R("country-alpha3", S("people[2].country", "MYS")),
    R("country-in-list", S(f"{P}.countries", ["XX"]), f"{P}.countries[0]"),
    R("country-lowercase-in-list", S(f"{P}.countries", ["MY", "my"]),
      f"{P}.countries[1]"),
    R("language-underscore", S(f"{P}.languages", ["en_US"]),
      f"{P}.languages[0]"),
    R("language-empty", S(f"{P}.languages", ["en", ""]), f"{P}.languages[1]"),
    R("language-bang", S(f"{P}.languages", ["e!"]), f"{P}.languages[0]"),
    R("language-trailing-dash", S(f"{AR}.language", "en-")),
    R("language-article", S(f"{AR}.language", "en_US")),
    R("zone-abbreviation", S(f"{P}.timezone", "PST")),
    R("zone-offset", S(f"{P}.timezone", "+08:00")),
    R("zone-unknown", S(f"{P}.timezone", "Mars/Olympus")),
    R("zone-empty", S(f"{P}.timezone", "")),
    R("zone-lowercase", S(f"{P}.timezone", "asia/shanghai")),
    R("zone-path-traversal", S(f"{P}.timezone", "../../../../etc/passwd")),
    R("zone-absolute-path",
      S(f"{P}.timezone", "/usr/share/zoneinfo/Asia/Shanghai")),
    R("zone-trailing-space", S(f"{P}.timezone", "Asia/Shanghai ")),
    R("zone-directory", S(f"{P}.timezone", "Asia")),
    R("zone-table-file", S(f"{P}.timezone", "zone.tab")),
    R("zone-tzdata-zi", S(f"{P}.timezone", "tzdata.zi")),
    R("country-withdrawn", S("organizations[1].country", "AN")),
    R("country-reserved-eu", S("organizations[1].country", "EU")),
    R("country-zz", S("people[2].country", "ZZ")),
    *[R(f"language-{n}", S(f"{AR}.language", tag)) for n, tag in (
        ("double-dash", "en--US"), ("nine-letters", "abcdefghi"),
        ("leading-digit", "1en"), ("lone-singleton", "en-a"),
        ("singleton-at-end", "en-US-u"), ("space", "en US"),
        ("bad-region", "en-US1"))],
    R("email-no-at", S("people[0].email", "yu.jun.example.org")),
    R("email-two-at", S("people[0].email", "yu@jun@example.org")),
    R("email-no-local", S("people[0].email", "@example.org")),
    R("email-no-domain", S("people[0].email", "yu.jun@")),
    R("email-space", S("people[0].email", "yu jun@example.org")),
    # articles
    R("published-without-reviewer", D(f"{AR}.credits.reviewed_by"),
      [f"{AR}.credits.reviewed_by", f"{AR}.credits", f"{AR}.status", AR]),
    R("published-without-writer", D(f"{AR}.credits.written_by"),
      [f"{AR}.credits.written_by", f"{AR}.credits", f"{AR}.status", AR]),
    R("published-without-credits", D(f"{AR}.credits"),
      [f"{AR}.credits", f"{AR}.credits.reviewed_by",
       f"{AR}.credits.written_by", f"{AR}.status", AR]),
    R("published-writer-is-reviewer", S(f"{AR}.credits.reviewed_by", "guan-rui"),
      [f"{AR}.credits.reviewed_by", f"{AR}.credits.written_by",
       f"{AR}.credits", f"{AR}.status", AR]),
    R("body-unknown-photo",
      S(f"{AR}.body_markdown", _body_plus("\n\n![x](photo:unknown)")),
      f"{AR}.body_markdown"),
    *[R(f"body-unknown-photo-{n}",
        S(f"{AR}.body_markdown", _body_plus("\n\n" + md)),
        f"{AR}.body_markdown") for n, md in (
        ("reference-style", "![x][r]\n\n[r]: photo:nope"),
        ("angle-brackets", "![x](<photo:nope>)"),
        ("with-title", '![x](photo:nope "A title")'),
        ("in-list", "- item\n\n  ![x](photo:nope)"))],
    R("body-photo-of-nothing",
      [S(f"{AR}.photos", [{"key": "a-photo", "caption": "A photo"}])],
      f"{AR}.body_markdown"),
    # translations (docs/exchange-format.md, "Translations")
    R("translations-array", S("people[0].translations", []),
      "people[0].translations"),
    R("translations-version-text", S("organizations[1].translations",
                                     {"zh": "商务部"}),
      "organizations[1].translations.zh"),
    R("translations-untranslatable-field",
      S("organizations[1].translations", {"zh": {"kind": "ministry"}}),
      field("organizations[1].translations.zh.kind")),
    R("translations-field-of-another-record",
      S("people[0].translations", {"zh": {"short_name": "x"}}),
      field("people[0].translations.zh.short_name")),
    R("translations-malformed-tag",
      S("organizations[1].translations", {"zh_CN": {"name": "商务部"}}),
      "organizations[1].translations"),
    R("translations-tag-twice-other-case",
      S(f"{P}.translations", {"zh-Hans": {"title": "研修班"},
                              "zh-hans": {"title": "研修"}}),
      [f"{P}.translations.zh-hans", f"{P}.translations.zh-Hans"]),
    R("translations-empty-version", S(f"{SS}.translations", {"zh": {}}),
      f"{SS}.translations.zh"),
    R("translations-empty-text",
      S("organizations[1].translations", {"zh": {"name": ""}}),
      "organizations[1].translations.zh.name"),
    R("translations-name-too-long",
      S("organizations[1].translations", {"zh": {"name": "中" * 301}}),
      "organizations[1].translations.zh.name"),
    R("translations-person-name-too-long",
      S("people[0].translations", {"zh": {"name": "中" * 201}}),
      "people[0].translations.zh.name"),
    R("translations-newline-in-title",
      S(f"{SS}.items[0].translations", {"zh": {"title": "致\n辞"}}),
      f"{SS}.items[0].translations.zh.title"),
    R("translations-of-an-absent-field",
      [D("people[0].position"),
       S("people[0].translations", {"zh": {"position": "主任"}})],
      "people[0].translations.zh.position"),
    R("translations-of-a-person-reference",
      [S(f"{SS}.items[0].on_behalf_of", "he-ying"),
       S(f"{SS}.items[0].translations", {"zh": {"on_behalf_of": "何颖"}})],
      f"{SS}.items[0].translations.zh.on_behalf_of"),
]

# an article's versions in other languages (docs/exchange-format.md, "Translations")
ZH = {"title": "研讨会开幕", "body_markdown": "开幕式在线上举行。\n\n![线下会场](photo:offline-venue)",
      "status": "published", "captions": {"offline-venue": "线下会场"}}
REJECTED += [
    R("article-version-own-language", S(f"{AR}.translations", {"en-GB": dict(ZH)}),
      f"{AR}.translations.en-GB"),
    R("article-version-bad-tag", S(f"{AR}.translations", {"zh_CN": dict(ZH)}), f"{AR}.translations"),
    R("article-version-without-status", S(f"{AR}.translations", {"zh": {k: v for k, v in ZH.items()
                                                                        if k != "status"}}),
      field(f"{AR}.translations.zh.status")),
    R("article-version-without-body", S(f"{AR}.translations", {"zh": {k: v for k, v in ZH.items()
                                                                      if k != "body_markdown"}}),
      field(f"{AR}.translations.zh.body_markdown")),
    R("article-version-bad-status", S(f"{AR}.translations", {"zh": dict(ZH, status="live")}),
      f"{AR}.translations.zh.status"),
    R("article-version-caption-of-no-photo", S(f"{AR}.translations", {"zh": dict(ZH, captions={"nope": "x"})}),
      f"{AR}.translations.zh.captions.nope"),
    R("article-version-empty-caption", S(f"{AR}.translations", {"zh": dict(ZH, captions={"offline-venue": ""})}),
      f"{AR}.translations.zh.captions.offline-venue"),
    R("article-version-caption-not-text", S(f"{AR}.translations", {"zh": dict(ZH, captions={"offline-venue": 1})}),
      f"{AR}.translations.zh.captions.offline-venue"),
    R("article-version-captions-array", S(f"{AR}.translations", {"zh": dict(ZH, captions=["x"])}),
      f"{AR}.translations.zh.captions"),
    R("article-version-body-names-no-photo",
      S(f"{AR}.translations", {"zh": dict(ZH, body_markdown="![x](photo:nope)")}),
      f"{AR}.translations.zh.body_markdown"),
    R("article-version-unknown-field", S(f"{AR}.translations", {"zh": dict(ZH, section="news")}),
      field(f"{AR}.translations.zh.section")),
    R("article-scheduled-draft", S(f"{AR}.publish_at", "2021-12-10T09:00:00+08:00"), f"{AR}.publish_at"),
    R("article-scheduled-without-reviewer",
      [S(f"{AR}.status", "in-review"), D(f"{AR}.credits.reviewed_by"),
       S(f"{AR}.publish_at", "2021-12-10T09:00:00+08:00")], f"{AR}.publish_at"),
    R("article-scheduled-not-an-instant", [S(f"{AR}.status", "in-review"), S(f"{AR}.publish_at", "2021-12-10")],
      f"{AR}.publish_at"),
    R("article-published-version-of-draft-same-writer-reviewer",
      [S(f"{AR}.status", "draft"), S(f"{AR}.credits.reviewed_by", lambda d: d["programs"][0]["articles"][0]
                                     ["credits"]["written_by"]),
       S(f"{AR}.translations", {"zh": dict(ZH)})],
      f"{AR}.credits.reviewed_by"),
]

# Near misses: each must import (exit 0) and export as imported.
ACCEPTED = [
    R("ok-on-behalf-of-capitalised-free-text",
      S(f"{SS}.items[0].on_behalf_of", "All participants")),
    R("ok-on-behalf-of-free-text-one-word-capital",
      S(f"{SS}.items[0].on_behalf_of", "Everyone")),
    R("ok-reference-to-database-org", S("people[0].organization", "wtu")),
    R("ok-reference-to-database-person",
      A(f"{SS}.attendees", "joseph-kulamiwa-busanji")),
    R("ok-newline-tab-in-summary", S(f"{P}.summary", "Line one\n\tLine two")),
    R("ok-newline-in-description", S(f"{SS}.description", "One\nTwo\tthree")),
    R("ok-newline-in-notes", S(f"{P}.preparation[0].notes", "a\nb\n")),
    R("ok-name-300-ascii", S("organizations[4].name", "a" * 300)),
    R("ok-name-300-cjk", S("organizations[4].name", "中" * 300)),
    R("ok-name-300-combining", S("organizations[4].name", "e\u0301" * 150)),
    R("ok-person-name-200-emoji", S("people[0].name", "😀" * 200)),
    R("ok-title-300-cjk", S(f"{P}.title", "研" * 300)),
    R("ok-position-10000-two-byte", S("people[0].position", "é" * 10000)),
    R("ok-summary-10000-emoji", S(f"{P}.summary", "🎉" * 10000)),
    R("ok-body-200000", S(f"{AR}.body_markdown",
                          lambda d: (d["programs"][0]["articles"][0]
                                     ["body_markdown"] + "\n\n" + "字" * 200000
                                     )[:200000])),
    R("ok-key-64", A("organizations", {"key": "a" * 64, "name": "Long key"})),
    R("ok-key-digits", A("organizations", {"key": "0-9", "name": "Digits"})),
    R("ok-article-version", S(f"{AR}.translations", {"zh": dict(ZH), "ms": {k: v for k, v in ZH.items()
                                                                           if k != "captions"}})),
    R("ok-article-scheduled", [S(f"{AR}.status", "in-review"), S(f"{AR}.publish_at", "2021-12-10T09:00:00+08:00")]),
    R("ok-article-version-without-captions",
      S(f"{AR}.translations", {"zh": {k: v for k, v in ZH.items() if k != "captions"}})),
    R("ok-leap-day", S(f"{P}.preparation[0].due", "2020-02-29")),
    R("ok-one-day-program", S(f"{P}.ends_on", "2021-12-09")),
    R("ok-session-inside-in-zone",
      [S(f"{SS}.starts_at", "2021-12-08T23:30:00Z"),
       S(f"{SS}.ends_at", "2021-12-09T01:00:00Z")]),
    R("ok-session-starts-at-midnight",
      [S(f"{SS}.starts_at", "2021-12-08T16:00:00Z"),
       S(f"{SS}.ends_at", "2021-12-09T01:00:00Z")]),
    R("ok-session-ends-at-24h",
      [S(f"{SS}.starts_at", "2021-12-22T15:00:00Z"),
       S(f"{SS}.ends_at", "2021-12-22T16:00:00Z")]),
    R("ok-session-written-with-other-offset",
      [S(f"{SS}.starts_at", "2021-12-08T20:00:00-08:00"),   # 12:00 +08
       S(f"{SS}.ends_at", "2021-12-09T05:30:00Z")]),
    R("ok-capacity-exact", S(f"{P}.capacity", 1)),
    R("ok-capacity-unconfirmed-do-not-count",
      [S(f"{P}.capacity", 1), S(f"{P}.enrolments[1].role", "participant"),
       S(f"{P}.enrolments[1].status", "registered")]),
    R("ok-https-url-on-online", S(f"{P}.venues[1].url",
                                  "https://meet.example.org/j/123?pwd=x")),
    R("ok-venue-capacity-and-address",
      [S(f"{P}.venues[0].capacity", 60),
       S(f"{P}.venues[0].address", "Shanghai Business School, Shanghai")]),
    R("ok-email", S("people[0].email", "yu.jun@example.org")),
    R("ok-countries-and-languages",
      [S(f"{P}.countries", ["MY", "PE", "LS"]),
       S(f"{P}.languages", ["en", "zh-Hant", "es-PE"])]),
    R("ok-draft-without-credits",
      [S(f"{AR}.status", "draft"), D(f"{AR}.credits")]),
    *[R(f"ok-body-not-an-image-{n}",
        S(f"{AR}.body_markdown", _body_plus("\n\n" + md))) for n, md in (
        ("code-span", "See `![x](photo:nope)` here."),
        ("code-block", "```\n![x](photo:nope)\n```"),
        ("link", "[a link](photo:nope)"),
        ("escaped", "\\![x](photo:nope)"))],
    R("ok-in-review-same-writer-reviewer",
      [S(f"{AR}.status", "in-review"),
       S(f"{AR}.credits.reviewed_by", "guan-rui")]),
    R("ok-empty-arrays", [S(f"{P}.countries", []), S(f"{SS}.items", [])]),
    R("ok-less-common-countries", S(f"{P}.countries", ["SS", "AQ", "BQ", "CW"])),
    *[R(f"ok-language-{n}", S(f"{AR}.language", tag)) for n, tag in (
        ("extension", "en-US-u-ca-gregory"), ("private-use", "x-podium"),
        ("variant", "de-1996"), ("two-variants", "sl-rozaj-biske"),
        ("script-region", "zh-Hant-TW"), ("numeric-region", "es-419"),
        ("three-letter", "yue"), ("upper-case", "EN-us"))],
    R("ok-translations-everywhere",
      [S("organizations[1].translations",
         {"zh": {"name": "商务部", "short_name": "商务部"},
          "fr": {"name": "Ministère du Commerce"}}),
       S("people[0].translations", {"zh-Hans": {"name": "何颖"},
                                     "ar": {"name": "علي", "position": "مدير"}}),
       S(f"{P}.translations", {"zh": {"title": "马来西亚高新技术研修班",
                                      "summary": "第一行\n第二行"}}),
       S(f"{P}.preparation[0].translations", {"zh": {"title": "需求分析"}}),
       S(f"{P}.venues[0].translations", {"zh": {"name": "会议室"}}),
       S(f"{SS}.translations", {"zh": {"title": "开幕式"}}),
       S(f"{SS}.items[0].translations", {"zh": {"title": "致辞"}})]),
    R("ok-translations-name-300-cjk",
      S("organizations[1].translations", {"zh": {"name": "中" * 300}})),
    R("ok-translations-empty-object", S(f"{P}.translations", {})),
]


def _by_id(table):
    return pytest.mark.parametrize("case", table, ids=[c.id for c in table])


def _dump(doc, ascii=False):
    return json.dumps(doc, ensure_ascii=ascii, indent=1).encode(
        "ascii" if ascii else "utf-8")


def _import(db, tmp_path, data, name="bad.json"):
    p = tmp_path / name
    p.write_bytes(data)
    rc, out, err = run("import", p, db=db)
    return rc, err, str(p)


@pytest.fixture(scope="module")
def rejecting_db(lesotho_db_template, tmp_path_factory):
    """(db, export text): one copy of the lesotho database that every rejected
    import of this module is tried on. Each test checks that the export is still
    the original one, so a rejection that wrote anything fails where it happened
    (and those after it, whose database is then no longer the original)."""
    src, exported = lesotho_db_template
    return copy_db(src, tmp_path_factory.mktemp("rejections") / "shared.db"), exported


@_by_id(REJECTED)
def test_rejected(case, malaysia, rejecting_db, tmp_path):
    db, before = rejecting_db
    doc = apply_ops(copy.deepcopy(malaysia), case.ops)
    rc, err, path = _import(db, tmp_path, _dump(doc, case.ascii))
    assert rc == 65, f"expected exit 65, got {rc}; stderr:\n{err}"
    expect = [e for e in case.expect if e != MALFORMED_OR]
    ok = has_error_at(err, path, expect)
    if not ok and MALFORMED_OR in case.expect:
        ok = bool(malformed_positions(err, path))
    assert ok, f"no error line at {case.expect} for {path}; stderr:\n{err}"
    rc, after, err2 = run("export", db=db)
    assert rc == 0, err2
    assert after == before, "a rejected import changed the database"


def test_unmutated_document_is_accepted(malaysia, lesotho_db, tmp_path):
    """The control for the table: the document itself goes in."""
    db, _ = lesotho_db
    rc, err, _ = _import(db, tmp_path, _dump(malaysia))
    assert rc == 0, err


def _norm_instants(obj):
    """Session instants as UTC, so documents compare by meaning."""
    if isinstance(obj, dict):
        res = {}
        for k, v in obj.items():
            if k in ("starts_at", "ends_at") and isinstance(v, str):
                v = datetime.fromisoformat(v.replace("Z", "+00:00")) \
                    .astimezone(timezone.utc).isoformat()
            res[k] = _norm_instants(v)
        return res
    if isinstance(obj, list):
        return [_norm_instants(v) for v in obj]
    return obj


@_by_id(ACCEPTED)
def test_accepted(case, malaysia, lesotho, lesotho_db, tmp_path):
    db, _ = lesotho_db
    doc = apply_ops(copy.deepcopy(malaysia), case.ops)
    rc, err, path = _import(db, tmp_path, _dump(doc), "ok.json")
    assert rc == 0, f"expected exit 0, got {rc}; stderr:\n{err}"
    rc, out, err = run("export", SLUG, db=db)
    assert rc == 0, err
    # export keeps the order of import: lesotho's records came first
    known = {o["key"] for o in lesotho["organizations"]}
    orgs = lesotho["organizations"] + [o for o in doc["organizations"]
                                       if o["key"] not in known]
    people = lesotho["people"] + doc["people"]
    want = expected_slug_export(doc, SLUG, orgs, people)
    got = json.loads(out)
    assert _norm_instants(got) == _norm_instants(canonical(want))


# ------------------------------------------------------------ many errors

def test_all_errors_reported(malaysia, lesotho_db, tmp_path):
    db, before = lesotho_db
    doc = apply_ops(copy.deepcopy(malaysia), [
        S("organizations[1].country", "XX"),
        S("people[3].email", "nobody"),
        S(f"{P}.timezone", "Mars/Olympus"),
        S(f"{SS}.items[2].speaker", "li-tai"),
        S(f"{AR}.photos[0].caption", "x\u0007"),
    ])
    rc, err, path = _import(db, tmp_path, _dump(doc))
    assert rc == 65, err
    for want in ("organizations[1].country", "people[3].email",
                 f"{P}.timezone", f"{SS}.items[2].speaker",
                 f"{AR}.photos[0].caption"):
        assert has_error_at(err, path, [want]), f"{want} missing:\n{err}"
    assert run("export", db=db)[1] == before


def test_errors_capped_at_100(tmp_path, tmp_db):
    doc = {"format": FORMAT,
           "people": [{"key": f"Bad-{i}", "name": f"P {i}"} for i in range(150)]}
    rc, err, path = _import(tmp_db, tmp_path, _dump(doc))
    assert rc == 65, err
    lines = error_lines(err, path)
    with_path = [p for p, _ in lines if p]
    assert len(with_path) == 100, f"{len(with_path)} error lines:\n{err}"
    assert with_path[0] in ("people[0].key", "people[0]")
    path_re = re.compile(re.escape(path) + r": [A-Za-z_][A-Za-z0-9_.\[\]]*: ")
    rest = [ln for ln in err.splitlines() if not path_re.match(ln)]
    assert any(re.search(r"\b50\b", ln) for ln in rest), \
        f"no line saying 50 more errors were left out:\n{err}"
    assert db_files(tmp_db) == []


def test_exactly_100_errors_no_more_line(tmp_path, tmp_db):
    doc = {"format": FORMAT,
           "people": [{"key": f"Bad-{i}", "name": f"P {i}"} for i in range(100)]}
    rc, err, path = _import(tmp_db, tmp_path, _dump(doc))
    assert rc == 65, err
    with_path = [p for p, _ in error_lines(err, path) if p]
    assert len(with_path) == 100, err
    assert not re.search(r"\bmore\b", err), err


# ------------------------------------------------------------ malformed JSON

def _malaysia_text():
    return (EXAMPLES_DIR / "malaysia-hightech-2021.json").read_text("utf-8")


def _assert_malformed_at(err, path, line, col_range=None):
    pos = malformed_positions(err, path)
    assert pos, f"no FILE:LINE:COLUMN: line for {path}:\n{err}"
    lines = [ln for ln, _ in pos]
    assert line in lines, f"expected line {line}, got {pos}:\n{err}"
    if col_range:
        cols = [c for ln, c in pos if ln == line]
        assert any(col_range[0] <= c <= col_range[1] for c in cols), \
            f"column {cols} not in {col_range}:\n{err}"


def test_malformed_missing_comma(lesotho_db, tmp_path):
    db, before = lesotho_db
    lines = _malaysia_text().split("\n")
    # line 5: {"key": "sbs", "name": ...  -> drop the comma after "sbs"
    assert lines[4].startswith('    {"key": "sbs",')
    lines[4] = lines[4].replace('"sbs",', '"sbs"', 1)
    token = lines[4].index('"name"') + 1  # 1-based column of the token
    rc, err, path = _import(db, tmp_path, "\n".join(lines).encode())
    assert rc == 65, err
    _assert_malformed_at(err, path, 5, (token - 1, token + len('"name"')))
    assert run("export", db=db)[1] == before


def test_malformed_column_counts_characters(tmp_path, tmp_db):
    # 40 CJK characters (120 bytes) before the error on line 3
    text = ('{\n  "format": "podium-program/1",\n'
            '  "organizations": [{"key": "a", "name": "' + "中" * 40 +
            '" "kind": "other"}]\n}\n')
    line3 = text.split("\n")[2]
    token = line3.index('"kind"') + 1
    rc, err, path = _import(tmp_db, tmp_path, text.encode())
    assert rc == 65, err
    _assert_malformed_at(err, path, 3, (token - 1, token + len('"kind"')))
    assert db_files(tmp_db) == []


def test_malformed_truncated(lesotho_db, tmp_path):
    db, before = lesotho_db
    text = _malaysia_text()
    cut = text[: len(text) // 2]
    rc, err, path = _import(db, tmp_path, cut.encode())
    assert rc == 65, err
    assert malformed_positions(err, path), err
    assert run("export", db=db)[1] == before


@pytest.mark.parametrize("data", [b"", b"   \n", b"{", b"[1, 2",
                                  b'{"format": "podium-program/1"} x',
                                  b"{'format': 'podium-program/1'}",
                                  b'{"format": "podium-program/1",}'],
                         ids=["empty", "blank", "open-brace", "open-array",
                              "trailing-garbage", "single-quotes",
                              "trailing-comma"])
def test_malformed_small(data, tmp_path, tmp_db):
    rc, err, path = _import(tmp_db, tmp_path, data)
    assert rc == 65, err
    assert malformed_positions(err, path), err
    assert db_files(tmp_db) == []


@pytest.mark.parametrize("bad", [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80",
                                 b"\xe4\xb8", b"\xf8\x88\x80\x80\x80"],
                         ids=["ff", "overlong", "surrogate", "truncated",
                              "five-byte"])
def test_invalid_utf8(bad, lesotho_db, tmp_path):
    db, before = lesotho_db
    lines = _malaysia_text().encode().split(b"\n")
    # line 6, inside the name of sbs-iec
    assert lines[5].startswith(b'    {"key": "sbs-iec", "name": "Inter')
    lines[5] = lines[5].replace(b"International", b"Inter" + bad + b"national")
    rc, err, path = _import(db, tmp_path, b"\n".join(lines))
    assert rc == 65, err
    _assert_malformed_at(err, path, 6)
    assert run("export", db=db)[1] == before


def test_invalid_utf8_column_counts_characters(tmp_path, tmp_db):
    prefix = '{"format": "podium-program/1", "x": "' + "中" * 20
    rc, err, path = _import(tmp_db, tmp_path,
                            prefix.encode() + b'\xff"}')
    assert rc == 65, err
    # the bad byte is character len(prefix)+1; the character before it is
    # accepted too (it is where decoding stopped); counting bytes would
    # give 40 more
    _assert_malformed_at(err, path, 1, (len(prefix), len(prefix) + 1))


def test_malformed_crlf_line_endings(lesotho_db, tmp_path):
    db, before = lesotho_db
    lines = _malaysia_text().split("\n")
    lines[4] = lines[4].replace('"sbs",', '"sbs"', 1)
    token = lines[4].index('"name"') + 1
    rc, err, path = _import(db, tmp_path, "\r\n".join(lines).encode())
    assert rc == 65, err
    _assert_malformed_at(err, path, 5, (token - 1, token + len('"name"')))
    assert run("export", db=db)[1] == before


def test_invalid_utf8_outside_strings(tmp_path, tmp_db):
    rc, err, path = _import(tmp_db, tmp_path,
                            b'{\n"format": "podium-program/1",\xff\n}')
    assert rc == 65, err
    _assert_malformed_at(err, path, 2)


def test_duplicate_member_is_malformed(lesotho_db, tmp_path):
    db, before = lesotho_db
    lines = _malaysia_text().split("\n")
    # the line of sh-tic gets a second "name" member
    i = next(n for n, ln in enumerate(lines) if '"key": "sh-tic"' in ln)
    lines[i] = lines[i].replace('"kind": "agency"',
                                '"kind": "agency", "name": "Again"')
    rc, err, path = _import(db, tmp_path, "\n".join(lines).encode())
    assert rc == 65, err
    _assert_malformed_at(err, path, i + 1)
    assert run("export", db=db)[1] == before


def test_duplicate_member_through_escape_is_malformed(tmp_path, tmp_db):
    data = (b'{"format": "podium-program/1",\n"people": [{"key": "a", '
            b'"name": "A", "n\\u0061me": "B"}]}')
    rc, err, path = _import(tmp_db, tmp_path, data)
    assert rc == 65, err
    _assert_malformed_at(err, path, 2)
    assert db_files(tmp_db) == []


def test_top_level_not_object(tmp_path, tmp_db):
    for data in (b"[]", b'"podium-program/1"', b"42", b"null"):
        rc, err, path = _import(tmp_db, tmp_path, data)
        assert rc == 65, (data, err)
        assert err.strip(), data
        assert db_files(tmp_db) == []


def test_very_deep_nesting_does_not_crash(tmp_path, tmp_db):
    data = b'{"format": "podium-program/1", "x": ' + b"[" * 200000 + \
        b"]" * 200000 + b"}"
    rc, err, path = _import(tmp_db, tmp_path, data)
    assert rc == 65, err[-2000:]
    assert "import.max_depth" in err


# ------------------------------------------------------------ limits

def _depth(v):
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


def test_max_bytes(malaysia, lesotho_db, tmp_path):
    db, before = lesotho_db
    data = _dump(malaysia)
    assert run("set", "import.max_bytes", len(data) - 1, db=db)[0] == 0
    rc, err, path = _import(db, tmp_path, data)
    assert rc == 65, err
    assert "import.max_bytes" in err, err
    assert run("export", db=db)[1] == before
    # from standard input too
    rc, out, err = run("import", "-", input=data, db=db)
    assert rc == 65, err
    assert "import.max_bytes" in err and "<stdin>" in err, err
    assert run("export", db=db)[1] == before
    # exactly at the limit is fine
    assert run("set", "import.max_bytes", len(data), db=db)[0] == 0
    rc, err, path = _import(db, tmp_path, data)
    assert rc == 0, err


def test_max_bytes_small_limit(lesotho_db, tmp_path):
    db, before = lesotho_db
    assert run("set", "import.max_bytes", 100, db=db)[0] == 0
    rc, out, err = run("import", EXAMPLES_DIR / "malaysia-hightech-2021.json",
                       db=db)
    assert rc == 65 and "import.max_bytes" in err, err
    assert run("export", db=db)[1] == before


def test_max_depth(malaysia, lesotho_db, tmp_path):
    db, before = lesotho_db
    depth = _depth(malaysia)
    assert depth == 9  # an item's translations: ...items[0].translations.zh
    assert run("set", "import.max_depth", depth - 1, db=db)[0] == 0
    rc, err, path = _import(db, tmp_path, _dump(malaysia))
    assert rc == 65, err
    assert "import.max_depth" in err, err
    assert run("export", db=db)[1] == before
    assert run("set", "import.max_depth", depth, db=db)[0] == 0
    rc, err, path = _import(db, tmp_path, _dump(malaysia))
    assert rc == 0, err


def test_max_depth_counts_arrays_and_objects(tmp_path, tmp_db):
    """Depth is the nesting of arrays and objects, the document being 1:
    {"organizations": [{"key": ...}]} is 3 deep; its strings add nothing."""
    doc = {"format": FORMAT, "organizations": [{"key": "a", "name": "A"}]}
    assert _depth(doc) == 3
    run("init", db=tmp_db)
    assert run("set", "import.max_depth", 3, db=tmp_db)[0] == 0
    rc, err, path = _import(tmp_db, tmp_path, _dump(doc))
    assert rc == 0, err
    assert run("set", "import.max_depth", 2, db=tmp_db)[0] == 0
    doc["organizations"].append({"key": "b", "name": "B"})
    rc, err, path = _import(tmp_db, tmp_path, _dump(doc))
    assert rc == 65 and "import.max_depth" in err, err


def test_default_max_depth_is_32(tmp_path, tmp_db):
    def nested(n):  # a document of depth n: top object + n-1 arrays
        return (b'{"format": "podium-program/1", "x": ' + b"[" * (n - 1) +
                b"]" * (n - 1) + b"}")
    rc, err, path = _import(tmp_db, tmp_path, nested(33))
    assert rc == 65 and "import.max_depth" in err, err
    rc, err, path = _import(tmp_db, tmp_path, nested(32))
    assert rc == 65, err                # the unknown field "x"
    assert "import.max_depth" not in err, err
    assert has_error_at(err, path, ["x", ("", "x")]), err
