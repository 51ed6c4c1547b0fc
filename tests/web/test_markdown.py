"""Article bodies through cmark: photos as figures or captions, outside
images as links, images nested in image descriptions (a use-after-free
once), and language tags of every length on program pages."""

import copy

from podium_web import load_example, make_db, run, write_doc

MALAYSIA = "malaysia-hightech-2021"
ARTICLE = f"/programs/{MALAYSIA}/articles/opening-kicked-off"


def doc_with_body(body):
    doc = load_example(MALAYSIA)
    doc = copy.deepcopy(doc)
    doc["programs"][0]["articles"][0]["body_markdown"] = body
    return doc


def page(start_server, tmp_path, doc, path):
    db = make_db(tmp_path, doc)
    server = start_server(db)
    return server.get(path)


def test_image_nested_in_a_photo_description(start_server, tmp_path):
    body = ("Before.\n\n![![inner](https://evil.example/x.png)](photo:online-photo)\n\n"
            "Text ![![deeper ![deepest](photo:speech-yu-jun)](https://e.example/y.png)]"
            "(photo:speech-he-ying) after.\n\nEND-OF-BODY")
    r = page(start_server, tmp_path, doc_with_body(body), ARTICLE)
    assert r.status == 200, r
    assert "END-OF-BODY" in r.text
    assert "The online photo</figcaption>" in r.text
    assert "Photo: The speech of He Ying" in r.text
    assert "<img" not in r.text


def test_outside_image_among_photos_becomes_a_link(start_server, tmp_path):
    body = "![a](photo:online-photo) ![b outside](https://example.org/b.png)\n\nEND"
    r = page(start_server, tmp_path, doc_with_body(body), ARTICLE)
    assert r.status == 200, r
    assert '<a href="https://example.org/b.png">b outside</a>' in r.text
    assert "Photo: The online photo" in r.text
    assert "<img" not in r.text
    # a caption inside text, never a <figure> inside a <p> (the photos not placed are a gallery after the text)
    import re
    assert not re.search(r"<p>(?:(?!</p>).)*<figure", r.text, re.S)
    assert '<div class="gallery">' in r.text


def test_long_private_use_language_tag(start_server, tmp_path):
    # a tag that ICU turns into exactly its locale buffer's size, and longer ones
    for extra in (16, 17, 18, 25):
        tag = "en-x" + "-abcdefgh" * extra
        doc = copy.deepcopy(load_example(MALAYSIA))
        doc["programs"][0]["languages"] = [tag]
        d = tmp_path / f"t{extra}"
        d.mkdir()
        rc, out, err = run("import", write_doc(d / "doc.json", doc), db=d / "p.db")
        if rc != 0:
            assert rc == 65, err  # a tag ICU cannot take is refused, never a crash
            continue
        server = start_server(d / "p.db")
        r = server.get(f"/programs/{MALAYSIA}")
        assert r.status == 200, (extra, r)

