"""Nothing private reaches a public page or API answer: e-mail addresses,
join links, unpublished articles, people who are not public, organizations
named only by them. Every page reachable from / is crawled (the Atom feeds
too, linked from the pages' heads), plus every API answer, every .ics,
/sitemap.xml and /robots.txt."""

import json
import re

import pytest

from podium_web import (by_key_sorted, canonical, crawl, export_json, make_db, page_text,
                        public_view, session)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
JOIN_URL = "https://meet.example.net/j/SECRET-JOIN-4471?pwd=hunter2"

HIDDEN_PEOPLE = {  # key -> name: nobody public
    "zed-hidden": "Zed Hiddenname",
    "ada-attendee": "Ada Attendeename",
    "sta-staff": "Sta Staffname",
    "dra-drafter": "Dra Draftername",
    "ire-inreview": "Ire Inreviewname",
}
SECRETS = ["DRAFT-TITLE-9921", "DRAFT-BODY-5517", "DRAFT-CAPTION-8804", "INREVIEW-TITLE-3390",
           "INREVIEW-BODY-6620", "SECRET-JOIN-4471", "meet.example.net", "hunter2"]


def person(key, name, **kw):
    p = {"key": key, "name": name, "email": f"{key}.mail@private-mail.example.org"}
    p.update(kw)
    return p


def privacy_doc():
    orgs = [
        {"key": "host-org", "name": "Host Ministry", "country": "CN", "kind": "ministry"},
        {"key": "org-school", "name": "Organizing School", "country": "CN", "kind": "school"},
        {"key": "secret-org", "name": "Secretive Org Name", "country": "LS", "kind": "company"},
        {"key": "secret-child", "name": "Secretive Child Unit", "kind": "department",
         "parent": "secret-org"},
    ]
    people = [
        person("pat-speaker", "Pat Speakername", honorific="Dr.", position="Lecturer",
               organization="org-school"),
        person("bea-behalf", "Bea Behalfname", position="Minister"),
        person("wen-writer", "Wen Writername"),
        person("rui-reviewer", "Rui Reviewername"),
        person("pho-photo", "Pho Photographername"),
        person("cross-person", "Cross Personname", country="PE"),
        person("zed-hidden", "Zed Hiddenname", organization="secret-child", country="LS"),
        person("ada-attendee", "Ada Attendeename"),
        person("sta-staff", "Sta Staffname"),
        person("dra-drafter", "Dra Draftername"),
        person("ire-inreview", "Ire Inreviewname"),
    ]
    published = {
        "key": "published-one", "section": "activity-highlights", "title": "Published headline",
        "created_on": "2021-12-09", "language": "en", "status": "published",
        "body_markdown": "Public body text.\n\n![Public caption](photo:pub)\n",
        "photos": [{"key": "pub", "caption": "Public caption"}],
        "credits": {"written_by": "wen-writer", "photographed_by": "pho-photo",
                    "reviewed_by": "rui-reviewer"}}
    draft = {
        "key": "draft-one", "section": "news", "title": "Draft headline DRAFT-TITLE-9921",
        "created_on": "2021-12-10", "language": "en", "status": "draft",
        "body_markdown": "DRAFT-BODY-5517 is secret.\n\n![x](photo:dp)\n",
        "photos": [{"key": "dp", "caption": "DRAFT-CAPTION-8804"}],
        "credits": {"written_by": "dra-drafter"}}
    in_review = {
        "key": "review-one", "section": "notice", "title": "Review headline INREVIEW-TITLE-3390",
        "created_on": "2021-12-11", "language": "en", "status": "in-review",
        "body_markdown": "INREVIEW-BODY-6620 is secret too.",
        "credits": {"written_by": "ire-inreview", "reviewed_by": "dra-drafter"}}
    a = {
        "slug": "priv-a", "title": "Privacy program A", "kind": "workshop", "mode": "hybrid",
        "timezone": "Asia/Shanghai", "starts_on": "2021-12-09", "ends_on": "2021-12-12",
        "host": "host-org", "organizer": "org-school", "countries": ["LS"], "capacity": 10,
        "venues": [{"key": "room", "name": "Room One", "kind": "room", "address": "1 Road"},
                   {"key": "online", "name": "Online room", "kind": "online", "url": JOIN_URL}],
        "enrolments": [
            {"person": "zed-hidden", "role": "participant", "status": "confirmed"},
            {"person": "ada-attendee", "role": "guest", "status": "registered"},
            {"person": "sta-staff", "role": "staff", "status": "confirmed"},
            {"person": "pat-speaker", "role": "speaker", "status": "confirmed"},
        ],
        "sessions": [
            session("opening", "2021-12-09T09:00:00+08:00", "2021-12-09T10:00:00+08:00",
                    title="Opening", venues=["room", "online"],
                    attendees=["zed-hidden", "ada-attendee", "sta-staff"],
                    items=[{"kind": "speech", "speaker": "pat-speaker", "title": "Welcome",
                            "on_behalf_of": "bea-behalf"},
                           {"kind": "lecture", "speaker": "cross-person", "title": "Cross talk"}]),
            session("online-only", "2021-12-10T09:00:00+08:00", "2021-12-10T10:00:00+08:00",
                    title="Online lecture", venues=["online"]),
        ],
        "articles": [published, draft, in_review],
    }
    b = {
        "slug": "priv-b", "title": "Privacy program B", "kind": "forum", "mode": "online",
        "timezone": "Asia/Shanghai", "starts_on": "2022-01-09", "ends_on": "2022-01-10",
        "host": "host-org", "organizer": "org-school",
        "enrolments": [{"person": "cross-person", "role": "participant", "status": "confirmed"}],
        "sessions": [session("only", "2022-01-09T09:00:00+08:00", "2022-01-09T10:00:00+08:00",
                             items=[{"kind": "lecture", "speaker": "pat-speaker",
                                     "title": "B lecture"}])],
    }
    return {"format": "podium-program/1", "organizations": orgs, "people": people,
            "programs": [a, b]}


@pytest.fixture(scope="module")
def priv(tmp_path_factory):
    from podium_web import Server, stop_and_check
    d = tmp_path_factory.mktemp("privacy")
    db = make_db(d, privacy_doc())
    s = Server(db, d)
    yield s, db
    stop_and_check(s)


@pytest.fixture(scope="module")
def everything(priv):
    """{path: Response} of every crawled page, API answer and calendar."""
    s, _ = priv
    pages = crawl(s, "/")
    for path in ("/api/v1/programs", "/api/v1/programs/priv-a", "/api/v1/programs/priv-b",
                 "/programs/priv-a/timetable.ics", "/programs/priv-b/timetable.ics",
                 "/articles", "/people/pat-speaker", "/sitemap.xml", "/robots.txt",
                 "/articles.atom", "/programs/priv-a/articles.atom", "/programs/priv-b/articles.atom"):
        if path not in pages:
            pages[path] = s.get(path)
    return pages


def test_crawl_reaches_the_site(everything):
    paths = set(everything)
    for p in ("/", "/programs/priv-a", "/programs/priv-b", "/articles",
              "/programs/priv-a/articles/published-one", "/people/pat-speaker",
              "/people/bea-behalf", "/people/wen-writer", "/people/pho-photo",
              "/people/rui-reviewer", "/people/cross-person", "/programs/priv-a/timetable.ics"):
        assert p in paths, f"{p} is not reachable from /"
        # the crawl follows the language links: every check below reads each page in Chinese too
        if p.endswith(".ics"):
            continue
        zh = p + ("&" if "?" in p else "?") + "lang=zh"
        assert zh in paths and '<html lang="zh">' in everything[zh].text, f"{zh} is not reachable from /"
    bad = {p: r.status for p, r in everything.items() if r.status != 200}
    assert not bad, f"links to pages that are not 200: {bad}"
    # the feeds are reached through the pages' <link rel="alternate">
    for p in ("/articles.atom", "/programs/priv-a/articles.atom"):
        assert p in paths and everything[p].header("Content-Type").startswith("application/atom+xml")


def test_sitemap_lists_only_public_pages(everything):
    """What the sitemap lists is what the crawl reaches from /, and nothing else."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit
    root = ET.fromstring(everything["/sitemap.xml"].body)
    listed = {urlsplit(u.text).path for u in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed, "an empty sitemap"
    assert not listed - set(everything), f"listed but not reachable from /: {listed - set(everything)}"
    reached = {p for p, r in everything.items() if "?" not in p and p != "/login" and
               (r.header("Content-Type") or "").startswith("text/html")}  # the sign-in form is no content
    assert not reached - listed, f"public pages missing from the sitemap: {reached - listed}"


def test_no_email_anywhere(everything):
    for path, r in everything.items():
        body = r.body.decode("utf-8", "replace")
        assert "private-mail" not in body, path
        m = EMAIL_RE.search(body)
        assert not m, f"{path}: e-mail-like text {m.group(0)!r}"
        for h, v in r.headers.items():
            assert "private-mail" not in v, (path, h)


def test_no_join_link_anywhere(everything):
    for path, r in everything.items():
        body = r.body.decode("utf-8", "replace")
        for secret in ("SECRET-JOIN-4471", "meet.example.net", "hunter2"):
            assert secret not in body, f"{path} shows the join link ({secret})"


def test_no_unpublished_article_anywhere(everything, priv):
    for path, r in everything.items():
        body = r.body.decode("utf-8", "replace")
        for secret in SECRETS:
            assert secret not in body, f"{path} shows {secret}"
        assert "draft-one" not in body and "review-one" not in body, path
    s, _ = priv
    for key in ("draft-one", "review-one"):
        r = s.get(f"/programs/priv-a/articles/{key}")
        assert r.status == 404
        assert not any(x in r.text for x in SECRETS)


def test_no_hidden_person_anywhere(everything, priv):
    for path, r in everything.items():
        body = r.body.decode("utf-8", "replace")
        for key, name in HIDDEN_PEOPLE.items():
            assert name not in body, f"{path} names {name}"
            assert f"/people/{key}" not in body, f"{path} links {key}"
            if path.startswith("/api/"):
                assert f'"{key}"' not in body, f"{path} holds {key}"
    s, _ = priv
    for key in HIDDEN_PEOPLE:
        r = s.get(f"/people/{key}")
        assert r.status == 404, key
        assert HIDDEN_PEOPLE[key] not in r.text


def test_public_people_have_pages(priv):
    s, _ = priv
    for key, name in (("pat-speaker", "Pat Speakername"), ("bea-behalf", "Bea Behalfname"),
                      ("wen-writer", "Wen Writername"), ("pho-photo", "Pho Photographername"),
                      ("rui-reviewer", "Rui Reviewername"), ("cross-person", "Cross Personname")):
        assert name in page_text(s.html(f"/people/{key}"))


def test_participant_counted_not_named(priv):
    s, _ = priv
    text = page_text(s.html("/programs/priv-a"))
    assert "Zed Hiddenname" not in text
    assert "Lesotho" in text  # counted by his country
    assert "Privacy program A" in text


def test_api_document_a(priv):
    s, db = priv
    api = s.get_ok("/api/v1/programs/priv-a").json()
    body = json.dumps(api)
    assert "secret-org" not in body and "Secretive" not in body
    assert "secret-child" not in body
    prog = api["programs"][0]
    assert "enrolments" not in prog
    assert all("url" not in v for v in prog["venues"])
    assert [a["key"] for a in prog["articles"]] == ["published-one"]
    assert {p["key"] for p in api["people"]} == {"pat-speaker", "bea-behalf", "cross-person",
                                                  "wen-writer", "pho-photo", "rui-reviewer"}
    assert by_key_sorted(canonical(api)) == by_key_sorted(public_view(export_json(db, "priv-a"),
                                                                      "priv-a"))


def test_api_document_b_person_public_elsewhere_only(priv):
    s, db = priv
    api = s.get_ok("/api/v1/programs/priv-b").json()
    keys = {p["key"] for p in api.get("people", [])}
    assert keys == {"pat-speaker"}, "cross-person is only a participant of priv-b"
    assert "Cross Personname" not in json.dumps(api)
    assert by_key_sorted(canonical(api)) == by_key_sorted(public_view(export_json(db, "priv-b"),
                                                                      "priv-b"))


@pytest.mark.parametrize("slug", ["priv-a", "priv-b"])
def test_api_document_imports(priv, tmp_path, slug):
    from podium_web import run
    s, _ = priv
    r = s.get_ok(f"/api/v1/programs/{slug}")
    p = tmp_path / "api.json"
    p.write_bytes(r.body)
    rc, _, err = run("import", p, db=tmp_path / "fresh.db")
    assert rc == 0, err
    back = export_json(tmp_path / "fresh.db", slug)
    assert by_key_sorted(canonical(back)) == by_key_sorted(canonical(r.json()))
