"""The newsroom's back office (issue 15): articles written, previewed,
submitted, published by a reviewer who is not the writer, returned with a
comment, unpublished; an editor's change to a published article waits for
review while the published text stays; revisions kept and compared; drafts
never public."""

import html
import re

import pytest

from accounts import Client, add_user
from podium_web import EXAMPLES_DIR, MALAYSIA, export_json, make_db
from test_manage import field_error, form_fields, top_error

DESK = f"/manage/programs/{MALAYSIA}/articles"
NEW = f"/manage/programs/{MALAYSIA}/new-article"
PUBLISHED = "opening-kicked-off"


@pytest.fixture
def site(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "ed@example.org", "Ed Editor", roles=[("editor", MALAYSIA)], person="guan-rui")
    add_user(db, "rev@example.org", "Rae Reviewer", roles=[("reviewer", MALAYSIA)], person="chen-wei")
    add_user(db, "man@example.org", "Mo Manager", roles=[("manager", MALAYSIA)], person="zhou-dejiang")
    add_user(db, "nobody@example.org", "No Role")
    s = start_server(db)
    return db, s


def client(s, email):
    c = Client(s)
    assert c.sign_in(email).status == 303
    return c


def step(c, path, name, changes=None):
    page = c.get(path).text
    fields = form_fields(page)
    fields.update(changes or {})
    fields["step"] = name
    return c.post(path, {k: v for k, v in fields.items() if v is not None and k != "csrf"},
                  csrf=fields["csrf"])


def write(c, key="visit-to-lab", title="A visit to the lab", body="The officials visited the lab.\n"):
    r = step(c, NEW, "save", {"key": key, "title": title, "body_markdown": body})
    assert r.status == 303, top_error(r.text) or r.text
    assert r.headers["Location"] == f"{DESK}/{key}?saved=1"
    return f"{DESK}/{key}"


def status_of(db, key):
    doc = export_json(db)
    for a in doc["programs"][0].get("articles", []):
        if a["key"] == key:
            return a
    return None


def test_the_whole_review(site):
    db, s = site
    ed, rev = client(s, "ed@example.org"), client(s, "rev@example.org")
    path = write(ed)
    a = status_of(db, "visit-to-lab")
    assert a["status"] == "draft" and a["credits"]["written_by"] == "guan-rui"
    # a draft is never public
    assert s.request(f"/programs/{MALAYSIA}/articles/visit-to-lab").status == 404
    assert "A visit to the lab" not in s.request("/articles").text
    # the editor cannot publish
    r = step(ed, path, "publish")
    assert r.status == 403
    assert status_of(db, "visit-to-lab")["status"] == "draft"
    assert step(ed, path, "submit").status == 303
    assert status_of(db, "visit-to-lab")["status"] == "in-review"
    assert s.request(f"/programs/{MALAYSIA}/articles/visit-to-lab").status == 404
    # the reviewer returns it with a comment, which the writer sees
    r = step(rev, path, "return", {"comment": ""})
    assert r.status == 403 and "comment" in top_error(r.text)
    assert step(rev, path, "return", {"comment": "Name the lab, please."}).status == 303
    assert status_of(db, "visit-to-lab")["status"] == "draft"
    assert "Name the lab, please." in ed.get(path).text
    assert "Name the lab, please." in ed.get(DESK).text
    assert step(ed, path, "submit", {"title": "A visit to the AI lab"}).status == 303
    assert step(rev, path, "publish").status == 303
    a = status_of(db, "visit-to-lab")
    assert a["status"] == "published" and a["title"] == "A visit to the AI lab"
    assert a["credits"] == {"written_by": "guan-rui", "reviewed_by": "chen-wei"}
    page = s.request(f"/programs/{MALAYSIA}/articles/visit-to-lab")
    assert page.status == 200 and "A visit to the AI lab" in page.text
    # the feeds' updated is the publication's instant (the server's clock), not the article's date
    import feedparser
    feed = feedparser.parse(s.request(f"/programs/{MALAYSIA}/articles.atom").body)
    entry = next(e for e in feed.entries if e.title == "A visit to the AI lab")
    # PODIUM_NOW, 12:00 in Shanghai; the article's date alone would give midnight
    assert entry.updated == "2021-12-10T04:00:00Z" and a["created_on"] == "2021-12-10"
    # unpublishing takes it off the public site at once
    everywhere = ["/articles", "/articles.atom", f"/programs/{MALAYSIA}/articles.atom", "/sitemap.xml",
                  f"/programs/{MALAYSIA}", f"/api/v1/programs/{MALAYSIA}"]
    for url in everywhere:  # cached now: unpublishing must reach the page cache too
        assert "visit-to-lab" in s.request(url).text, url
    assert step(rev, path, "unpublish").status == 303
    assert s.request(f"/programs/{MALAYSIA}/articles/visit-to-lab").status == 404
    for url in everywhere:
        assert "visit-to-lab" not in s.request(url).text, url
        assert "A visit to the AI lab" not in s.request(url).text, url


def test_a_reviewer_does_not_publish_their_own_article(site):
    db, s = site
    man = client(s, "man@example.org")  # a manager holds the editor's and the reviewer's rights
    path = write(man, key="own-article")
    assert step(man, path, "submit").status == 303
    r = step(man, path, "publish")
    assert r.status == 403 and "You wrote this article" in top_error(r.text)
    assert status_of(db, "own-article")["status"] == "in-review"
    # nor one they submitted, whoever is named its writer
    ed = client(s, "ed@example.org")
    path = write(ed, key="submitted-by-other")
    rev = client(s, "rev@example.org")
    assert step(man, path, "submit").status == 303
    r = step(man, path, "publish")
    assert r.status == 403 and "You submitted this article" in top_error(r.text)
    assert step(rev, path, "publish").status == 303


def test_an_editors_change_to_a_published_article_waits_for_review(site):
    db, s = site
    ed, rev = client(s, "ed@example.org"), client(s, "rev@example.org")
    path = f"{DESK}/{PUBLISHED}"
    before = status_of(db, PUBLISHED)
    public = f"/programs/{MALAYSIA}/articles/{PUBLISHED}"
    r = step(ed, path, "save", {"title": "A changed title"})
    assert r.status == 303
    assert status_of(db, PUBLISHED) == before
    assert "A changed title" not in s.request(public).text
    page = ed.get(path).text
    assert 'value="A changed title"' in page and "published text" in page
    assert step(ed, path, "submit").status == 303
    assert status_of(db, PUBLISHED) == before
    # the writer of the published article is guan-rui: the reviewer chen-wei publishes the change
    assert step(rev, path, "publish").status == 303
    after = status_of(db, PUBLISHED)
    assert after["title"] == "A changed title" and after["status"] == "published"
    assert "A changed title" in s.request(public).text


def test_a_reviewers_change_to_a_published_article_is_live(site):
    db, s = site
    rev = client(s, "rev@example.org")
    path = f"{DESK}/{PUBLISHED}"
    assert step(rev, path, "save", {"title": "Corrected at once"}).status == 303
    assert status_of(db, PUBLISHED)["title"] == "Corrected at once"
    assert "Corrected at once" in s.request(f"/programs/{MALAYSIA}/articles/{PUBLISHED}").text


def test_revisions_are_kept_and_compared(site):
    db, s = site
    ed = client(s, "ed@example.org")
    path = write(ed, body="First line.\nSecond line.\n")
    assert step(ed, path, "save", {"body_markdown": "First line.\nSecond line, changed.\n"}).status == 303
    page = ed.get(f"{path}/revisions").text
    assert page.count('name="a"') == 2
    # the two newest compared by default: the changed line on both sides
    assert "<del>Second line.</del>" in page and "<ins>Second line, changed.</ins>" in page
    assert ed.get(f"{path}/revisions?a=1&b=1").status == 200
    assert ed.get(f"{path}/revisions?a=9").status == 404
    assert ed.get(f"{path}/revisions?a=x").status == 400


def test_preview_is_the_public_rendering_and_saves_nothing(site):
    db, s = site
    ed = client(s, "ed@example.org")
    path = f"{DESK}/{PUBLISHED}"
    before = status_of(db, PUBLISHED)
    r = step(ed, path, "preview", {"body_markdown": "**Bold** <script>alert(1)</script>\n\n![x](photo:missing)"})
    assert r.status == 200
    assert "<strong>Bold</strong>" in r.text and "<script>alert" not in r.text
    assert status_of(db, PUBLISHED) == before
    # the script's fragment: the same rendering
    fields = form_fields(ed.get(path).text)
    preview = f"/manage/programs/{MALAYSIA}/article-preview"
    r = ed.post(preview, {"body_markdown": "*em*", "key": PUBLISHED}, csrf=fields["csrf"])
    assert r.status == 200 and "<em>em</em>" in r.text
    r = ed.post(preview, {"body_markdown": "new *text*"}, csrf=fields["csrf"])
    assert r.status == 200 and "<em>text</em>" in r.text


def test_bad_input_is_shown_beside_its_field_and_nothing_is_written(site):
    db, s = site
    ed = client(s, "ed@example.org")
    r = step(ed, NEW, "save", {"key": "Bad Key", "title": "", "body_markdown": "x"})
    assert r.status == 422
    assert field_error(r.text, "key") and field_error(r.text, "title")
    assert 'value="Bad Key"' in r.text
    assert status_of(db, "Bad Key") is None
    # a pending change with a bad text is refused too, the article as it was
    before = status_of(db, PUBLISHED)
    r = step(ed, f"{DESK}/{PUBLISHED}", "save", {"body_markdown": "![x](photo:nope)"})
    assert r.status == 422 and "photo:nope" in html.unescape(r.text)
    assert status_of(db, PUBLISHED) == before
    r = step(ed, f"{DESK}/{PUBLISHED}", "nonsense")
    assert r.status == 403


def test_a_stale_form_is_refused(site):
    db, s = site
    ed, rev = client(s, "ed@example.org"), client(s, "rev@example.org")
    path = write(ed)
    page = ed.get(path).text
    assert step(rev, path, "save", {"title": "Meanwhile"}).status == 303
    fields = form_fields(page)
    fields.update({"title": "Mine", "step": "save"})
    r = ed.post(path, {k: v for k, v in fields.items() if k != "csrf"}, csrf=fields["csrf"])
    assert r.status == 409
    assert status_of(db, "visit-to-lab")["title"] == "Meanwhile"


def test_only_the_newsroom_sees_the_desk(site):
    db, s = site
    nobody = client(s, "nobody@example.org")
    assert nobody.get(DESK).status == 403
    assert s.request(DESK).status in (303, 401)
    rev = client(s, "rev@example.org")
    page = rev.get(DESK).text
    assert "New article" not in page  # a reviewer alone does not write
    assert rev.get(NEW).status == 403


def test_revisions_survive_a_save_of_the_program(site):
    db, s = site
    ed, man = client(s, "ed@example.org"), client(s, "man@example.org")
    path = write(ed)
    from test_manage import save
    assert save(man, f"/manage/programs/{MALAYSIA}", {"title": "Renamed program"}).status == 303
    page = ed.get(f"{path}/revisions").text
    assert page.count('name="a"') == 1


ZH = {"title": "研讨会开幕", "body_markdown": "开幕式在线上举行。\n\n![线下会场](photo:offline-venue)",
      "status": "published", "captions": {"offline-venue": "线下会场的照片"}}
MS = {"title": "Pembukaan seminar", "body_markdown": "Majlis pembukaan.", "status": "draft"}


@pytest.fixture
def versions(tmp_path, start_server):
    import json
    doc = json.loads((EXAMPLES_DIR / f"{MALAYSIA}.json").read_text(encoding="utf-8"))
    doc["programs"][0]["articles"][0]["translations"] = {"zh": ZH, "ms": MS}
    db = make_db(tmp_path, doc)
    return db, start_server(db)


def hreflangs(page):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def test_a_version_in_the_readers_language(versions):
    db, s = versions
    path = f"/programs/{MALAYSIA}/articles/{PUBLISHED}"
    zh = s.request(path + "?lang=zh")
    assert zh.status == 200
    assert "<h1>研讨会开幕</h1>" in zh.text and 'lang="zh"' in zh.text
    assert "线下会场的照片" in zh.text  # the version's caption of the shared photo
    en = s.request(path + "?lang=en")
    assert "研讨会开幕" not in en.text
    # Accept-Language picks it too
    assert "研讨会开幕" in s.request(path, headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    # each version links the others, both ways; the draft version (ms) nowhere
    for page in (zh.text, en.text):
        links = hreflangs(page)
        assert links.get("zh", "").endswith("?lang=zh") and links.get("en", "").endswith("?lang=en")
        assert "ms" not in links
        assert 'hreflang="zh"' in page and "Pembukaan" not in page
    assert "Pembukaan" not in s.request(path + "?lang=ms").text
    # lists show the version in the reader's language
    assert "研讨会开幕" in s.request("/articles?lang=zh").text
    assert "研讨会开幕" in s.request(f"/programs/{MALAYSIA}?lang=zh").text
    assert "研讨会开幕" not in s.request("/articles?lang=en").text
    # the public API carries the published version, not the draft
    api = s.request(f"/api/v1/programs/{MALAYSIA}").json()
    versions = api["programs"][0]["articles"][0]["translations"]
    assert set(versions) == {"zh"}


def test_versions_round_trip(versions, tmp_path):
    db, s = versions
    doc = export_json(db)
    article = doc["programs"][0]["articles"][0]
    assert article["translations"] == {"ms": MS, "zh": ZH}
    assert list(article["translations"]) == ["ms", "zh"]  # tags sorted
    again = make_db(tmp_path, doc, name="again.db")
    assert export_json(again) == doc


def test_a_version_written_reviewed_and_published_in_the_back_office(site):
    db, s = site
    ed, rev = client(s, "ed@example.org"), client(s, "rev@example.org")
    path = f"{DESK}/{PUBLISHED}"
    zh = f"{path}?translation=zh"
    page = ed.get(zh)
    assert page.status == 200
    fields = form_fields(page.text)
    assert fields["translation"] == "zh" and fields["title"]  # starts from the original, to translate
    r = step(ed, zh, "save", {"title": "研讨会开幕", "body_markdown": "开幕式在线上举行。",
                               "captions-offline-venue": "线下会场"})
    assert r.status == 303 and r.headers["Location"].endswith("?saved=1&translation=zh")
    v = status_of(db, PUBLISHED)["translations"]["zh"]
    assert v == {"title": "研讨会开幕", "body_markdown": "开幕式在线上举行。", "status": "draft",
                 "captions": {"offline-venue": "线下会场"}}
    public = f"/programs/{MALAYSIA}/articles/{PUBLISHED}?lang=zh"
    assert "研讨会开幕" not in s.request(public).text
    assert step(ed, zh, "publish").status == 403
    assert step(ed, zh, "submit").status == 303
    assert status_of(db, PUBLISHED)["translations"]["zh"]["status"] == "in-review"
    assert status_of(db, PUBLISHED)["status"] == "published"  # the original stays as it was
    assert step(rev, zh, "publish").status == 303
    assert "研讨会开幕" in s.request(public).text
    # an editor's change to the published version waits for review
    assert step(ed, zh, "save", {"title": "研讨会隆重开幕"}).status == 303
    assert status_of(db, PUBLISHED)["translations"]["zh"]["title"] == "研讨会开幕"
    assert 'value="研讨会隆重开幕"' in ed.get(zh).text
    # the original's form is not the version's
    assert 'value="研讨会隆重开幕"' not in ed.get(path).text
    # the list of versions on the article's form, and on the list of articles
    assert "?translation=zh" in ed.get(path).text
    assert f"{PUBLISHED}?translation=zh" in ed.get(DESK).text


def test_a_version_in_the_articles_own_language_or_no_language_is_refused(site):
    db, s = site
    ed = client(s, "ed@example.org")
    path = f"{DESK}/{PUBLISHED}"
    assert ed.get(f"{path}?translation=en-GB").status == 400
    assert ed.get(f"{path}?translation=not_a_tag").status == 400
    r = step(ed, f"{path}?translation=zh", "save", {"translation": "en", "title": "x"})
    assert r.status == 400
    assert "translations" not in status_of(db, PUBLISHED)


def test_a_reviewer_schedules_the_publication(site):
    db, s = site
    ed, rev = client(s, "ed@example.org"), client(s, "rev@example.org")
    path = write(ed, key="scheduled")
    assert step(ed, path, "submit").status == 303
    r = step(rev, path, "publish", {"publish_at": "tomorrow"})
    assert r.status == 422 and field_error(r.text, "publish_at")
    assert status_of(db, "scheduled")["status"] == "in-review"
    # the program's time (Asia/Shanghai): 09:00 there is 01:00 UTC; PODIUM_NOW is the day before
    assert step(rev, path, "publish", {"publish_at": "2021-12-11T09:00"}).status == 303
    a = status_of(db, "scheduled")
    assert a["status"] == "in-review" and a["publish_at"] == "2021-12-11T09:00:00+08:00"
    assert a["credits"]["reviewed_by"] == "chen-wei"
    assert s.request(f"/programs/{MALAYSIA}/articles/scheduled").status == 404
    page = rev.get(path).text
    assert "2021-12-11 09:00 (Asia/Shanghai), 2021-12-11 01:00 UTC" in page
    assert "schedul" in rev.get(f"{path}/revisions").text
    # a return ends the schedule
    assert step(rev, path, "return", {"comment": "Not yet."}).status == 303
    assert "publish_at" not in status_of(db, "scheduled")


def test_the_server_publishes_what_is_due(tmp_path, start_server):
    import json
    import time
    doc = json.loads((EXAMPLES_DIR / f"{MALAYSIA}.json").read_text(encoding="utf-8"))
    article = doc["programs"][0]["articles"][0]
    due = dict(article, key="due", status="in-review", publish_at="2021-12-10T11:00:00+08:00")
    later = dict(article, key="later", status="in-review", publish_at="2021-12-10T13:00:00+08:00")
    doc["programs"][0]["articles"] += [due, later]
    db = make_db(tmp_path, doc)
    s = start_server(db)  # PODIUM_NOW: 2021-12-10 12:00 +08:00
    for _ in range(100):
        if s.request(f"/programs/{MALAYSIA}/articles/due").status == 200:
            break
        time.sleep(0.1)
    assert s.request(f"/programs/{MALAYSIA}/articles/due").status == 200
    assert s.request(f"/programs/{MALAYSIA}/articles/later").status == 404
    articles = {a["key"]: a for a in export_json(db)["programs"][0]["articles"]}
    assert articles["due"]["status"] == "published" and "publish_at" not in articles["due"]
    assert articles["later"]["status"] == "in-review" and articles["later"]["publish_at"]


def multipart(fields, files):
    """A multipart/form-data body: fields {name: value}, files [(name, filename, bytes, type)]."""
    import uuid
    boundary = uuid.uuid4().hex
    out = b""
    for name, value in fields.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
    for name, filename, data, ctype in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def send_photos(c, path, changes, files):
    page = c.get(path).text
    fields = form_fields(page)
    fields.update(changes)
    body, ctype = multipart({k: v for k, v in fields.items() if v is not None}, files)
    return c._keep(c.server.request(path, method="POST", body=body,
                                    headers=c._headers({"Content-Type": ctype})))


def jpeg_bytes(width=800, height=600, color=(200, 30, 30)):
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


def test_photos_sent_through_the_form(site):
    db, s = site
    ed, rev = client(s, "ed@example.org"), client(s, "rev@example.org")
    path = write(ed, key="with-photos")
    photos = f"{path}/photos"
    assert ed.get(photos).status == 200
    # a text file named .jpg and a truncated JPEG are refused, naming the file; nothing is kept
    good = jpeg_bytes()
    r = send_photos(ed, photos, {"new_caption": "The lab"},
                    [("files", "notes.jpg", b"just text", "image/jpeg"),
                     ("files", "cut.jpg", good[: len(good) // 2], "image/jpeg")])
    assert r.status == 422
    assert "notes.jpg" in html.unescape(r.text) and "cut.jpg" in html.unescape(r.text)
    assert "photos" not in status_of(db, "with-photos")
    # two photos at once need a caption
    r = send_photos(ed, photos, {"new_caption": ""}, [("files", "Lab Visit.JPG", good, "image/jpeg")])
    assert r.status == 422 and field_error(r.text, "new_caption")
    r = send_photos(ed, photos, {"new_caption": "The lab"},
                    [("files", "Lab Visit.JPG", good, "image/jpeg"),
                     ("files", "Lab Visit.jpeg", jpeg_bytes(color=(30, 30, 200)), "image/jpeg")])
    assert r.status == 303, top_error(r.text) or r.text
    a = status_of(db, "with-photos")
    assert [p["key"] for p in a["photos"]] == ["lab-visit", "lab-visit-2"]
    assert all(p["caption"] == "The lab" and len(p["file"]) == 64 for p in a["photos"])
    assert a["credits"]["photographed_by"] == "guan-rui"  # who sent them
    # the back office shows them (a draft's photos are not public)
    page = ed.get(photos).text
    thumb = re.search(r'<img class="thumbnail" src="([^"]+)"', page).group(1)
    t = ed.get(thumb)
    assert t.status == 200 and t.headers["Content-Type"] == "image/jpeg"
    assert "no-store" in t.headers.get("Cache-Control", "")
    assert s.request(thumb).status in (303, 401)
    file = a["photos"][0]["file"]
    assert s.request(f"/photos/{file}-480.jpg").status == 404
    # the preview of the draft shows its photos from the back office's own addresses
    fields = form_fields(ed.get(path).text)
    r = ed.post(f"/manage/programs/{MALAYSIA}/article-preview", {"body_markdown": "Text.", "key": "with-photos"},
                csrf=fields["csrf"])
    urls = re.findall(r'src="([^"]+)"', r.text)
    assert urls and all(u.startswith(f"{path}/photo-files/") for u in urls)
    assert all(ed.get(u).status == 200 for u in urls) and s.request(urls[0]).status in (303, 401)
    # captions, order and removal in one save
    r = send_photos(ed, photos, {"photos-0-caption": "First, renamed", "photos-0-order": "2",
                                 "photos-1-order": "1", "photos-1-alt": "A blue square"}, [])
    assert r.status == 303
    a = status_of(db, "with-photos")
    assert [(p["key"], p["caption"]) for p in a["photos"]] == [("lab-visit-2", "The lab"),
                                                              ("lab-visit", "First, renamed")]
    assert a["photos"][0]["alt"] == "A blue square"
    # a photo the text places cannot be removed
    assert step(ed, path, "save", {"body_markdown": "See below.\n\n![it](photo:lab-visit)"}).status == 303
    r = send_photos(ed, photos, {"photos-1-delete": "1"}, [])
    assert r.status == 422 and "lab-visit" in html.unescape(r.text)
    assert len(status_of(db, "with-photos")["photos"]) == 2
    r = send_photos(ed, photos, {"photos-0-delete": "1"}, [])
    assert r.status == 303 and [p["key"] for p in status_of(db, "with-photos")["photos"]] == ["lab-visit"]
    # published: the photos are public, with their renditions
    assert step(ed, path, "submit").status == 303
    assert step(rev, path, "publish").status == 303
    page = s.request(f"/programs/{MALAYSIA}/articles/with-photos")
    assert "<picture" in page.text and "srcset" in page.text
    assert s.request(f"/photos/{file}-480.jpg").status == 200
    # the cards show the first photo; the API links the renditions
    assert f"/photos/{file}-480.jpg" in s.request("/articles").text
    assert f"/photos/{file}-480.jpg" in s.request("/").text
    api = s.request(f"/api/v1/programs/{MALAYSIA}").json()
    shown = next(x for x in api["programs"][0]["articles"] if x["key"] == "with-photos")
    renditions = shown["photos"][0]["renditions"]
    assert {x["type"] for x in renditions} == {"image/webp", "image/jpeg"}
    assert all(s.request(x["url"]).status == 200 for x in renditions)
    assert renditions[0]["width"] == 480 and renditions[0]["height"] == 360
    # an editor no longer changes the photos of the published article
    r = send_photos(ed, photos, {"photos-0-caption": "Changed"}, [])
    assert r.status == 409
