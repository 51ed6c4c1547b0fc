"""The rendered page cache: its keys never mix two requests up, a cached
static file keeps its lifetime on 304, and the access log tells the same
size whether an answer came from the cache or not."""

import re
import time

PROGRAM = "/programs/malaysia-hightech-2021"


def cached(server, path):
    """Fetches path until the cache holds it (pages made just after a change are not kept)."""
    for _ in range(3):
        assert server.get(path).status == 200
        time.sleep(0.15)


def test_query_that_only_looks_alike_is_not_served_from_the_cache(server):
    cached(server, PROGRAM + "?tz=Asia/Tokyo&x=y")
    # one parameter whose value holds '&' and '=': not a zone, whatever was cached
    r = server.get(PROGRAM + "?tz=Asia/Tokyo%26x%3Dy")
    assert r.status == 400, r
    assert "Asia/Tokyo&amp;x=y" in r.text


def test_escaped_question_mark_in_the_path_is_not_a_query(server):
    cached(server, PROGRAM + "?tz=Asia/Tokyo")
    assert server.get(PROGRAM + "%3Ftz=Asia/Tokyo").status == 404


def test_304_of_a_cached_static_file_keeps_its_lifetime(server):
    css = re.search(r'href="(/static/podium\.[0-9a-f]+\.css)"', server.html("/")).group(1)
    cached(server, css)
    first = server.get(css)
    assert first.status == 200
    again = server.get(css)  # from the cache
    assert again.status == 200 and again.body == first.body
    r = server.get(css, headers={"If-None-Match": first.header("ETag")})
    assert r.status == 304
    assert "immutable" in r.header("Cache-Control")
    assert r.header("ETag") == first.header("ETag")


def test_access_log_size_is_the_body_size_on_a_cache_hit(server):
    path = "/people/yu-jun"
    sizes = []
    for _ in range(3):  # made, then from the cache
        sizes.append(len(server.get_ok(path).body))
        time.sleep(0.15)
    assert len(set(sizes)) == 1
    deadline = time.time() + 5  # the log is written at most a second late
    while time.time() < deadline:
        logged = re.findall(r" GET /people/yu-jun 200 (\d+) ", server.stderr())
        if len(logged) >= 3:
            break
        time.sleep(0.2)
    assert len(logged) >= 3, server.stderr()[-2000:]
    assert set(int(n) for n in logged) == {sizes[0]}
