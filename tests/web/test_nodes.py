"""Several `podium serve` nodes on one database (docs/deploy.md): a change
written by any of them or by the CLI shows on every node's next request,
with the same ETags everywhere; and (PostgreSQL) the database going away
and coming back under load: 503s with Retry-After meanwhile, never a
crash, and service again within seconds."""

import threading
import time

from backend import cluster, postgresql_only
from podium_web import EXAMPLES_DIR, LESOTHO, MALAYSIA, SAFETY, import_doc, make_db

PROGRAM = f"/programs/{MALAYSIA}"


def test_two_nodes_see_an_import_through_the_cli_at_once(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    a, b = start_server(db), start_server(db)
    pages = ["/", "/api/v1/programs", "/articles"]
    for s in (a, b):  # every page in every node's cache
        for p in pages:
            assert LESOTHO not in s.get_ok(p).text
    import_doc(db, EXAMPLES_DIR / f"{LESOTHO}.json", tmp_path)
    # the CLI has exited: its commit is done, and both nodes know it at their next request
    for s in (a, b):
        assert LESOTHO in s.get_ok("/").text
        assert LESOTHO in s.get_ok("/api/v1/programs").text
    # the ETag comes from the database's data version: the same on every node
    for p in pages + [PROGRAM]:
        assert a.get_ok(p).header("ETag") == b.get_ok(p).header("ETag"), p


def test_a_node_started_later_agrees(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    a = start_server(db)
    import_doc(db, EXAMPLES_DIR / f"{SAFETY}.json", tmp_path)
    b = start_server(db)
    for p in ("/", PROGRAM, f"/programs/{SAFETY}"):
        ra, rb = a.get_ok(p), b.get_ok(p)
        assert ra.body == rb.body and ra.header("ETag") == rb.header("ETag"), p


@postgresql_only
def test_the_database_restarting_under_load(tmp_path, start_server):
    """PostgreSQL stops and starts again while clients keep asking: every
    answer meanwhile is a 200 (a page the cache holds) or a 503 with
    Retry-After (a JSON one under /api/), /healthz says 503, the node never
    crashes, and it serves again within 10 s of the database's return."""
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    s = start_server(db, threads=4)
    statuses, problems = [], []
    stop = threading.Event()

    def client(n):
        i = 0
        while not stop.is_set():
            # a different zone each time: never in the page cache, made from the store
            path = PROGRAM + f"?tz=Etc/GMT{'%2B' if i % 2 else '-'}{i % 12}" if n % 2 else \
                f"/api/v1/programs/{MALAYSIA}?n={i}"
            i += 1
            try:
                r = s.get(path)
            except OSError as e:
                problems.append(f"{path}: {e!r}")
                continue
            statuses.append(r.status)
            if r.status == 503:
                if r.header("Retry-After") is None:
                    problems.append(f"{path}: 503 without Retry-After")
                if path.startswith("/api/") and not r.header("Content-Type").startswith(
                        "application/json"):
                    problems.append(f"{path}: 503 under /api/ is not JSON")
            elif r.status != 200:
                problems.append(f"{path}: {r.status} {r.text[:200]}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        cluster("stop")
        time.sleep(2)
        down = s.get("/healthz")
        during = len(statuses)
        time.sleep(1)
        cluster("start")
        back_at = time.monotonic()
        while time.monotonic() - back_at < 10:
            if s.get("/healthz").status == 200 and s.get(PROGRAM + "?tz=Asia/Tokyo").status == 200 \
                    and s.get(f"/api/v1/programs/{MALAYSIA}?after").status == 200:
                break
            time.sleep(0.1)
        recovered = time.monotonic() - back_at
        time.sleep(1)
    finally:
        stop.set()
        for t in threads:
            t.join()
        cluster("start", check=False)  # whatever happened, the next tests need it
    print(f"back {recovered:.2f} s after the database; {statuses.count(503)} answers 503 and "
          f"{statuses.count(200)} 200 of {len(statuses)}")
    assert s.proc.poll() is None, "the node died"
    assert down.status == 503, down
    assert not problems, problems[:10]
    assert 503 in statuses[during // 2:], "no request saw the database down"
    assert statuses[-1] == 200
    assert recovered < 10, f"serving again only {recovered:.1f} s after the database came back"
    assert "database cannot be reached" in s.stderr() or "cannot be reached" in s.stderr()


@postgresql_only
def test_a_connection_lost_while_idle_is_made_again_unseen(tmp_path, start_server):
    """The database restarts while a node is idle: the node's connections
    are gone without its knowing. The next request that reads (a read's
    BEGIN goes with its first statement) finds that out, connects again and
    asks once more, since nothing was done yet: a 200, not a 503."""
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    s = start_server(db, threads=1)
    for path in (PROGRAM + "?tz=Asia/Tokyo", f"/api/v1/programs/{MALAYSIA}?before"):
        assert s.get(path).status == 200
    try:
        cluster("stop")
        cluster("start")
        for path in (PROGRAM + "?tz=Europe/Paris", f"/api/v1/programs/{MALAYSIA}?after"):
            r = s.get(path)
            assert r.status == 200, (path, r.status, r.text[:300])
    finally:
        cluster("start", check=False)
    assert s.proc.poll() is None
