"""Hostile text in every text field: none of it reaches a page raw, the escaped
form is shown, and the API carries the exact text."""

import json
from urllib.parse import quote

import icalendar
import pytest

from podium_web import (by_key_sorted, canonical, export_json, make_db, page_text, parse_html,
                        public_view, session)

H = "<script>alert(1)</script> \"dq\" 'sq' <b>bold</b>"
RAW = ["<script>alert(1)</script>", "<b>bold</b>", "<img src=x onerror", "onerror=alert",
       "javascript:"]
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;"]
BODY = ("Hello <img src=x onerror=alert(1)> world.\n\n"
        "A [x](javascript:alert(1)) link and [y](JavaScript:alert(2)) and "
        "[z](  javascript:alert(3)).\n\n"
        "<script>alert(4)</script>\n\n"
        "Inline <b>bold</b> html. " + H.replace("<", "\\<") + " BODY-END\n\n"
        "![" + "alt <b>x</b>" + "](photo:p1)\n\n"
        "<div onclick=\"alert(5)\">block</div>\n")


def t(marker):
    """The hostile text of one field, with a marker to find it by."""
    return f"{H} {marker}"


def hostile_doc():
    orgs = [
        {"key": "evil-parent", "name": t("ORG-PARENT"), "short_name": t("SHORT"),
         "country": "CN", "kind": "ministry"},
        {"key": "evil-org", "name": t("ORG-NAME"), "kind": "department",
         "parent": "evil-parent"},
    ]
    people = [
        {"key": "evil-speaker", "name": t("PERSON-NAME"), "honorific": t("HONORIFIC"),
         "position": t("POSITION"), "organization": "evil-org", "email": "x@example.org"},
        {"key": "evil-behalf", "name": t("BEHALF-NAME"), "honorific": "Dr."},
        {"key": "evil-writer", "name": t("WRITER-NAME")},
        {"key": "evil-reviewer", "name": t("REVIEWER-NAME")},
    ]
    prog = {
        "slug": "esc", "title": t("PROGRAM-TITLE"), "kind": "seminar", "mode": "offline",
        "timezone": "Asia/Shanghai", "starts_on": "2021-12-09", "ends_on": "2021-12-10",
        "host": "evil-org", "organizer": "evil-parent", "countries": ["PE"],
        "summary": t("SUMMARY") + "\nsecond line",
        "preparation": [{"phase": "needs-analysis", "title": t("PHASE-TITLE"), "status": "doing",
                         "due": "2021-12-01", "notes": t("PHASE-NOTES")}],
        "venues": [{"key": "room", "name": t("VENUE-NAME"), "kind": "room",
                    "address": t("VENUE-ADDRESS")}],
        "sessions": [session("s1", "2021-12-09T09:00:00+08:00", "2021-12-09T10:00:00+08:00",
                             title=t("SESSION-TITLE"), venues=["room"],
                             description=t("SESSION-DESC"),
                             items=[{"kind": "speech", "speaker": "evil-speaker",
                                     "title": t("ITEM-TITLE"), "on_behalf_of": t("BEHALF-TEXT")},
                                    {"kind": "lecture", "speaker": "evil-speaker",
                                     "title": t("ITEM2-TITLE"),
                                     "on_behalf_of": "evil-behalf"}])],
        "articles": [{"key": "art", "section": "news", "title": t("ARTICLE-TITLE"),
                      "created_on": "2021-12-09", "language": "en", "status": "published",
                      "body_markdown": BODY,
                      "photos": [{"key": "p1", "caption": t("CAPTION")}],
                      "credits": {"written_by": "evil-writer", "reviewed_by": "evil-reviewer"}}],
    }
    return {"format": "podium-program/1", "organizations": orgs, "people": people,
            "programs": [prog]}


PAGES = {
    "/": ["PROGRAM-TITLE", "ORG-NAME"],
    "/programs/esc": ["PROGRAM-TITLE", "SUMMARY", "ORG-NAME", "ORG-PARENT", "PHASE-TITLE",
                      "VENUE-NAME", "VENUE-ADDRESS", "SESSION-TITLE",
                      "SESSION-DESC", "ITEM-TITLE", "BEHALF-TEXT", "PERSON-NAME", "HONORIFIC",
                      "POSITION", "ITEM2-TITLE", "BEHALF-NAME", "ARTICLE-TITLE"],
    "/programs/esc?tz=America/Lima": ["SESSION-TITLE", "ITEM-TITLE", "PERSON-NAME"],
    "/articles": ["ARTICLE-TITLE", "PROGRAM-TITLE"],
    "/programs/esc/articles/art": ["ARTICLE-TITLE", "CAPTION", "WRITER-NAME", "REVIEWER-NAME"],
    "/people/evil-speaker": ["PERSON-NAME", "HONORIFIC", "POSITION", "ORG-NAME", "ORG-PARENT",
                             "SESSION-TITLE", "PROGRAM-TITLE"],
    "/people/evil-behalf": ["BEHALF-NAME"],
    "/people/evil-writer": ["WRITER-NAME", "ARTICLE-TITLE"],
}


@pytest.fixture(scope="module")
def esc(tmp_path_factory):
    from podium_web import Server, stop_and_check
    d = tmp_path_factory.mktemp("escaping")
    db = make_db(d, hostile_doc())
    s = Server(db, d)
    yield s, db
    stop_and_check(s)


def assert_no_active_content(path, html):
    for tag, attrs, _ in parse_html(html).tags:
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/"), f"{path}: inline <script>"
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), f"{path}: <{tag} {name}=...>"
            if name in ("href", "src", "action", "formaction") and value:
                assert not value.strip().lower().startswith(("javascript:", "data:text")), \
                    f"{path}: <{tag} {name}={value!r}>"
        assert tag not in ("b", "img", "iframe", "object", "embed"), f"{path}: raw <{tag}>"


@pytest.mark.parametrize("path", list(PAGES))
def test_page_escapes_everything(esc, path):
    s, _ = esc
    html = s.html(path)
    for raw in RAW:
        assert raw.lower() not in html.lower(), f"{path}: raw {raw!r}"
    for e in ESCAPED:
        assert e in html, f"{path}: escaped {e!r} missing"
    assert_no_active_content(path, html)
    text = page_text(html)
    for marker in PAGES[path]:
        assert t(marker) in text, f"{path}: {marker} not shown as its exact text"


def test_article_body_safe_mode(esc):
    s, _ = esc
    html = s.html("/programs/esc/articles/art")
    text = page_text(html)
    assert "Hello" in text and "world." in text and "Inline" in text
    assert "onclick" not in html.lower() and "alert(5)" not in html
    assert "<script>alert(4)" not in html and "alert(2)" not in html and "alert(3)" not in html
    # the backslash-escaped hostile text of the body is shown as text
    assert t("BODY-END") in text
    # the links keep their text, without their javascript: target
    for word in ("x", "y", "z"):
        assert f"{word}</a>" in html or f" {word} " in text, word
    p = parse_html(html)
    figures = [stack for tag, _, stack in p.tags if tag == "figure"]
    assert len(figures) == 1
    assert "p" not in figures[0], "a <figure> inside a <p>"
    caps = [c for c in html.split("<figcaption")[1:]]
    assert len(caps) == 1
    assert t("CAPTION") in page_text("<figcaption" + caps[0].split("</figcaption>")[0] + ">")


def test_hostile_tz_parameter_not_reflected(esc):
    s, _ = esc
    bad = "\"><script>alert(1)</script>"
    r = s.get(f"/programs/esc?tz={quote(bad)}")
    assert r.status == 400
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert_no_active_content("?tz=", r.text)


def test_hostile_path_not_reflected(esc):
    s, _ = esc
    r = s.get("/programs/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status in (400, 404)
    assert "<script>alert(1)" not in r.text
    r = s.get("/people/%22%3E%3Cb%3Ebold%3C%2Fb%3E")
    assert r.status in (400, 404)
    assert "<b>bold" not in r.text


def test_api_carries_exact_text(esc):
    s, db = esc
    api = s.get_ok("/api/v1/programs/esc").json()
    src = hostile_doc()
    prog = api["programs"][0]
    sp = src["programs"][0]
    assert prog["title"] == sp["title"]
    assert prog["summary"] == sp["summary"]
    # a phase's working notes are the managers' own: never in the public API
    assert prog["preparation"] == [{k: v for k, v in ph.items() if k != "notes"}
                                   for ph in sp["preparation"]]
    assert prog["venues"] == sp["venues"]
    assert prog["sessions"][0]["items"] == sp["sessions"][0]["items"]
    assert prog["sessions"][0]["description"] == sp["sessions"][0]["description"]
    assert prog["articles"][0]["body_markdown"] == BODY
    assert prog["articles"][0]["photos"] == sp["articles"][0]["photos"]
    people = {p["key"]: p for p in api["people"]}
    want = {p["key"]: {k: v for k, v in p.items() if k != "email"} for p in src["people"]}
    assert people == want
    assert by_key_sorted({"organizations": api["organizations"]}) == \
        by_key_sorted({"organizations": src["organizations"]})
    assert by_key_sorted(canonical(api)) == by_key_sorted(public_view(export_json(db, "esc"),
                                                                      "esc"))
    assert api == json.loads(s.get_ok("/api/v1/programs/esc").body)
    listing = s.get_ok("/api/v1/programs").json()
    assert listing["programs"][0]["title"] == sp["title"]


def test_ics_carries_exact_text(esc):
    s, _ = esc
    cal = icalendar.Calendar.from_ical(s.get_ok("/programs/esc/timetable.ics").body)
    ev = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(ev) == 1
    assert str(ev[0]["SUMMARY"]) == t("SESSION-TITLE")
    assert t("VENUE-NAME") in str(ev[0]["LOCATION"])
    assert t("ITEM-TITLE") in str(ev[0]["DESCRIPTION"])


@pytest.mark.parametrize("path", ["/articles.atom", "/programs/esc/articles.atom"])
def test_feed_carries_exact_text(esc, path):
    import xml.etree.ElementTree as ET
    import feedparser
    s, _ = esc
    r = s.get_ok(path)
    f = feedparser.parse(r.body)
    assert not f.bozo, f.get("bozo_exception")
    entry = f.entries[0]
    assert entry.title == t("ARTICLE-TITLE")
    assert entry.author == t("WRITER-NAME")
    assert entry.summary == "Hello world."  # the first paragraph as text: its raw HTML left out
    if path != "/articles.atom":
        assert f.feed.title == t("PROGRAM-TITLE")
    # the HTML of the content is the page's, safe mode included, escaped once for XML
    ns = "{http://www.w3.org/2005/Atom}"
    html = ET.fromstring(r.body).find(f"{ns}entry/{ns}content").text
    for raw in RAW:
        assert raw.lower() not in html.lower(), f"{path}: raw {raw!r} in the content"
    assert t("BODY-END").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in html
    assert "alert(4)" not in html and "onclick" not in html


def test_link_preview_escaped(esc):
    s, _ = esc
    metas = {a.get("property") or a.get("name"): a.get("content")
             for tag, a, _ in parse_html(s.html("/programs/esc/articles/art")).tags if tag == "meta"}
    assert metas["og:title"] == metas["twitter:title"] == t("ARTICLE-TITLE")
    assert metas["og:description"] == "Hello world."
