"""Every route of `podium serve` and what it shows, over the examples and a few
generated databases (the issue "podium serve" is the contract)."""

import re
import socket

import pytest

from podium_web import (LESOTHO, MALAYSIA, NOW, SAFETY, assert_in_order, base_orgs, base_people, doc_of,
                        links, make_db, many_programs_doc, page_text, parse_html,
                        program)

HTML = "text/html; charset=utf-8"
PROGRAM_PATH = f"/programs/{MALAYSIA}"
ARTICLE_PATH = f"/programs/{MALAYSIA}/articles/opening-kicked-off"


# ------------------------------------------------------------- /

def test_index_lists_every_program_with_facts(server):
    html = server.html("/")
    text = page_text(html)
    hrefs = links(html)
    for slug in (MALAYSIA, LESOTHO, SAFETY):
        assert f"/programs/{slug}" in hrefs
    for needle in ("Seminar on Manufacturing Industry and Textile Development for Lesotho",
                   "9 December 2021", "22 December 2021", "29 June 2022", "2 April 2024",
                   "Ministry of Commerce", "Malaysia", "Lesotho", "Uzbekistan", "Peru"):
        assert needle in text, needle
    assert "hybrid" in text.lower() and "offline" in text.lower()
    # dates are never numeric day/month
    assert not re.search(r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b", text)


def _program_order(html):
    return [h.split("/")[2] for h in links(html)
            if re.fullmatch(r"/programs/[a-z0-9-]+", h)]


def test_index_orders_by_now_in_each_programs_zone(tmp_path, start_server):
    # now = 2021-12-10T12:00+08:00 = 04:00Z: Lima is still on 9 December
    progs = [
        program("g-past", zone="Asia/Shanghai", starts_on="2021-10-01", ends_on="2021-10-10"),
        program("e-up-later", zone="Etc/UTC", starts_on="2022-03-01", ends_on="2022-03-05"),
        program("a-running", zone="Asia/Shanghai", starts_on="2021-12-01", ends_on="2021-12-25"),
        program("h-past-older", zone="Asia/Shanghai", starts_on="2021-06-01", ends_on="2021-06-05"),
        program("c-up-lima", zone="America/Lima", starts_on="2021-12-10", ends_on="2021-12-12"),
        program("f-past-kiri", zone="Pacific/Kiritimati", starts_on="2021-12-02",
                ends_on="2021-12-08"),
        program("b-lima-lastday", zone="America/Lima", starts_on="2021-11-28",
                ends_on="2021-12-09"),
        program("d-up", zone="Asia/Shanghai", starts_on="2022-01-10", ends_on="2022-01-20"),
    ]
    db = make_db(tmp_path, doc_of(progs))
    s = start_server(db, now=NOW)
    got = _program_order(s.html("/"))
    assert got == ["b-lima-lastday", "a-running", "c-up-lima", "d-up", "e-up-later",
                   "f-past-kiri", "g-past", "h-past-older"]
    # much later every program is past: latest end first
    s2 = start_server(db, now="2023-01-01T00:00:00Z")
    assert _program_order(s2.html("/")) == [
        "e-up-later", "d-up", "a-running", "c-up-lima", "b-lima-lastday", "f-past-kiri",
        "g-past", "h-past-older"]


@pytest.fixture(scope="module")
def many_server(tmp_path_factory):
    from podium_web import Server, stop_and_check
    d = tmp_path_factory.mktemp("many")
    db = make_db(d, many_programs_doc(120))
    s = Server(db, d, now="2030-01-01T00:00:00Z")
    yield s
    stop_and_check(s)


def test_index_pagination_50_50_20(many_server):
    s = many_server
    pages = []
    for n in (1, 2, 3):
        path = "/" if n == 1 else f"/?page={n}"
        html = s.html(path)
        pages.append(_program_order(html))
        nxt = [h for h in links(html) if re.search(r"[?&]page=%d\b" % (n + 1), h)]
        if n < 3:
            assert nxt, f"page {n} has no link to page {n + 1}"
        else:
            assert not nxt, "the last page links to a next page"
    assert [len(p) for p in pages] == [50, 50, 20]
    everything = pages[0] + pages[1] + pages[2]
    assert sorted(everything) == [f"gen-{i:03d}" for i in range(120)]
    # all past: latest first
    assert everything == [f"gen-{i:03d}" for i in reversed(range(120))]


def test_articles_pagination_newest_first(many_server):
    s = many_server
    titles = []
    for n in (1, 2, 3):
        html = s.html("/articles" if n == 1 else f"/articles?page={n}")
        got = re.findall(r"Generated article (\d{3})", page_text(html))
        titles.append(got)
    assert [len(t) for t in titles] == [50, 50, 20]
    assert titles[0] + titles[1] + titles[2] == [f"{i:03d}" for i in reversed(range(120))]


# ------------------------------------------------------------- /programs/SLUG

def test_program_page_malaysia(server):
    html = server.html(PROGRAM_PATH)
    text = page_text(html)
    for needle in ("Seminar on the Development Prospects of High Technology (How to Incubate "
                   "and Cultivate Industries) for Malaysia",
                   "Times in Asia/Shanghai, UTC+08:00", "09:00–10:30", "9 December 2021",
                   "22 December 2021", "Malaysia", "English", "Ministry of Commerce",
                   "MOFCOM Training Base for International Business Officials (Shanghai)",
                   "sharing China's experience", "Opening Ceremony",
                   "on behalf of all participants", "Offline venue", "Online meeting room",
                   "Training needs analysis", "Implementation plan determined"):
        assert needle in text, needle
    low = text.lower()
    assert "seminar" in low and "hybrid" in low and "ceremony" in low and "done" in low
    assert "59" in text  # capacity
    # participants against the capacity first, then the other roles by name
    assert "1 confirmed of 59 places" in text
    roles = page_text(re.search(r'<dl class="roles">.*?</dl>', html, re.S).group(0))
    assert_in_order(roles, ["Participants", "1 confirmed of 59 places", "Confirmed 1",
                            "Guests", "Confirmed 5", "Staff", "Confirmed 2"])
    assert not re.search(r"\b12/9\b|\b9/12\b|2021-12-09", text)


def test_program_page_speeches_in_order_with_links(server):
    html = server.html(PROGRAM_PATH)
    text = page_text(html)
    speakers = ["liu-beimin", "yu-jun", "li-taikang", "huang-lihong", "he-ying", "lim-kai-hau"]
    people_links = [h for h in links(html) if h.startswith("/people/")]
    assert [h for h in people_links if h != "/people/chang-qingxin"][:6] == \
        [f"/people/{k}" for k in speakers]
    assert "/people/chang-qingxin" in people_links
    assert_in_order(text, [
        "Ms. Liu Beimin", "Investigator", "Opening speech", "on behalf of the project organizer",
        "Mr. Yu Jun", "Counsellor (political affairs)",
        "A cooperation case: Regaltech Technology Company and Alibaba Cloud",
        "Li Taikang", "Congratulations from the Malaysia-China Business Council",
        "on behalf of", "Datuk Seri Chang Qingxin",
        "Ms. Huang Lihong", "Director", "Policy system and practical cases of high-tech industry",
        "Ms. He Ying", "Vice President", "Preparation work and training arrangements",
        "Mr. Lim Kai Hau", "Assistant Director", "Speech on behalf of all participants",
        "on behalf of all participants"])


def test_program_page_participants_counted_not_listed(server):
    text = page_text(server.html(f"/programs/{SAFETY}"))
    for country in ("Peru", "Ethiopia", "Iraq", "Nigeria", "Uzbekistan"):
        assert country in text
    # participants by organization (of the participant)
    for org in ("National Defense Institute of Competition and Intellectual Property Protection",
                "Government of the Central State of Ethiopia", "Iraq Haymed Company",
                "Nigerian Industry, Commerce and Mining Association"):
        assert org in text
    # Malaysia: the one participant has no country of his own: his organization's (MY)
    html = server.html(PROGRAM_PATH)
    tables = re.findall(r"<table.*?</table>", html, re.S)
    assert tables, "participants by country / organization"
    ttext = page_text(" ".join(tables))
    assert "Malaysia" in ttext and "Legal Affairs Division, Prime Minister's Department" in ttext
    assert "Lim Kai Hau" not in ttext and "Samuel Lee" not in page_text(html)


def test_program_page_names_organizations_up_to_the_top(tmp_path, start_server):
    """A participant's organization is named with its parents up to the top, three deep: the
    store's recursive query (in its PostgreSQL form on that backend) finds every one, and
    only those: an organization no participant or public person names is not on the page."""
    orgs = base_orgs() + [
        {"key": "top", "name": "Top Ministry", "country": "KE", "kind": "ministry"},
        {"key": "mid", "name": "Middle Bureau", "country": "KE", "kind": "department", "parent": "top"},
        {"key": "low", "name": "Low Office", "country": "KE", "kind": "department", "parent": "mid"},
        {"key": "aside", "name": "Unnamed Agency", "country": "KE", "kind": "agency", "parent": "top"},
    ]
    people = base_people() + [{"key": "amina", "name": "Amina Otieno", "organization": "low"}]
    p = program("chain-test", enrolments=[{"person": "amina", "role": "participant", "status": "confirmed"}])
    s = start_server(make_db(tmp_path, doc_of([p], orgs, people)))
    text = page_text(s.html("/programs/chain-test"))
    assert "Low Office, Middle Bureau, Top Ministry" in text
    assert "Unnamed Agency" not in text
    assert "Amina Otieno" not in text  # counted, not listed


def test_program_page_published_articles_only(server):
    assert ARTICLE_PATH in links(server.html(PROGRAM_PATH))
    html = server.html(f"/programs/{LESOTHO}")
    assert "/articles/grandly-opened" not in html
    assert "grandly opened" not in html
    assert "Speech as a representative of the new trainees" in page_text(html)
    assert "Live online broadcast to the trainees in Lesotho" in page_text(html)


def test_program_page_languages_and_countries_by_english_name(tmp_path, start_server):
    p = program("lang-test", countries=["ET", "LS"], languages=["fr", "zh"])
    s = start_server(make_db(tmp_path, doc_of([p])))
    text = page_text(s.html("/programs/lang-test"))
    for name in ("Ethiopia", "Lesotho", "French", "Chinese"):
        assert name in text, name


def test_program_page_unknown_slug_404(server):
    r = server.get("/programs/no-such-program")
    assert r.status == 404
    assert r.header("Content-Type") == HTML


def test_tz_form_is_a_get_form(server):
    p = parse_html(server.html(PROGRAM_PATH))
    forms = [a for t, a, _ in p.tags if t == "form"]
    assert any((f.get("method") or "get").lower() == "get" for f in forms)
    assert any(t in ("input", "select") and a.get("name") == "tz" for t, a, _ in p.tags)


# ------------------------------------------------------------- articles

def test_article_page(server):
    html = server.html(ARTICLE_PATH)
    text = page_text(html)
    assert "Seminar on the Development Prospects of High Technology (How to Incubate and " \
           "Cultivate Industries) for Malaysia Kicked Off" in text
    assert "activity highlights" in text.lower() or "activity-highlights" in text.lower()
    assert "9 December 2021" in text
    assert "the Opening Ceremony for the seminar" in text
    p = parse_html(html)
    figures = [t for t in p.tags if t[0] == "figure"]
    assert len(figures) == 8
    for tag, attrs, stack in p.tags:
        if tag == "figure":
            assert "p" not in stack, "a <figure> inside a <p>"
        assert tag != "img", f"an <img> without an image file: {attrs}"
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S)
    assert [page_text(c).strip() for c in captions] == [
        "The offline venue", "The online photo", "The speech of Liu Beimin",
        "The speech of Yu Jun", "The speech of Li Taikang", "The speech of Huang Lihong",
        "The speech of He Ying", "The speech of Lim Kai Hau"]
    hrefs = links(html)
    for k in ("guan-rui", "zhou-dejiang", "chen-wei"):
        assert f"/people/{k}" in hrefs
    low = text.lower()
    assert "written" in low and "photographed" in low and "reviewed" in low


def test_article_lang_attribute(tmp_path, start_server):
    art = {"key": "bonjour", "section": "notice", "title": "Avis aux participants",
           "created_on": "2021-12-09", "language": "fr", "status": "published",
           "body_markdown": "Bonjour.\n\n![Une photo](photo:une)\n",
           "photos": [{"key": "une", "caption": "Une légende"}],
           "credits": {"written_by": "wen-writer", "reviewed_by": "rui-reviewer"}}
    s = start_server(make_db(tmp_path, doc_of([program("fr-prog", articles=[art])])))
    html = s.html("/programs/fr-prog/articles/bonjour")
    p = parse_html(html)
    # an element with lang="fr" holds the title and the body
    fr = [i for i, (t, a, _) in enumerate(p.tags) if a.get("lang") == "fr"]
    assert fr, 'no element with lang="fr"'
    assert re.search(r'lang="fr"[^>]*>.*Avis aux participants.*Bonjour', html, re.S)
    assert "Une légende" in page_text(html)
    assert "notice" in page_text(html).lower()
    assert not any(t == "img" for t, _, _ in p.tags)


def test_unpublished_articles_404(server):
    for path in (f"/programs/{LESOTHO}/articles/grandly-opened",
                 f"/programs/{SAFETY}/articles/opening-inaugurated",
                 f"/programs/{MALAYSIA}/articles/no-such-article"):
        r = server.get(path)
        assert r.status == 404, path
        assert "grandly opened" not in r.text and "Inaugurated" not in r.text


def test_articles_index(server):
    html = server.html("/articles")
    hrefs = links(html)
    assert ARTICLE_PATH in hrefs
    assert f"/programs/{MALAYSIA}" in hrefs
    assert "grandly-opened" not in html and "opening-inaugurated" not in html
    text = page_text(html)
    assert "activity highlights" in text.lower() or "activity-highlights" in text.lower()


def test_articles_index_newest_first(tmp_path, start_server):
    def art(key, day):
        return {"key": key, "section": "news", "title": f"Article {key}", "created_on": day,
                "language": "en", "status": "published", "body_markdown": "x",
                "credits": {"written_by": "wen-writer", "reviewed_by": "rui-reviewer"}}
    progs = [program("p-one", articles=[art("old", "2021-01-02"), art("newest", "2021-12-09")]),
             program("p-two", articles=[art("middle", "2021-06-01")])]
    s = start_server(make_db(tmp_path, doc_of(progs)))
    text = page_text(s.html("/articles"))
    assert_in_order(text, ["Article newest", "Article middle", "Article old"])


# ------------------------------------------------------------- people

@pytest.mark.parametrize("key,needles", [
    ("liu-beimin", ["Ms.", "Liu Beimin", "Investigator", "Foreign Economics and Cooperation Division",
                    "Shanghai Municipal Commission of Commerce", "Opening Ceremony",
                    "Opening speech"]),
    ("chang-qingxin", ["Datuk Seri", "Chang Qingxin", "Malaysia-China Business Council"]),
    ("guan-rui", ["Guan Rui", "Writer", "International Education College",
                  "Shanghai Business School"]),
    ("zhou-dejiang", ["Zhou Dejiang"]),
    ("shoshoe", ["Shoshoe", "Speech as a representative of the new trainees"]),
])
def test_public_person_pages(server, key, needles):
    html = server.html(f"/people/{key}")
    text = page_text(html)
    for n in needles:
        assert n in text, n


def test_person_page_links_sessions_programs_and_articles(server):
    assert f"/programs/{MALAYSIA}" in links(server.html("/people/liu-beimin"))
    assert ARTICLE_PATH in links(server.html("/people/guan-rui"))


@pytest.mark.parametrize("key", ["samuel-lee", "li-nan", "no-such-person", "mofcom"])
def test_non_public_person_404(server, key):
    r = server.get(f"/people/{key}")
    assert r.status == 404
    assert r.header("Content-Type") == HTML
    assert "Samuel Lee" not in r.text and "Li Nan" not in r.text


# ------------------------------------------------------------- misc routes

def test_healthz(server):
    r = server.get("/healthz")
    assert r.status == 200


def test_static_files_hashed_and_immutable(server):
    html = server.html("/")
    statics = sorted({h for h in links(html) if h.startswith("/static/")})
    exts = {h.rsplit(".", 1)[1] for h in statics}
    assert {"css", "js"} <= exts, statics
    assert any("favicon" in h for h in statics), statics
    for h in statics:
        assert re.fullmatch(r"/static/[A-Za-z0-9_-]+\.[0-9a-f]{6,}\.[a-z]+", h), h
        r = server.get(h)
        assert r.status == 200, h
        cc = r.header("Cache-Control") or ""
        assert "max-age=31536000" in cc and "immutable" in cc, (h, cc)
        ctype = r.header("Content-Type")
        want = {"css": "text/css", "js": "javascript", "svg": "image/svg+xml"}[h.rsplit(".", 1)[1]]
        assert want in ctype, (h, ctype)
    css = next(h for h in statics if h.endswith(".css"))
    stem = css.rsplit(".", 2)[0]
    assert server.get(f"{stem}.000000000000.css").status == 404


def test_unknown_path_404(server):
    for path in ("/nope", "/programs", "/programs/", f"/programs/{MALAYSIA}/nope",
                 "/static/nope.css", "/people/"):
        r = server.get(path)
        assert r.status == 404, path


@pytest.mark.parametrize("path", ["/", PROGRAM_PATH, "/articles", "/people/liu-beimin",
                                  ARTICLE_PATH, "/api/v1/programs", "/healthz",
                                  f"/programs/{MALAYSIA}/timetable.ics"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_other_methods_405_with_allow(server, path, method):
    r = server.request(path, method=method, body=b"" if method != "DELETE" else None)
    assert r.status == 405, (method, path, r.status)
    allow = {m.strip() for m in (r.header("Allow") or "").split(",")}
    assert {"GET", "HEAD"} <= allow, r.header("Allow")
    assert method not in allow


def test_unknown_zone_400(server):
    r = server.get(f"{PROGRAM_PATH}?tz=Nope/Zone")
    assert r.status == 400
    assert r.header("Content-Type") == HTML
    assert "Nope/Zone" in page_text(r.text)


# ------------------------------------------------------------- HEAD, ETag, keep-alive

def _raw(server, data, timeout=5):
    with socket.create_connection((server.host, server.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            if not b:
                break
            chunks.append(b)
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["/", PROGRAM_PATH, ARTICLE_PATH, "/api/v1/programs",
                                  f"/programs/{MALAYSIA}/timetable.ics", "/healthz"])
def test_head_has_headers_and_no_body(server, path):
    get = server.get_ok(path)
    raw = _raw(server, f"HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:100]
    assert body == b"", f"HEAD {path} answered {len(body)} body bytes"
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    assert headers.get("content-type") == get.header("Content-Type")
    if get.header("ETag"):
        assert headers.get("etag") == get.header("ETag")
    if "content-length" in headers:
        assert int(headers["content-length"]) == len(get.body)


@pytest.mark.parametrize("path", ["/", PROGRAM_PATH, ARTICLE_PATH, "/articles",
                                  "/people/liu-beimin", f"/api/v1/programs/{MALAYSIA}",
                                  f"/programs/{MALAYSIA}/timetable.ics"])
def test_etag_and_304(server, path):
    r = server.get_ok(path)
    etag = r.header("ETag")
    assert etag, f"{path}: no ETag"
    r2 = server.get(path, headers={"If-None-Match": etag})
    assert r2.status == 304, (path, r2.status)
    assert r2.body == b""
    assert r2.header("ETag") == etag
    r3 = server.get(path, headers={"If-None-Match": '"not-the-etag"'})
    assert r3.status == 200 and r3.body == r.body


def test_keep_alive_several_requests_on_one_connection(server):
    conn = server.connection()
    try:
        sock = None
        for path in ("/", PROGRAM_PATH, "/healthz", "/api/v1/programs", "/nope", "/"):
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            assert r.status in (200, 404)
            assert not r.will_close, f"server closes the connection after {path}"
            if sock is None:
                sock = conn.sock
            assert conn.sock is sock, "a new connection was opened"
    finally:
        conn.close()


def test_photo_in_running_text_is_not_a_figure_inside_a_paragraph(tmp_path, start_server):
    art = {"key": "inline", "section": "news", "title": "Inline photos",
           "created_on": "2021-12-09", "language": "en", "status": "published",
           "body_markdown": ("Before the photo ![First caption](photo:one) after the photo.\n\n"
                             "> quoted ![Second caption](photo:two) text\n\n"
                             "* item ![Third caption](photo:three)\n"),
           "photos": [{"key": "one", "caption": "First caption"},
                      {"key": "two", "caption": "Second caption"},
                      {"key": "three", "caption": "Third caption"}],
           "credits": {"written_by": "wen-writer", "reviewed_by": "rui-reviewer"}}
    s = start_server(make_db(tmp_path, doc_of([program("inline-prog", articles=[art])])))
    html = s.html("/programs/inline-prog/articles/inline")
    p = parse_html(html)
    for tag, attrs, stack in p.tags:
        assert tag != "img", "an <img> without an image file"
        if tag == "figure":
            assert "p" not in stack, "a <figure> inside a <p>"
    text = page_text(html)
    for c in ("First caption", "Second caption", "Third caption", "Before the photo",
              "after the photo"):
        assert c in text, c


def test_participant_counts_rules(tmp_path, start_server):
    """role participant and not withdrawn; own country, else the organization's."""
    orgs = [{"key": "host-org", "name": "Host Ministry", "country": "CN", "kind": "ministry"},
            {"key": "org-school", "name": "Organizing School", "country": "CN", "kind": "school"},
            {"key": "org-et", "name": "Ethiopian Agency", "country": "ET", "kind": "agency"},
            {"key": "org-ng", "name": "Nigerian Office", "country": "NG", "kind": "agency"}]
    people = [{"key": "pa", "name": "Person Alpha", "country": "LS", "organization": "org-et"},
              {"key": "pb", "name": "Person Bravo", "organization": "org-et"},
              {"key": "pc", "name": "Person Charlie", "country": "PE", "organization": "org-ng"},
              {"key": "pd", "name": "Person Delta", "country": "NG", "organization": "org-ng"},
              {"key": "pe", "name": "Person Echo", "country": "IQ"}]
    enrol = [{"person": "pa", "role": "participant", "status": "confirmed"},
             {"person": "pb", "role": "participant", "status": "registered"},
             {"person": "pc", "role": "participant", "status": "withdrawn"},
             {"person": "pd", "role": "guest", "status": "confirmed"},
             {"person": "pe", "role": "participant", "status": "invited"}]
    p = program("count-prog", countries=["MY"], capacity=30, enrolments=enrol)
    s = start_server(make_db(tmp_path, doc_of([p], orgs=orgs, people=people)))
    html = s.html("/programs/count-prog")
    text = page_text(html)
    for who in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        assert f"Person {who}" not in text, "participants are counted, not listed"
    roles = page_text(re.search(r'<dl class="roles">.*?</dl>', html, re.S).group(0))
    assert_in_order(roles, ["Participants", "1 confirmed of 30 places", "Invited 1",
                            "Registered 1", "Confirmed 1", "Withdrawn 1", "Guests", "Confirmed 1"])
    assert "Speakers" not in roles, "a role nobody has is not listed"
    tables = page_text(" ".join(re.findall(r"<table.*?</table>", html, re.S)))
    for label, n in (("Lesotho", 1), ("Ethiopia", 1), ("Iraq", 1), ("Ethiopian Agency", 2)):
        assert re.search(rf"{re.escape(label)}\W*{n}(?!\d)", tables), (label, n, tables)
    for absent in ("Peru", "Nigeria", "Nigerian Office"):
        assert absent not in tables, absent
