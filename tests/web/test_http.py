"""HTTP behaviour: malformed and oversized requests over raw sockets, the
security headers of every HTML answer, the access log, a clean stop on
SIGTERM with an open keep-alive connection, and changes made by another
process showing through the page cache."""

import re
import signal
import socket
import time
import uuid

import pytest

from podium_web import (EXAMPLES_DIR, LESOTHO, MALAYSIA, doc_of, import_doc, make_db,
                        page_text, program)

HTML = "text/html; charset=utf-8"
REFERRER_POLICIES = {"no-referrer", "no-referrer-when-downgrade", "origin",
                     "origin-when-cross-origin", "same-origin", "strict-origin",
                     "strict-origin-when-cross-origin"}


def raw_exchange(server, data, timeout=5.0):
    """Sends data on a new connection and reads until the server closes it or
    `timeout` passes. Returns (bytes answered, closed by the server)."""
    s = socket.create_connection((server.host, server.port), timeout=timeout)
    got = b""
    closed = False
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not b:
                closed = True
                break
            got += b
    finally:
        s.close()
    return got, closed


def status_of(answer):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return int(m.group(1)) if m else None


def assert_still_serving(server):
    r = server.get("/healthz")
    assert r.status == 200, "the server stopped answering /healthz"
    assert server.proc.poll() is None, "the server exited"


def check_bad_request(server, data, allowed, timeout=5.0):
    answer, closed = raw_exchange(server, data, timeout=timeout)
    st = status_of(answer)
    assert answer or closed, "neither an answer nor a close"
    if answer:
        assert st is not None, f"not an HTTP answer: {answer[:80]!r}"
        assert st in allowed, f"answered {st}, expected one of {allowed}"
    assert_still_serving(server)
    return st


def test_garbage_request_line(server):
    for data in (b"GARBAGE\r\n\r\n", b"\x01\x02\xff\xfe\r\n\r\n",
                 b"GET\r\n\r\n", b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                 b"GET / FOO/1.1\r\nHost: x\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"):
        check_bad_request(server, data, allowed=range(400, 500))


@pytest.mark.xfail(strict=True, reason="libmicrohttpd 0.9.75 takes a NUL-led line for an empty "
                   "line and waits for the request line until the 30 s connection timeout; the "
                   "server goes on serving others (a known limit of the library, not worked around)")
def test_nul_bytes_before_request_line(server):
    # NUL bytes are no blank line: a malformed request, to be answered 4xx (or
    # closed), not held open until the connection timeout
    check_bad_request(server, b"\x00GET / HTTP/1.1\r\n\r\n", allowed=range(400, 500),
                      timeout=3.0)


def test_header_too_large(server):
    data = (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
    check_bad_request(server, data, allowed={431, 400})


def test_headers_of_several_kilobytes_are_served(server):
    # a connection keeps its request's headers in 16 KiB (server.c), of which
    # about 7.5 KB may be headers: a 6,000-byte cookie among the usual ones is
    # served, as nginx and Apache serve header lines of up to 8 KB
    r = server.request("/", headers={"Cookie": "other_site=" + "a" * 6000,
                                     "User-Agent": "Mozilla/5.0 " + "b" * 300,
                                     "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert r.status == 200
    data = b"GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + b"c" * 9000 + b"\r\n\r\n"
    check_bad_request(server, data, allowed={431})


def test_many_headers_too_large(server):
    data = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(2000)) + b"\r\n"
    check_bad_request(server, data, allowed={431, 400})


def test_uri_too_long(server):
    data = b"GET /" + b"a" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    check_bad_request(server, data, allowed={414, 400})


def test_incomplete_request_then_close(server):
    for data in (b"GET / HTTP/1.1\r\nHost: x\r\n", b"GET /programs/mal", b"G"):
        s = socket.create_connection((server.host, server.port), timeout=5)
        s.sendall(data)
        time.sleep(0.05)
        s.close()
        assert_still_serving(server)


def test_body_on_get_is_ignored_and_connection_goes_on(server):
    conn = server.connection()
    try:
        conn.request("GET", "/healthz", body=b"x" * 1000,
                     headers={"Content-Length": "1000"})
        r = conn.getresponse()
        r.read()
        assert r.status in (200, 400, 413)
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        assert r.status == 200 and r.read()
    finally:
        conn.close()


# ------------------------------------------------------------- security headers

HTML_PATHS = ["/", f"/programs/{MALAYSIA}", f"/programs/{MALAYSIA}?tz=America/Lima",
              f"/programs/{MALAYSIA}?tz=Nope/Zone", f"/programs/{MALAYSIA}/articles/opening-kicked-off",
              "/articles", "/people/liu-beimin", "/people/samuel-lee", "/nope",
              f"/programs/{LESOTHO}/articles/grandly-opened", "/?page=1"]


def check_csp(csp):
    directives = {}
    for part in csp.split(";"):
        part = part.strip()
        if part:
            name, *sources = part.split()
            directives[name.lower()] = sources
    assert directives.get("frame-ancestors") == ["'none'"], csp
    assert "default-src" in directives, csp
    assert directives["default-src"] in (["'self'"], ["'none'"]), csp
    script = directives.get("script-src", directives["default-src"])
    assert script in (["'self'"], ["'none'"]), f"script-src is not self only: {csp}"
    for name, sources in directives.items():
        for src in sources:
            low = src.lower()
            assert low not in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:",
                               "'unsafe-hashes'"), f"{name} {src} in {csp}"
            assert "://" not in low and not low.startswith("*."), f"{name} {src}: not self"


@pytest.mark.parametrize("path", HTML_PATHS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_security_headers_on_html(server, path, method):
    r = server.request(path, method=method)
    assert r.header("Content-Type") == HTML, (path, r.status, r.header("Content-Type"))
    assert r.header("X-Content-Type-Options") == "nosniff"
    rp = r.header("Referrer-Policy")
    assert rp and {v.strip() for v in rp.split(",")} <= REFERRER_POLICIES, rp
    csp = r.header("Content-Security-Policy")
    assert csp, f"{path}: no Content-Security-Policy"
    check_csp(csp)


def test_security_headers_on_405(server):
    r = server.request("/", method="POST", body=b"")
    assert r.status == 405
    assert r.header("Content-Type") == HTML
    assert r.header("X-Content-Type-Options") == "nosniff"
    check_csp(r.header("Content-Security-Policy") or "")


def test_html_pages_load_no_inline_script(server):
    from podium_web import parse_html
    for path in HTML_PATHS:
        r = server.get(path)
        for tag, attrs, _ in parse_html(r.text).tags:
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/"), f"{path}: inline script"
            assert not any(a.startswith("on") for a in attrs), f"{path}: <{tag}> event handler"
            if tag == "style" or "style" in attrs:
                pytest.fail(f"{path}: inline style (style-src 'self' blocks it)")


# ------------------------------------------------------------- access log

def test_access_log_line_per_request(server):
    token = uuid.uuid4().hex[:12]
    paths = [f"/log-{token}-{i}" for i in range(5)]
    for p in paths:
        assert server.get(p).status == 404
    server.request(f"/log-{token}-head", method="HEAD")
    ok = server.get_ok("/healthz")
    # a 304 is logged too
    etag = server.get_ok(f"/people/liu-beimin?log={token}").header("ETag")
    server.get(f"/people/liu-beimin?log={token}", headers={"If-None-Match": etag})
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in server.stderr().splitlines() if token in line]
        if len(lines) >= 6 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for p in paths:
        mine = [line for line in lines if re.search(re.escape(p) + r"(\s|$)", line)]
        assert len(mine) == 1, f"{p}: {len(mine)} access log lines"
        assert re.search(r"\b404\b", mine[0]), mine[0]
        assert "GET" in mine[0], mine[0]
    head = [line for line in lines if f"/log-{token}-head" in line]
    assert len(head) == 1 and "HEAD" in head[0]
    assert ok.status == 200


def test_access_log_counts_requests_on_one_connection(start_server, tmp_path):
    s = start_server(make_db(tmp_path, doc_of([program("log-prog")])))
    conn = s.connection()
    n = 7
    try:
        for i in range(n):
            conn.request("GET", f"/programs/log-prog?i={i}" if i % 2 else "/healthz")
            conn.getresponse().read()
    finally:
        conn.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [x for x in s.stderr().splitlines() if "/programs/log-prog" in x or "/healthz" in x]
        if len(lines) >= n:
            break
        time.sleep(0.05)
    assert len(lines) == n, lines


# ------------------------------------------------------------- stopping

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_with_open_keep_alive_connection(start_server, tmp_path, sig):
    s = start_server(make_db(tmp_path, doc_of([program("stop-prog")])))
    conn = s.connection()
    conn.request("GET", "/programs/stop-prog")
    r = conn.getresponse()
    r.read()
    assert r.status == 200 and not r.will_close
    t0 = time.monotonic()
    s.proc.send_signal(sig)
    try:
        rc = s.exited()
    finally:
        conn.close()
    took = time.monotonic() - t0
    s.check_clean(rc)
    assert took < 8, f"the server took {took:.1f}s to stop"


def test_sigterm_lets_a_request_in_flight_finish(start_server, tmp_path):
    s = start_server(make_db(tmp_path, doc_of([program("flight-prog")])))
    sock = socket.create_connection((s.host, s.port), timeout=10)
    try:
        # the request is half sent when the signal comes, and completed after it
        sock.sendall(b"GET /programs/flight-prog HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.2)
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(0.1)
        sock.sendall(b"Connection: close\r\n\r\n")
        data = b""
        while True:
            try:
                b = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not b:
                break
            data += b
    finally:
        sock.close()
    s.check_clean(s.exited())
    assert status_of(data) == 200, data[:200]


def test_requests_begun_after_sigterm_are_503_while_one_in_flight_finishes(start_server, tmp_path):
    s = start_server(make_db(tmp_path, doc_of([program("drain-prog")])))
    first = socket.create_connection((s.host, s.port), timeout=10)
    second = socket.create_connection((s.host, s.port), timeout=10)
    try:
        first.sendall(b"GET /programs/drain-prog HTTP/1.1\r\nHost: x\r\n")  # in flight: holds the drain
        time.sleep(0.2)
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        second.sendall(b"GET /programs/drain-prog HTTP/1.1\r\nHost: x\r\n\r\n")
        late = second.recv(65536)
        assert status_of(late) == 503, late[:200]
        assert b"Connection: close" in late
        first.sendall(b"Connection: close\r\n\r\n")
        data = b""
        while True:
            b = first.recv(65536)
            if not b:
                break
            data += b
        assert status_of(data) == 200, data[:200]
    finally:
        first.close()
        second.close()
    s.check_clean(s.exited())


# ------------------------------------------------------------- changes by another process

def _stale_after_change(s, db, tmp_path, doc, old, new, tag):
    """Caches pages, changes the title from another process, and returns the
    answers that still show the old one."""
    first = s.get_ok("/programs/live-prog")
    assert old in page_text(first.text)
    s.get_ok("/programs/live-prog")          # served from the cache now
    s.get_ok("/api/v1/programs/live-prog")
    s.get_ok("/")
    conn = s.connection()                    # a keep-alive connection opened before the change
    conn.request("GET", "/programs/live-prog")
    conn.getresponse().read()
    idle = [s.connection() for _ in range(8)]  # connected, nothing asked yet
    for c in idle:
        c.connect()
    time.sleep(0.05)

    doc["programs"][0]["title"] = new
    import_doc(db, doc, tmp_path, name=f"changed-{tag}.json", replace=True)

    stale = []
    for k, c in enumerate(idle):
        c.request("GET", "/programs/live-prog")
        r = c.getresponse()
        text = r.read().decode()
        c.close()
        if new not in text:
            stale.append((f"idle connection {k}", "/programs/live-prog"))
    for i in range(8):  # new connections, spread over the worker threads
        for path in ("/programs/live-prog", "/", "/api/v1/programs/live-prog"):
            r = s.get(path)
            if new not in r.text or old in r.text:
                stale.append((i, path))
    conn.request("GET", "/programs/live-prog")
    body = conn.getresponse().read().decode()
    conn.close()
    if new not in body:
        stale.append(("keep-alive", "/programs/live-prog"))
    # the old ETag no longer matches
    r = s.get("/programs/live-prog", headers={"If-None-Match": first.header("ETag")})
    if r.status != 200:
        stale.append(("old etag", r.status))
    return stale


@pytest.mark.parametrize("threads", [1, 8])
def test_change_by_another_process_shows_on_next_request(start_server, tmp_path, threads):
    """A page cached before `podium import --replace` by another process is not
    served after it. With several worker threads, each round starts a fresh
    server (so that some threads have not answered anything yet)."""
    doc = doc_of([program("live-prog", title="Title round 0")])
    db = make_db(tmp_path, doc)
    rounds = 1 if threads == 1 else 6
    stale = []
    for n in range(rounds):
        s = start_server(db, threads=threads)
        got = _stale_after_change(s, db, tmp_path, doc, f"Title round {n}",
                                  f"Title round {n + 1}", n)
        stale += [(f"round {n}",) + x for x in got]
    assert not stale, f"stale cached answers after the change: {stale}"


def test_new_program_imported_while_serving(start_server, tmp_path):
    db = make_db(tmp_path, doc_of([program("first-prog")]))
    s = start_server(db, threads=2)
    for _ in range(4):
        assert "/programs/second-prog" not in s.get_ok("/").text
        assert s.get("/programs/second-prog").status == 404
    import_doc(db, EXAMPLES_DIR / f"{LESOTHO}.json", tmp_path)
    import_doc(db, doc_of([program("second-prog")]), tmp_path, name="second.json")
    for _ in range(6):
        assert "/programs/second-prog" in s.get_ok("/").text
        assert s.get("/programs/second-prog").status == 200
