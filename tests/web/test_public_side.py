"""The public side of the newsroom for other programs (issue 15): the Atom
feeds /articles.atom and /programs/SLUG/articles.atom (read by python's
feedparser without bozo), /sitemap.xml (sitemaps.org, every URL answering
200), /robots.txt naming it, and each article page's link preview (Open
Graph, Twitter card, canonical link) and feed links. Only published
articles ever appear; addresses start with the site.base_url setting."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest

from podium_web import (EXAMPLES_DIR, MALAYSIA, doc_of, make_db, page_text, parse_html, program,
                        run, run_ok)

BASE = "https://news.example.org"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECRETS = ["DRAFT-TITLE-7001", "DRAFT-BODY-7002", "REVIEW-TITLE-7003", "REVIEW-BODY-7004"]


def article(key, created_on, status="published", language="en", **extra):
    a = {"key": key, "section": "activity-highlights", "title": f"Title of {key}",
         "created_on": created_on, "language": language, "status": status,
         "body_markdown": f"Body of {key}.",
         "credits": {"written_by": "wen-writer", "reviewed_by": "rui-reviewer"}}
    a.update(extra)
    return a


def public_doc():
    first = article(
        "first-day", "2021-12-09",
        body_markdown="![The hall](photo:hall)\n\nThe *opening* took place\nin the `main` hall "
                      "& online <b>today</b>.\n\nA second paragraph.\n",
        photos=[{"key": "hall", "caption": "The hall & its <stage>"}],
        credits={"written_by": "wen-writer", "photographed_by": "pat-speaker",
                 "reviewed_by": "rui-reviewer"})
    chinese = article("chinese-day", "2021-12-11", language="zh", title="开幕式顺利举行",
                      body_markdown="开幕式于十二月十一日举行。")
    draft = article("draft-day", "2021-12-12", status="draft", title="DRAFT-TITLE-7001",
                    body_markdown="DRAFT-BODY-7002", credits={"written_by": "wen-writer"})
    review = article("review-day", "2021-12-13", status="in-review", title="REVIEW-TITLE-7003",
                     body_markdown="REVIEW-BODY-7004", credits={"written_by": "wen-writer"})
    other = article("other-news", "2021-12-10", section="news")
    return doc_of([program("pub-a", "Program A", articles=[first, chinese, draft, review]),
                   program("pub-b", "Program B", articles=[other]),
                   program("pub-empty", "Program without articles")])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from podium_web import Server, stop_and_check
    d = tmp_path_factory.mktemp("public")
    db = make_db(d, public_doc())
    run_ok("set", "site.base_url", BASE + "/", db=db)  # the final '/' is left out of addresses
    s = Server(db, d)
    yield s
    stop_and_check(s)


def local(url):
    """The path?query of an address under BASE."""
    assert url.startswith(BASE + "/"), url
    u = urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def feed_of(site, path):
    r = site.get_ok(path)
    assert r.header("Content-Type") == "application/atom+xml; charset=utf-8"
    f = feedparser.parse(r.body)
    assert not f.bozo, f.get("bozo_exception")
    assert f.version == "atom10"
    return r, f


# ------------------------------------------------------------ feeds

def test_site_feed_newest_first_published_only(site):
    r, f = feed_of(site, "/articles.atom")
    assert [e.link for e in f.entries] == [
        f"{BASE}/programs/pub-a/articles/chinese-day", f"{BASE}/programs/pub-b/articles/other-news",
        f"{BASE}/programs/pub-a/articles/first-day"]
    assert f.feed.id == f"{BASE}/articles.atom"
    assert {(l.rel, l.href) for l in f.feed.links} == {("self", f"{BASE}/articles.atom"),
                                                        ("alternate", f"{BASE}/articles")}
    assert f.feed.updated == "2021-12-11T00:00:00Z"  # its newest entry's
    body = r.body.decode()
    for secret in SECRETS + ["draft-day", "review-day"]:
        assert secret not in body


def test_entry_fields(site):
    _, f = feed_of(site, "/programs/pub-a/articles.atom")
    assert [e.id for e in f.entries] == [f"{BASE}/programs/pub-a/articles/chinese-day",
                                         f"{BASE}/programs/pub-a/articles/first-day"]
    zh, en = f.entries
    assert zh.title == "开幕式顺利举行" and zh.title_detail.language == "zh"
    assert en.title == "Title of first-day" and en.title_detail.language == "en"
    assert en.updated == "2021-12-09T00:00:00Z" and en.published == "2021-12-09T00:00:00Z"
    assert en.author == "Wen Writer"
    assert en.author_detail.href == f"{BASE}/people/wen-writer"
    assert [c.name for c in en.contributors] == ["Pat Speaker", "Rui Reviewer"]
    assert en.tags[0].term == "activity-highlights"
    # the summary is the first paragraph with text, as plain text; the content the page's body
    assert en.summary == "The opening took place in the main hall & online today."
    content = en.content[0]
    assert content.type == "text/html"
    assert "<em>opening</em>" in content.value and "<code>main</code>" in content.value
    assert "<b>" not in content.value  # raw HTML is left out, as on the page
    assert "The hall &amp; its &lt;stage&gt;" in content.value  # the caption, escaped once in the HTML


def test_feed_text_escaped_for_xml(site):
    r = site.get_ok("/programs/pub-a/articles.atom")
    root = ET.fromstring(r.body)  # well-formed XML
    ns = "{http://www.w3.org/2005/Atom}"
    content = root.find(f"{ns}entry[{ns}title='Title of first-day']/{ns}content")
    assert content.get("type") == "html" and content.text.startswith("<figure")


def test_program_feeds(site):
    _, f = feed_of(site, "/programs/pub-b/articles.atom")
    assert [e.link for e in f.entries] == [f"{BASE}/programs/pub-b/articles/other-news"]
    assert f.feed.title == "Program B"
    assert ("alternate", f"{BASE}/programs/pub-b") in {(l.rel, l.href) for l in f.feed.links}
    _, f = feed_of(site, "/programs/pub-empty/articles.atom")
    assert f.entries == [] and f.feed.updated  # an empty feed still says when


def test_feed_of_unknown_program_is_404(site):
    r = site.get("/programs/no-such-program/articles.atom")
    assert r.status == 404
    assert r.header("Content-Type").startswith("text/html")


@pytest.mark.parametrize("path", ["/articles.atom", "/programs/pub-a/articles.atom", "/sitemap.xml",
                                  "/robots.txt"])
def test_cacheable_with_etag(site, path):
    first = site.get_ok(path)
    etag = first.header("ETag")
    assert etag and first.header("Cache-Control") == site.get_ok("/articles").header("Cache-Control")
    assert site.get(path, headers={"If-None-Match": etag}).status == 304
    head = site.request(path, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Type") == first.header("Content-Type")


def test_pages_link_their_feeds(site):
    for path, feed in (("/articles", "/articles.atom"), ("/programs/pub-a", "/programs/pub-a/articles.atom"),
                       ("/programs/pub-a/articles/first-day", "/programs/pub-a/articles.atom"),
                       ("/articles?lang=zh", "/articles.atom")):
        tags = parse_html(site.html(path)).tags
        links = [a for t, a, stack in tags
                 if t == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml"]
        assert len(links) == 1 and links[0]["href"] == feed and links[0].get("title"), (path, links)
        assert all("head" in stack for t, a, stack in tags if t == "link"), path
        site.get_ok(feed)


def test_program_page_lists_published_articles_only(site):
    text = page_text(site.html("/programs/pub-a"))
    assert "Title of first-day" in text and "开幕式顺利举行" in text
    for secret in SECRETS:
        assert secret not in text
    html = site.html("/programs/pub-a")
    assert "draft-day" not in html and "review-day" not in html


# ------------------------------------------------------------ link previews

def meta_of(html):
    out = {}
    for t, a, _ in parse_html(html).tags:
        if t == "meta" and (a.get("property") or a.get("name")):
            out[a.get("property") or a.get("name")] = a.get("content")
        if t == "link" and a.get("rel") == "canonical":
            out["canonical"] = a["href"]
    return out


def test_article_link_preview(site):
    m = meta_of(site.html("/programs/pub-a/articles/first-day"))
    url = f"{BASE}/programs/pub-a/articles/first-day"
    assert m["canonical"] == url and m["og:url"] == url
    assert m["og:type"] == "article"
    assert m["og:title"] == m["twitter:title"] == "Title of first-day"
    assert m["og:description"] == m["twitter:description"] == m["description"] == \
        "The opening took place in the main hall & online today."
    assert m["og:locale"] == "en_US"
    assert m["twitter:card"] == "summary"  # no photo rendition yet: no og:image
    assert "og:image" not in m
    # a version asked for by ?lang= is its own page (the hreflang links name it); og:url stays
    zh = meta_of(site.html("/programs/pub-a/articles/first-day?lang=zh"))
    assert zh["canonical"] == url + "?lang=zh" and zh["og:url"] == url


def test_chinese_article_locale(site):
    m = meta_of(site.html("/programs/pub-a/articles/chinese-day"))
    assert m["og:locale"] == "zh_CN"
    assert m["og:description"] == "开幕式于十二月十一日举行。"


def test_long_description_cut_at_a_word(tmp_path, start_server):
    words = " ".join(f"word{i}" for i in range(100))
    doc = doc_of([program("long", articles=[article("long-one", "2021-12-09", body_markdown=words)])])
    s = start_server(make_db(tmp_path, doc))
    d = meta_of(s.html("/programs/long/articles/long-one"))["og:description"]
    assert d.endswith("…") and len(d) <= 200
    assert words.startswith(d[:-1].rstrip()) and d[:-1].rstrip().split()[-1] in words.split()


def test_no_preview_on_other_pages(site):
    for path in ("/", "/articles", "/programs/pub-a", "/people/wen-writer"):
        m = meta_of(site.html(path))
        assert "og:title" not in m and "canonical" not in m, path


# ------------------------------------------------------------ sitemap and robots

def test_sitemap(site):
    r = site.get_ok("/sitemap.xml")
    assert r.header("Content-Type") == "application/xml; charset=utf-8"
    root = ET.fromstring(r.body)
    assert root.tag == f"{SITEMAP_NS}urlset"
    urls = {}
    for u in root:
        assert u.tag == f"{SITEMAP_NS}url"
        assert {c.tag for c in u} <= {f"{SITEMAP_NS}loc", f"{SITEMAP_NS}lastmod"}
        lastmod = u.findtext(f"{SITEMAP_NS}lastmod")
        if lastmod:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod), lastmod
        urls[u.findtext(f"{SITEMAP_NS}loc")] = lastmod
    paths = {local(u) for u in urls}
    assert paths == {"/", "/articles", "/programs/pub-a", "/programs/pub-b", "/programs/pub-empty",
                     "/programs/pub-a/articles/first-day", "/programs/pub-a/articles/chinese-day",
                     "/programs/pub-b/articles/other-news", "/people/wen-writer", "/people/rui-reviewer",
                     "/people/pat-speaker"}
    assert urls[f"{BASE}/programs/pub-a/articles/first-day"] == "2021-12-09T00:00:00Z"
    assert urls[f"{BASE}/articles"] == "2021-12-11T00:00:00Z"
    for p in paths:
        assert site.get(p).status == 200, p
    for secret in SECRETS + ["draft-day", "review-day"]:
        assert secret not in r.text


def test_sitemap_of_the_examples_answers(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    s = start_server(db)
    root = ET.fromstring(s.get_ok("/sitemap.xml").body)
    locs = [u.findtext(f"{SITEMAP_NS}loc") for u in root]
    assert locs and all(u.startswith("http://127.0.0.1:8080/") for u in locs)  # the default base
    for u in locs:
        p = urlsplit(u).path
        assert s.get(p).status == 200, p
    assert "Sitemap: http://127.0.0.1:8080/sitemap.xml" in s.get_ok("/robots.txt").text


def test_robots(site):
    r = site.get_ok("/robots.txt")
    assert r.header("Content-Type") == "text/plain; charset=utf-8"
    lines = r.text.splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "User-agent: *" in lines and "Disallow: /manage" in lines


@pytest.mark.parametrize("bad", ["news.example.org", "ftp://news.example.org", "https://", "https://x.org/podium",
                                 "https://x.org/?a=1", "https://x.org/#top", "https://user@x.org"])
def test_bad_base_url_refused(tmp_path, bad):
    db = make_db(tmp_path, doc_of([]))
    rc, _, err = run("set", "site.base_url", bad, db=db)
    assert rc != 0 and "site.base_url" in err and "root" in err, err
    run_ok("set", "site.base_url", "http://[::1]:8080", db=db)


def test_base_url_change_is_seen_at_once(tmp_path, start_server):
    db = make_db(tmp_path, public_doc())
    s = start_server(db)
    before = s.get_ok("/robots.txt")
    assert "Sitemap: http://127.0.0.1:8080/sitemap.xml" in before.text
    run_ok("set", "site.base_url", "https://elsewhere.example.org:8443", db=db)
    after = s.get_ok("/robots.txt")  # the page cache follows the data version
    assert "Sitemap: https://elsewhere.example.org:8443/sitemap.xml" in after.text
    assert after.header("ETag") != before.header("ETag")
    _, f = feed_of(s, "/articles.atom")
    assert f.feed.id == "https://elsewhere.example.org:8443/articles.atom"
