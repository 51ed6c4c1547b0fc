"""ETags made from what a page is made of: the same for every node and
request that asks for the same thing, answered 304 without making the page
(also with the page cache off), new after any change; a store error during
a page is a 500 that is never kept; many threads at once agree."""

import threading
import time

import pytest

from backend import NO_SUCH_TABLE, Connection
from podium_web import (LESOTHO, MALAYSIA, NOW, EXAMPLES_DIR, import_doc, load_example,
                        make_db, run_ok)

PROGRAM = f"/programs/{MALAYSIA}"
PAGES = ["/", PROGRAM, f"{PROGRAM}?tz=America/Lima", f"/programs/{MALAYSIA}/timetable.ics",
         "/articles", "/people/liu-beimin", f"/api/v1/programs/{MALAYSIA}", "/api/v1/programs",
         "/articles.atom", f"/programs/{MALAYSIA}/articles.atom", "/sitemap.xml", "/robots.txt"]


@pytest.fixture
def uncached_db(tmp_path):
    db = make_db(tmp_path, *(EXAMPLES_DIR / f"{s}.json" for s in (MALAYSIA, LESOTHO)))
    run_ok("set", "server.cache_bytes", "0", db=db)
    return db


@pytest.mark.parametrize("path", PAGES)
def test_304_with_the_page_cache_off(uncached_db, start_server, path):
    s = start_server(uncached_db)
    first = s.get_ok(path)
    etag = first.header("ETag")
    assert etag and etag.startswith('"'), first.headers
    assert s.get_ok(path).header("ETag") == etag
    r = s.get(path, headers={"If-None-Match": etag})
    assert r.status == 304 and r.body == b""
    assert r.header("ETag") == etag
    # RFC 9110: a 304 sends no Content-Length, or the length of the 200
    assert r.header("Content-Length") in (None, str(len(first.body))), r.headers
    assert s.get(path, headers={"If-None-Match": '"other"'}).status == 200


def test_every_node_gives_the_same_etag(uncached_db, start_server):
    a, b = start_server(uncached_db), start_server(uncached_db)
    for path in PAGES:
        assert a.get_ok(path).header("ETag") == b.get_ok(path).header("ETag"), path


def test_a_change_makes_a_new_etag(uncached_db, start_server, tmp_path):
    s = start_server(uncached_db)
    old = s.get_ok(PROGRAM).header("ETag")
    doc = load_example(MALAYSIA)
    doc["programs"][0]["title"] = "A title changed while serving"
    import_doc(uncached_db, doc, tmp_path, replace=True)
    r = s.get(PROGRAM, headers={"If-None-Match": old})
    assert r.status == 200 and "A title changed while serving" in r.text
    assert r.header("ETag") != old


def test_the_list_of_programs_depends_on_the_quarter_hour(uncached_db, start_server):
    same = start_server(uncached_db, now="2021-12-10T12:14:59+08:00")
    also = start_server(uncached_db, now="2021-12-10T12:00:00+08:00")
    later = start_server(uncached_db, now="2021-12-10T12:15:00+08:00")
    assert same.get_ok("/").header("ETag") == also.get_ok("/").header("ETag")
    assert later.get_ok("/").header("ETag") != also.get_ok("/").header("ETag")
    # a program page does not depend on the time
    assert later.get_ok(PROGRAM).header("ETag") == also.get_ok(PROGRAM).header("ETag")


def test_a_store_error_is_a_500_that_is_never_kept(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    s = start_server(db)
    path = "/people/liu-beimin"
    good = s.get_ok(path).body
    con = Connection(db)
    con.execute("ALTER TABLE person RENAME TO person_gone")
    try:
        time.sleep(0.2)
        for _ in range(3):
            r = s.get(path)
            assert r.status == 500, r
            assert r.header("Cache-Control") == "no-store"
            assert "Liu Beimin" not in r.text
    finally:
        con.execute("ALTER TABLE person_gone RENAME TO person")
        con.close()
    time.sleep(0.2)
    assert s.get_ok(path).body == good
    errors = [ln for ln in s.stderr().splitlines() if NO_SUCH_TABLE in ln]
    assert errors, s.stderr()[-2000:]


def test_sixteen_threads_with_the_cache_off_agree(uncached_db, start_server):
    s = start_server(uncached_db, threads=16)
    want = {p: s.get_ok(p).body for p in ("/", PROGRAM, "/articles")}
    bad = []

    def hammer():
        for _ in range(40):
            for p, body in want.items():
                r = s.get(p)
                if r.status != 200 or r.body != body:
                    bad.append((p, r.status))

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad, bad[:5]
