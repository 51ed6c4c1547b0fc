"""The reader's language (issue 14): ?lang=, its cookie, Accept-Language
with q-values, the site's default; the interface in it (its catalog), and
the records' translations shown in it, each text that is in another
language marked with its own; the page cache and ETags never serving one
language's page for another; Vary and hreflang."""

import re
import time

import pytest

from podium_web import EXAMPLES_DIR, MALAYSIA, import_doc, make_db, run, run_ok

PROGRAM = f"/programs/{MALAYSIA}"
TITLE_EN = "Seminar on the Development Prospects of High Technology"
TITLE_ZH = "马来西亚高新技术发展前景（如何孵化和培育产业）研修班"


def h1(page):
    m = re.search(r"<h1([^>]*)>(.*?)</h1>", page, re.S)
    return m.group(1), re.sub(r"<[^>]+>", "", m.group(2))


def cached(server, path, **kw):
    """Fetches path until the page cache holds it (pages made just after a change are not kept)."""
    for _ in range(3):
        assert server.get(path, **kw).status == 200
        time.sleep(0.15)


@pytest.mark.parametrize("how", [
    {"path": PROGRAM + "?lang=zh"},
    {"path": PROGRAM + "?lang=zh-Hans-CN"},
    {"path": PROGRAM, "headers": {"Cookie": "lang=zh"}},
    {"path": PROGRAM, "headers": {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}},
    {"path": PROGRAM, "headers": {"Accept-Language": "zh-TW"}},  # any Chinese gets the Chinese there is
    {"path": PROGRAM, "headers": {"Accept-Language": "fr, zh;q=0.5, en;q=0.4"}},
], ids=["query", "query-long-tag", "cookie", "header", "header-zh-TW", "header-q-values"])
def test_chinese_is_chosen(server, how):
    r = server.get_ok(how["path"], headers=how.get("headers"))
    attrs, title = h1(r.text)
    assert title == TITLE_ZH and "lang=" not in attrs
    # the page is Chinese: its interface from the catalog, its Chinese texts need no lang of their own
    assert '<html lang="zh">' in r.text and ">跳到正文</a>" in r.text and "Skip to content" not in r.text
    assert re.search(r'<dd><span class="org-chain"><span class="list-item" dir="auto">商务部</span>', r.text)
    assert '<h4 dir="auto">开幕式</h4>' in r.text
    assert re.search(r'<q dir="auto">开幕致辞</q>[^<]*<span dir="auto">项目承办方</span>', r.text)
    # untranslated texts stay as they are, marked as English
    assert re.search(r'<span lang="en" dir="auto">Liu Beimin</span>', r.text)
    # dates and countries in Chinese, from ICU
    assert "2021年12月" in r.text and "马来西亚" in r.text


@pytest.mark.parametrize("headers", [
    None,
    {"Accept-Language": "en-GB,en;q=0.9"},
    {"Accept-Language": "fr-FR, fr;q=0.9"},           # no catalog: the site's default
    {"Accept-Language": "zh;q=0.3, en;q=0.7"},         # q-values, not order
    {"Accept-Language": "en;q=0, zh;q=0"},             # both refused: the default
    {"Accept-Language": "*"},
    {"Accept-Language": "garbage;;;q=x"},
    {"Cookie": "lang=not_a_tag"},                      # a cookie that is not a tag is ignored
], ids=["none", "en-GB", "fr", "q-values", "all-refused", "star", "garbage", "bad-cookie"])
def test_english_is_chosen(server, headers):
    r = server.get_ok(PROGRAM, headers=headers)
    attrs, title = h1(r.text)
    assert title.startswith(TITLE_EN) and "lang=" not in attrs
    assert '<html lang="en">' in r.text and ">Skip to content</a>" in r.text and "December 2021" in r.text


def test_query_beats_cookie_beats_header(server):
    assert h1(server.get_ok(PROGRAM + "?lang=en", headers={
        "Cookie": "lang=zh", "Accept-Language": "zh"}).text)[1].startswith(TITLE_EN)
    assert h1(server.get_ok(PROGRAM, headers={
        "Cookie": "lang=en", "Accept-Language": "zh"}).text)[1].startswith(TITLE_EN)


def test_query_sets_the_cookie_once(server):
    for _ in range(3):  # were it kept in the page cache, the cookie would go to others
        r = server.get_ok(PROGRAM + "?lang=zh")
        assert r.header("Set-Cookie") == "lang=zh; Path=/; Max-Age=31536000; SameSite=Lax"
        assert r.header("Cache-Control") == "no-store"  # a page that sets a cookie is the caller's
        time.sleep(0.15)
    again = server.get_ok(PROGRAM + "?lang=zh", headers={"Cookie": "lang=zh"})
    assert again.header("Set-Cookie") is None and again.header("Cache-Control") == "no-cache"


@pytest.mark.parametrize("value", ["zh_CN", "en us", "--", "x" * 300, "中文"])
def test_a_malformed_lang_is_400(server, value):
    from urllib.parse import quote
    r = server.get(PROGRAM + "?lang=" + quote(value))
    assert r.status == 400 and "is not a language tag" in r.text
    assert r.header("Set-Cookie") is None


def test_a_well_formed_tag_without_catalog_falls_back(server):
    r = server.get_ok(PROGRAM + "?lang=fr")
    assert h1(r.text)[1].startswith(TITLE_EN) and '<html lang="en">' in r.text
    assert r.header("Set-Cookie").startswith("lang=fr;")


def test_vary_only_where_the_address_does_not_say(server):
    assert server.get_ok(PROGRAM).header("Vary") == "Accept-Language, Cookie"
    assert server.get_ok(PROGRAM + "?lang=zh", headers={"Cookie": "lang=zh"}).header("Vary") is None
    assert server.get_ok("/api/v1/programs").header("Vary") is None


def test_the_cache_never_serves_the_wrong_language(server):
    cached(server, PROGRAM, headers={"Accept-Language": "zh"})
    for _ in range(2):
        en = server.get_ok(PROGRAM, headers={"Accept-Language": "en"})
        zh = server.get_ok(PROGRAM, headers={"Accept-Language": "zh"})
        assert h1(en.text)[1].startswith(TITLE_EN) and h1(zh.text)[1] == TITLE_ZH
        assert '<html lang="en">' in en.text and '<html lang="zh">' in zh.text
        assert en.header("ETag") != zh.header("ETag")
    cached(server, "/", headers={"Cookie": "lang=zh"})
    home = server.get_ok("/").text
    assert TITLE_ZH not in home and '<html lang="en">' in home
    # an ETag of the English page revalidates nothing in Chinese
    r = server.get(PROGRAM, headers={"Accept-Language": "zh", "If-None-Match": en.header("ETag")})
    assert r.status == 200 and h1(r.text)[1] == TITLE_ZH
    r = server.get(PROGRAM, headers={"Accept-Language": "zh", "If-None-Match": zh.header("ETag")})
    assert r.status == 304


def test_every_page_links_its_versions(server):
    for path in ["/", PROGRAM, PROGRAM + "?tz=America/Lima", "/people/yu-jun", "/articles", "/no-such-page"]:
        page = server.get(path, headers={"Accept-Language": "zh"}).text
        sep = "&amp;" if "?" in path else "?"
        base = path.replace("/Lima", "%2FLima")
        for tag, name in (("en", "English"), ("zh", "中文")):
            assert f'<link rel="alternate" hreflang="{tag}" href="{base}{sep}lang={tag}">' in page, path
            assert re.search(rf'<a href="{re.escape(base + sep)}lang={tag}" lang="{tag}" hreflang="{tag}"'
                             rf'( aria-current="true")?>{name}</a>', page), path
        assert re.search(r'lang="zh" hreflang="zh" aria-current="true">中文</a>', page), path


def test_the_lists_and_a_persons_page_in_chinese(server):
    home = server.get_ok("/?lang=zh").text
    assert re.search(r'<h2><a href="/programs/malaysia-hightech-2021" dir="auto">' + TITLE_ZH, home)
    assert '<dd dir="auto">商务部</dd>' in home
    person = server.get_ok("/people/liu-beimin?lang=zh").text
    assert '<html lang="zh">' in person
    assert '<span class="list-item" dir="auto">上海市商务委员会</span>' in person
    assert '<span dir="auto">开幕式</span>' in person and '<q dir="auto">开幕致辞</q>' in person
    assert f'<a href="/programs/malaysia-hightech-2021" dir="auto">{TITLE_ZH}</a>' in person


def test_a_names_own_script_and_a_right_to_left_name(tmp_path, start_server):
    """A person's name in characters or in Arabic shows for readers of that
    language, marked so that screen readers and the text direction follow."""
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    doc = {"format": "podium-program/1", "people": [
        {"key": "liu-beimin", "name": "Liu Beimin", "honorific": "Ms.", "position": "Investigator",
         "organization": "sh-comm-fec", "translations": {"zh": {"name": "刘蓓敏（测试）"},
                                                        "ar": {"name": "ليو بيمين"}}}]}
    import_doc(db, doc, tmp_path, replace=True)
    s = start_server(db)
    assert '<span dir="auto">刘蓓敏（测试）</span>' in s.html(PROGRAM + "?lang=zh")
    ar = s.get_ok(PROGRAM + "?lang=ar").text
    assert '<html lang="en">' in ar  # no Arabic catalog: the site's language
    assert '<span lang="ar" dir="auto">ليو بيمين</span>' in ar
    assert h1(ar)[1].startswith(TITLE_EN)  # no Arabic title: the original
    assert '<span dir="auto">Liu Beimin</span>' in s.html(PROGRAM + "?lang=en")


def test_the_sites_languages_are_settings(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    run_ok("set", "site.language", "zh", db=db)
    s = start_server(db)
    page = s.html(PROGRAM)
    assert h1(page)[1] == TITLE_ZH and '<html lang="zh">' in page
    assert h1(s.html(PROGRAM + "?lang=en"))[1].startswith(TITLE_EN)
    # a reader whose language has no catalog gets the site's
    assert '<html lang="zh">' in s.html(PROGRAM + "?lang=fr")
    # a tag that is not one is refused by `podium set`
    code, out, err = run("set", "site.language", "zh_CN", db=db)
    assert code != 0 and "is not a language tag" in err


@pytest.mark.parametrize("path", ["/no-such-page", "/?page=x", "/programs/no-such-program"])
def test_error_pages_in_chinese(server, path):
    r = server.get(path, headers={"Accept-Language": "zh-CN"})
    assert r.status in (400, 404) and '<html lang="zh">' in r.text
    assert re.search(r"<h1>(未找到|请求有误)</h1>", r.text), r.text
    assert not re.search(r"<h1>(Not found|Bad request)</h1>", r.text)


def test_a_chinese_timetable(server):
    page = server.html(PROGRAM + "?lang=zh")
    assert "时间为 Asia/Kuala_Lumpur" in page or "时间为 Asia/Shanghai" in page, page[:3000]
    assert re.search(r'<h3 id="day-2021-12-09">2021年12月9日星期四</h3>', page)


@pytest.mark.parametrize("path", ["/programs/%zz", "/programs/%00x"])
def test_answers_before_the_request_is_read_in_chinese(server, path):
    """A target refused before any handler runs still answers in the reader's language (cookie, header)."""
    for headers in ({"Accept-Language": "zh"}, {"Cookie": "lang=zh"}):
        r = server.get(path, headers=headers)
        assert r.status == 400 and '<html lang="zh">' in r.text, r.text[:500]
        assert "<h1>Bad request</h1>" not in r.text
    r = server.get(path)
    assert r.status == 400 and '<html lang="en">' in r.text and "<h1>Bad request</h1>" in r.text
