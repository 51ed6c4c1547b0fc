"""Photos (issue 15): PUT and DELETE /api/v1/programs/SLUG/articles/KEY/photos/PHOTO,
every refusal with its status and nothing left behind (database, temporary
files), metadata stripped and the orientation applied (read back with PIL),
and the renditions served content-addressed, public only for a published
article."""

import io
import os
import re
import struct
import zlib

import pytest
from PIL import Image

from accounts import add_token, add_user
from backend import execute
from images import noise_png
from podium_web import MALAYSIA, export_json, load_example, make_db, run_ok

API = f"/api/v1/programs/{MALAYSIA}/articles"
PUBLISHED = "opening-kicked-off"
DRAFT = "draft-notes"


def jpeg(width=640, height=480, color=(200, 30, 30), **kw):
    b = io.BytesIO()
    Image.new("RGB", (width, height), color).save(b, "JPEG", quality=85, **kw)
    return b.getvalue()


def png(width=64, height=48):
    b = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 255, 128)).save(b, "PNG")
    return b.getvalue()


def flood_png(width=20000, height=20000):
    """A PNG of a few KB whose header claims width x height pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\0" * (width + 1) * 8, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


@pytest.fixture
def site(tmp_path, start_server):
    doc = load_example(MALAYSIA)
    program = doc["programs"][0]
    draft = dict(program["articles"][0], key=DRAFT, status="draft", photos=[],
                 body_markdown="Notes.")
    draft["credits"] = {k: v for k, v in draft["credits"].items() if k != "reviewed_by"}
    program["articles"].append(draft)
    path = tmp_path / "doc.json"
    path.write_text(__import__("json").dumps(doc))
    db = make_db(tmp_path, path)
    add_user(db, "admin@example.org", admin=True)
    add_user(db, "ed@example.org", roles=[("editor", MALAYSIA)])
    add_user(db, "rev@example.org", roles=[("reviewer", MALAYSIA)])
    add_user(db, "other@example.org")
    tokens = {w: add_token(db, f"{w}@example.org") for w in ("admin", "ed", "rev", "other")}
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    server = start_server(db, env={"TMPDIR": str(tmp)})
    return db, server, tokens, tmp


def put(s, article, key, body, token, ctype="image/jpeg", query=""):
    headers = {"Authorization": f"Bearer {token}"}
    if ctype:
        headers["Content-Type"] = ctype
    return s.request(f"{API}/{article}/photos/{key}{query}", method="PUT", headers=headers, body=body)


def put_huge(s, article, key, size, token):
    """A PUT whose head announces size bytes: answered before the body is sent (413)."""
    import socket
    with socket.create_connection((s.host, s.port), timeout=20) as c:
        c.sendall((f"PUT {API}/{article}/photos/{key}?caption=x HTTP/1.1\r\nHost: {s.host}\r\n"
                   f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\n"
                   f"Content-Length: {size}\r\n\r\n").encode() + b"\xff\xd8\xff" + b"\0" * 65536)
        head = c.recv(4096).decode("latin-1")
    return int(head.split(" ")[1])


def delete(s, article, key, token):
    return s.request(f"{API}/{article}/photos/{key}", method="DELETE",
                     headers={"Authorization": f"Bearer {token}"})


def rows(db, sql):
    return execute(db, sql)


def blob_count(db):
    return rows(db, "SELECT count(*) FROM blob")[0][0]


def test_libvips_is_opened_at_the_first_photo(site):
    """A server carries libvips and its sixty libraries only from the first photo it reads:
    serving pages, or refusing a file by its first bytes, does not open it. (The sanitizer
    build links libvips: LeakSanitizer's tracer crashes now and then on a dlopened one.)"""
    db, s, tokens, tmp = site
    needed = __import__("subprocess").run(["readelf", "-d", os.path.realpath(f"/proc/{s.proc.pid}/exe")],
                                          capture_output=True, text=True, check=True).stdout
    if "libasan" in needed:
        assert "libvips" in needed
        pytest.skip("the sanitizer build links libvips")

    def opened():
        with open(f"/proc/{s.proc.pid}/maps") as f:
            return "/libvips.so" in f.read()
    assert s.get(f"/programs/{MALAYSIA}").status == 200
    # a file that is no image is refused by its first bytes, before libvips is needed
    assert put(s, PUBLISHED, "text", b"not an image at all", tokens["admin"], query="?caption=T").status == 415
    assert not opened()
    assert put(s, PUBLISHED, "lazy", jpeg(), tokens["admin"], query="?caption=Lazy").status == 201
    assert opened()


def test_a_jpeg_is_kept_with_its_renditions(site):
    db, s, tokens, tmp = site
    r = put(s, PUBLISHED, "new-one", jpeg(2400, 1600), tokens["admin"], query="?caption=A%20new%20photo&alt=Red")
    assert r.status == 201, r.body[:300]
    doc = r.json()
    assert re.fullmatch(r"[0-9a-f]{64}", doc["file"])
    assert (doc["width"], doc["height"]) == (2400, 1600)
    widths = sorted({(x["width"], x["height"]) for x in doc["renditions"]})
    assert widths == [(480, 320), (960, 640), (1920, 1280)]
    assert {x["type"] for x in doc["renditions"]} == {"image/webp", "image/jpeg"}
    for x in doc["renditions"]:
        got = s.get(x["url"])
        assert got.status == 200
        assert got.header("Content-Type") == x["type"]
        assert got.header("Cache-Control") == "public, max-age=31536000, immutable"
        assert got.header("ETag")
        im = Image.open(io.BytesIO(got.body))
        assert im.size == (x["width"], x["height"])
    photo = [p for a in export_json(db)["programs"][0]["articles"] if a["key"] == PUBLISHED
             for p in a["photos"] if p["key"] == "new-one"]
    assert photo == [{"key": "new-one", "caption": "A new photo", "file": doc["file"], "alt": "Red"}]
    # replaced: 200, the caption kept when none is given
    r = put(s, PUBLISHED, "new-one", jpeg(800, 600, (0, 200, 0)), tokens["rev"])
    assert r.status == 200, r.body[:300]
    assert r.json()["file"] != doc["file"]
    assert s.get(doc["renditions"][0]["url"]).status == 404  # the old file is gone
    assert not os.listdir(tmp)


@pytest.mark.parametrize("fmt, ctype", [("WEBP", "image/webp"), ("PNG", "image/png")])
def test_webp_and_png_originals_have_the_three_renditions(site, fmt, ctype):
    """A WebP original is decoded already scaled (libwebp), a PNG one whole: both give the
    three widths, in proportion, read back at their sizes."""
    db, s, tokens, tmp = site
    b = io.BytesIO()
    Image.new("RGB", (4000, 3000), (20, 120, 60)).save(b, fmt)
    r = put(s, PUBLISHED, f"big-{fmt.lower()}", b.getvalue(), tokens["admin"], ctype=ctype, query="?caption=Big")
    assert r.status == 201, r.body[:300]
    doc = r.json()
    assert (doc["width"], doc["height"]) == (4000, 3000)
    assert sorted({(x["width"], x["height"]) for x in doc["renditions"]}) == [(480, 360), (960, 720), (1920, 1440)]
    for x in doc["renditions"]:
        assert Image.open(io.BytesIO(s.get(x["url"]).body)).size == (x["width"], x["height"])


# (PIL mode, pixel, the WebP rendition's pixel, the JPEG's: alpha flattened on white)
COLOURS = [
    ("RGB", (200, 30, 30), (200, 30, 30), (200, 30, 30)),
    ("L", 90, (90, 90, 90), (90, 90, 90)),
    ("RGBA", (0, 0, 255, 128), (0, 0, 255, 128), (127, 127, 255)),
    ("LA", (40, 64), (40, 40, 40, 64), (199, 199, 199)),
    ("I;16", 30000, (117, 117, 117), (117, 117, 117)),
]


@pytest.mark.parametrize("mode, pixel, webp, jpeg", COLOURS, ids=[c[0] for c in COLOURS])
def test_renditions_keep_colour_and_alpha(site, mode, pixel, webp, jpeg):
    """Grey, alpha and 16-bit originals come out as 8-bit sRGB renditions of the same colour:
    the WebP ones with their alpha (encoded by libwebp from libvips's pixels), the JPEG ones
    flattened on white."""
    db, s, tokens, tmp = site
    b = io.BytesIO()
    Image.new(mode, (1200, 900), pixel).save(b, "PNG")
    r = put(s, PUBLISHED, "colour", b.getvalue(), tokens["admin"], ctype="image/png", query="?caption=C")
    assert r.status == 201, r.body[:300]
    for x in r.json()["renditions"]:
        im = Image.open(io.BytesIO(s.get(x["url"]).body))
        assert im.size == (x["width"], x["height"])
        want = webp if x["type"] == "image/webp" else jpeg
        got = im.convert("RGBA" if len(want) == 4 else "RGB").getpixel((im.width // 2, im.height // 2))
        assert all(abs(g - w) <= 6 for g, w in zip(got, want)), (x["type"], x["width"], got, want)


def test_libvips_loads_none_of_its_modules(site):
    """libvips's modules (ImageMagick, poppler, OpenSlide, HEIF, JPEG XL loaders) are not
    loaded into the server: Podium reads JPEG, PNG and WebP through their own loaders."""
    db, s, tokens, tmp = site
    assert put(s, PUBLISHED, "modules", jpeg(), tokens["admin"], query="?caption=M").status == 201
    with open(f"/proc/{s.proc.pid}/maps") as f:
        maps = f.read()
    assert "libvips.so" in maps
    assert "vips-modules" not in maps and "libMagick" not in maps and "libpoppler" not in maps


def test_refusals_leave_nothing(site):
    db, s, tokens, tmp = site
    before = export_json(db)
    blobs = blob_count(db)
    good = jpeg()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    cases = [
        (put(s, PUBLISHED, "p", b"just some text, named .jpg\n" * 20, tokens["admin"], query="?caption=x"), 415),
        (put(s, PUBLISHED, "p", good[:len(good) // 2], tokens["admin"], query="?caption=x"), 422),
        (put(s, PUBLISHED, "p", flood_png(), tokens["admin"], ctype="image/png", query="?caption=x"), 422),
        (put(s, PUBLISHED, "p", svg, tokens["admin"], ctype="image/svg+xml", query="?caption=x"), 415),
        (put(s, PUBLISHED, "p", svg, tokens["admin"], query="?caption=x"), 415),
        (put(s, PUBLISHED, "p", good, tokens["admin"]), 422),                     # new: no caption
        (put(s, PUBLISHED, "p", good, tokens["admin"], ctype="image/png", query="?caption=x"), 415),
        (put(s, PUBLISHED, "p", good, tokens["other"], query="?caption=x"), 403),  # no role
        (put(s, PUBLISHED, "p", good, tokens["ed"], query="?caption=x"), 409),     # editor, published
        (put(s, "no-such-article", "p", good, tokens["admin"], query="?caption=x"), 404),
        (put(s, PUBLISHED, "Bad%20Key", good, tokens["admin"], query="?caption=x"), 422),
        (put(s, PUBLISHED, "p", good, "A" * 43, query="?caption=x"), 401),
        (delete(s, PUBLISHED, "no-such-photo", tokens["admin"]), 404),
        (delete(s, PUBLISHED, "online-photo", tokens["ed"]), 409),
    ]
    for r, status in cases:
        assert r.status == status, (status, r.status, r.body[:300])
    assert put_huge(s, PUBLISHED, "p", 30 * 1024 * 1024, tokens["admin"]) == 413
    assert export_json(db) == before
    assert blob_count(db) == blobs
    assert not os.listdir(tmp)


def test_gps_stripped_and_orientation_applied(site):
    db, s, tokens, tmp = site
    exif = Image.Exif()
    gps = {1: "N", 2: (22.0, 30.0, 0.0), 3: "E", 4: (114.0, 10.0, 0.0)}
    exif[0x8825] = gps
    exif[0x0112] = 3  # upside down
    # top half red, bottom half blue: stored upside down, shown upright it is blue above
    im = Image.new("RGB", (600, 400), (255, 0, 0))
    im.paste((0, 0, 255), (0, 200, 600, 400))
    b = io.BytesIO()
    im.save(b, "JPEG", quality=90, exif=exif.tobytes())
    r = put(s, PUBLISHED, "gps", b.getvalue(), tokens["admin"], query="?caption=Turned")
    assert r.status == 201, r.body[:300]
    doc = r.json()
    file_bytes = bytes(rows(db, f"SELECT data FROM blob WHERE hash = '{doc['file']}'")[0][0])
    for data in [file_bytes] + [s.get(x["url"]).body for x in doc["renditions"]]:
        got = Image.open(io.BytesIO(data))
        ex = got.getexif()
        assert 0x8825 not in ex and not ex.get_ifd(0x8825)
        assert ex.get(0x0112, 1) == 1
        rgb = got.convert("RGB")
        w, h = rgb.size
        top, bottom = rgb.getpixel((w // 2, h // 8)), rgb.getpixel((w // 2, h * 7 // 8))
        assert top[2] > 200 and top[0] < 60, top        # blue above
        assert bottom[0] > 200 and bottom[2] < 60, bottom  # red below


def test_drafts_photos_are_never_public(site):
    db, s, tokens, tmp = site
    r = put(s, DRAFT, "d1", png(), tokens["ed"], ctype="image/png", query="?caption=Draft%20photo")
    assert r.status == 201, r.body[:300]
    doc = r.json()
    assert len(doc["renditions"]) == 2 and doc["renditions"][0]["width"] == 64  # never wider
    for x in doc["renditions"]:
        assert s.get(x["url"]).status == 404
    assert s.get("/photos/" + "0" * 64 + "-480.jpg").status == 404
    assert s.get("/photos/nothing").status == 404
    # the editor may delete it again from the draft
    r = delete(s, DRAFT, "d1", tokens["ed"])
    assert r.status == 200, r.body[:300]
    assert blob_count(db) == 0


def test_delete_renumbers_and_collects(site):
    db, s, tokens, tmp = site
    assert put(s, PUBLISHED, "x1", jpeg(), tokens["admin"], query="?caption=One").status == 201
    assert blob_count(db) > 0
    assert delete(s, PUBLISHED, "x1", tokens["admin"]).status == 200
    assert delete(s, PUBLISHED, "online-photo", tokens["admin"]).status == 200
    keys = [p["key"] for a in export_json(db)["programs"][0]["articles"] if a["key"] == PUBLISHED
            for p in a["photos"]]
    assert "online-photo" not in keys and len(keys) == 7
    positions = rows(db, "SELECT ph.position FROM photo ph JOIN article a ON a.id = ph.article_id "
                         f"WHERE a.key = '{PUBLISHED}' ORDER BY ph.position")
    assert [p for (p,) in positions] == list(range(7))
    assert blob_count(db) == 0


def test_a_large_photo_is_streamed_and_kept_in_parts(site):
    """An original over 1 MiB goes from its temporary file into the store in parts of 1 MiB
    (blob_chunk), is served and exported whole, and its parts go with it; the answer says
    what its parts took (Server-Timing)."""
    db, s, tokens, tmp = site
    r = put(s, PUBLISHED, "big", noise_png(1600, 1200), tokens["admin"], ctype="image/png",
            query="?caption=Noise")
    assert r.status == 201, r.body[:300]
    timing = dict(re.findall(r"(\w+);dur=([0-9.]+)", r.header("Server-Timing") or ""))
    assert set(timing) == {"original", "renditions", "store"}, r.header("Server-Timing")
    file = r.json()["file"]
    (chunks, length), = rows(db, f"SELECT chunks, length(data) FROM blob WHERE hash = '{file}'")
    assert chunks >= 2 and length == 1024 * 1024, chunks
    parts = rows(db, f"SELECT seq, length(data) FROM blob_chunk WHERE hash = '{file}' ORDER BY seq")
    assert [seq for seq, _ in parts] == list(range(1, chunks + 1))
    assert all(n == 1024 * 1024 for _, n in parts[:-1]) and 0 < parts[-1][1] <= 1024 * 1024
    out = tmp.parent / "files"
    run_ok("export", "--files", out, MALAYSIA, db=db)
    kept = (out / f"{file}.png").read_bytes()
    assert len(kept) == length + sum(n for _, n in parts)
    assert __import__("hashlib").sha256(kept).hexdigest() == file
    assert Image.open(io.BytesIO(kept)).size == (1600, 1200)
    assert not os.listdir(tmp)
    assert delete(s, PUBLISHED, "big", tokens["admin"]).status == 200
    assert rows(db, f"SELECT count(*) FROM blob_chunk WHERE hash = '{file}'") == [(0,)]


def test_article_page_shows_pictures(site):
    db, s, tokens, tmp = site
    page = s.get(f"/programs/{MALAYSIA}/articles/{PUBLISHED}").text
    placeholders = page.count('class="photo-frame"')
    assert placeholders > 1 and "<picture>" not in page
    first = put(s, PUBLISHED, "offline-venue", jpeg(2000, 1000), tokens["admin"], query="?alt=The%20venue").json()
    second = put(s, PUBLISHED, "online-photo", jpeg(700, 700), tokens["admin"]).json()
    page = s.get(f"/programs/{MALAYSIA}/articles/{PUBLISHED}").text
    assert page.count("<picture>") == 2
    assert page.count('class="photo-frame"') == placeholders - 2  # the others keep the placeholder
    pictures = re.findall(r"<picture>.*?</picture>", page)
    by_file = {f: p for f in (first["file"], second["file"]) for p in pictures if f in p}
    one, two = by_file[first["file"]], by_file[second["file"]]
    assert 'type="image/webp"' in one
    assert f'/photos/{first["file"]}-480.webp 480w' in one and f'/photos/{first["file"]}-1920.jpg 1920w' in one
    assert 'width="960" height="480"' in one and 'alt="The venue"' in one
    assert f'/photos/{second["file"]}-960.jpg 700w' in two and "1920" not in two.split(second["file"])[-1]
    assert 'width="700" height="700"' in two
    # lazy after the first picture of the page only
    assert ('loading="lazy"' in pictures[0]) is False
    assert all('loading="lazy"' in p for p in pictures[1:])
    # alt: the caption when none is given
    caption = [p for a in export_json(db)["programs"][0]["articles"] if a["key"] == PUBLISHED
               for p in a["photos"] if p["key"] == "online-photo"][0]["caption"]
    from html import escape
    assert f'alt="{escape(caption)}"' in two
    for url in re.findall(r'(/photos/[0-9a-f]{64}-\d+\.(?:webp|jpg))', page):
        assert s.get(url).status == 200


def test_article_page_with_pictures_validates(site, tmp_path):
    """The Nu HTML Checker (npm vnu-jar, as tests/browser runs it) on a page with pictures."""
    import shutil
    import subprocess
    from pathlib import Path
    jar = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists() or not shutil.which("java"):
        pytest.skip("vnu-jar or java missing (make test-browser installs them)")
    db, s, tokens, tmp = site
    put(s, PUBLISHED, "offline-venue", jpeg(2000, 1000), tokens["admin"], query="?alt=The%20venue")
    put(s, PUBLISHED, "online-photo", png(), tokens["admin"], ctype="image/png")
    page = tmp_path / "article.html"
    page.write_text(s.get(f"/programs/{MALAYSIA}/articles/{PUBLISHED}").text)
    proc = subprocess.run(["java", "-jar", str(jar), "--errors-only", str(page)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
