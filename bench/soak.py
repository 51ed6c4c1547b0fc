#!/usr/bin/python3
"""Soak of a running `podium serve`, see bench/README.md.

    soak.py --port PORT --pid PID --db DB --podium PODIUM --log SERVER_LOG
            --work DIR --seconds N [--examples DIR]

Crawls the site from / for every public address, then for N seconds runs
wrk (-t2 -c64, a Lua script that rotates over those addresses and a few
that must answer 404) while, every IMPORT_EVERY seconds, `podium --db DB
import --replace FILE` loads an example whose first session's title carries
a counter (and checks the API shows it).  The server's RSS and open files
are sampled every second.  Prints the figures and the targets (MISS does
not fail); exits 3 when the server died, 2 when this script failed.
Standard library only.
"""

import argparse
import collections
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"

# Addresses that must answer 404 (a few of the load's requests).
NOT_FOUND = [
    "/no-such-page",
    "/programs/no-such-program",
    "/people/no-such-person",
    "/static/no-such-file.css",
    "/api/v1/programs/no-such-program",
]


class Overrun(BaseException):
    pass


def on_alarm(signum, frame):
    raise Overrun()


def get(port, path, timeout=5.0):
    """(status, headers dict, body) of one GET on a new connection; status 0 on an error."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
                       % (path, HOST, port)).encode("latin-1"))
            data = bytearray()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                s.settimeout(max(deadline - time.monotonic(), 0.001))
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return 0, {}, b""
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0]) if lines else None
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return (int(m.group(1)) if m else 0), headers, body


def crawl(port, limit=500):
    """Every same-site address reachable from / (href and src), answered 2xx."""
    seen = {"/"}
    queue = ["/"]
    ok = []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        status, headers, body = get(port, path)
        if not 200 <= status < 300:
            raise SystemExit("soak: %s answers %s during the crawl" % (path, status or "nothing"))
        ok.append(path)
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        for link in re.findall(rb'(?:href|src)="([^"]+)"', body):
            link = link.decode("utf-8", "replace")
            u = urllib.parse.urlsplit(link)
            if u.scheme or u.netloc or not u.path.startswith("/"):
                continue
            p = u.path + ("?" + u.query if u.query else "")
            if p not in seen:
                seen.add(p)
                queue.append(p)
    return ok


def routes(port):
    """The load's addresses: the crawl's, the query variants, the deliberate 404s."""
    found = crawl(port)
    paths = list(found)
    programs = sorted(p for p in found if re.fullmatch(r"/programs/[^/?]+", p))
    for p in programs:
        for extra in (p + "?tz=America/Lima", p + "/timetable.ics", "/api/v1" + p):
            if extra not in paths:
                paths.append(extra)
    for extra in ("/?page=1", "/healthz", "/api/v1/programs", "/articles"):
        if extra not in paths:
            paths.append(extra)
    for p in paths:
        status, _, _ = get(port, p)
        if not 200 <= status < 400:
            raise SystemExit("soak: %s answers %s before the load" % (p, status or "nothing"))
    for p in NOT_FOUND:
        status, _, _ = get(port, p)
        if status != 404:
            raise SystemExit("soak: %s answers %s, not 404" % (p, status or "nothing"))
    return paths


ROUTES = [
    (r"/", "/"),
    (r"/\?page=.*", "/?page=N"),
    (r"/programs/[^/?]+", "/programs/SLUG"),
    (r"/programs/[^/?]+\?tz=.*", "/programs/SLUG?tz=ZONE"),
    (r"/programs/[^/?]+/timetable\.ics", "/programs/SLUG/timetable.ics"),
    (r"/programs/[^/?]+/articles/[^/?]+", "/programs/SLUG/articles/KEY"),
    (r"/articles", "/articles"),
    (r"/people/[^/?]+", "/people/KEY"),
    (r"/api/v1/programs", "/api/v1/programs"),
    (r"/api/v1/programs/[^/?]+", "/api/v1/programs/SLUG"),
    (r"/healthz", "/healthz"),
    (r"/static/.+", "/static/FILE"),
]


def route_of(path):
    for pattern, name in ROUTES:
        if re.fullmatch(pattern, path):
            return name
    return path


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_lua(path, paths):
    with open(path, "w") as f:
        f.write("-- generated by bench/soak.py: rotates over these addresses\n")
        f.write("local paths = {\n%s\n}\n" % ",\n".join("  " + lua_string(p) for p in paths))
        f.write("""local n = #paths
local threads = 0
function setup(thread)
  thread:set("first", threads * 7)
  threads = threads + 1
end
function init(args)
  i = first or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % n) + 1])
end
""")


HZ = os.sysconf("SC_CLK_TCK")


def cpu_busy():
    """CPU ticks the whole machine spent busy (user nice system irq softirq steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def cpu_of(pid):
    """CPU ticks (user + system) of pid, 0 when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def cpu_own():
    """CPU ticks of this process and of the children it has waited for."""
    t = os.times()
    return int((t.user + t.system + t.children_user + t.children_system) * HZ)


class CpuWatch:
    """What other processes took of the machine between start() and stop(), in %."""

    def __init__(self, pid):
        self.pid = pid

    def start(self):
        self.t0, self.busy0, self.srv0, self.own0 = time.monotonic(), cpu_busy(), cpu_of(self.pid), cpu_own()

    def stop(self):
        dt = max(time.monotonic() - self.t0, 0.001)
        busy, srv, own = cpu_busy() - self.busy0, cpu_of(self.pid) - self.srv0, cpu_own() - self.own0
        avail = dt * HZ * (os.cpu_count() or 1)
        self.other = max(0.0, 100.0 * (busy - srv - own) / avail)
        self.server = 100.0 * srv / (dt * HZ)  # % of one CPU
        self.ours = 100.0 * own / (dt * HZ)
        return self


def proc_status(pid):
    """(VmRSS KiB, open fds, threads, VmHWM KiB, (RssAnon, RssFile, RssShmem) KiB), or None
    when pid is gone or a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return None
        v = {}
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, rest = line.partition(":")
                if k in ("VmRSS", "Threads", "VmHWM", "RssAnon", "RssFile", "RssShmem"):
                    v[k] = int(rest.split()[0])
        return (v["VmRSS"], len(os.listdir("/proc/%d/fd" % pid)), v["Threads"], v["VmHWM"],
                (v["RssAnon"], v["RssFile"], v["RssShmem"]))
    except (OSError, IndexError, KeyError, ValueError):
        return None


class Sampler(threading.Thread):
    def __init__(self, pid, t0):
        super().__init__(daemon=True)
        self.pid, self.t0 = pid, t0
        self.samples = []  # (seconds since t0, rss KiB, fds, threads, (anon, file, shmem) KiB)
        self.dead = False
        self.halt = threading.Event()

    def run(self):
        while True:
            s = proc_status(self.pid)
            if s is None:
                self.dead = True
                return
            self.samples.append((time.monotonic() - self.t0, s[0], s[1], s[2], s[4]))
            if self.halt.wait(1.0):
                return


class Importer(threading.Thread):
    """Every `every` seconds: import --replace an example with a changed session title."""

    def __init__(self, args, work, every):
        super().__init__(daemon=True)
        self.args, self.work, self.every = args, work, every
        self.docs = []
        for path in sorted(glob.glob(os.path.join(args.examples, "*.json"))):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            try:
                doc["programs"][0]["sessions"][0]["title"]
            except (KeyError, IndexError, TypeError):
                continue
            self.docs.append(doc)
        if not self.docs:
            raise SystemExit("soak: no example in %s has a program with a session" % args.examples)
        self.done = self.failed = self.visible = 0
        self.seconds = []
        self.errors = collections.Counter()
        self.halt = threading.Event()

    def one(self, n):
        doc = json.loads(json.dumps(self.docs[n % len(self.docs)]))
        program = doc["programs"][0]
        session = program["sessions"][0]
        marker = "(soak %d)" % n
        session["title"] = "%s %s" % (session["title"], marker)
        path = os.path.join(self.work, "import.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
        t0 = time.monotonic()
        try:
            p = subprocess.run([self.args.podium, "--db", self.args.db, "import", "--replace", path],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=60)
            rc, err = p.returncode, p.stderr.decode("utf-8", "replace").strip()
        except subprocess.TimeoutExpired:
            rc, err = -1, "did not finish in 60 s"
        self.seconds.append(time.monotonic() - t0)
        if rc != 0:
            self.failed += 1
            self.errors["exit %s: %s" % (rc, err.splitlines()[0][:160] if err else "")] += 1
            return
        self.done += 1
        # the server shows the new title (its cache follows the database)
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            status, _, body = get(self.args.port, "/api/v1/programs/" + program["slug"])
            if status == 200 and marker.encode() in body:
                self.visible += 1
                return
            time.sleep(0.1)

    def run(self):
        n = 1
        while not self.halt.wait(self.every):
            self.one(n)
            n += 1


def parse_wrk(text):
    def num(pattern, default=0):
        m = re.search(pattern, text, re.M)
        return int(m.group(1)) if m else default
    errors = {}
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    for i, k in enumerate(("connect", "read", "write", "timeout")):
        errors[k] = int(m.group(i + 1)) if m else 0
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    p99 = float(m.group(1)) * unit[m.group(2)] if m else float("nan")
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    return {
        "requests": num(r"^\s+(\d+) requests in"),
        "errors": errors,
        "non2xx": num(r"Non-2xx or 3xx responses: (\d+)"),
        "p99": p99,
        "rps": float(m.group(1)) if m else 0.0,
    }


def read_log(path, deliberate, offset=0):
    """The access log from byte offset: answers by status, the unexpected ones by address."""
    by_status = collections.Counter()
    unexpected = collections.Counter()
    incomplete = 0
    lines = other = 0
    with open(path, "rb") as raw:
        raw.seek(offset)
        for line in raw:
            line = line.decode("utf-8", "replace")
            parts = line.split(" ")
            if len(parts) < 7 or not re.match(r"\d{4}-\d\d-\d\dT", parts[0]):
                other += 1
                continue
            lines += 1
            path_, status = parts[3], parts[4]
            by_status[status] += 1
            if line.rstrip().endswith("(not completed)"):
                incomplete += 1
            ok = status == "404" if path_ in deliberate else status[:1] in ("2", "3")
            if not ok:
                unexpected["%s %s" % (status, path_)] += 1
    return lines, by_status, unexpected, incomplete, other


def idle_fds(pid, timeout=10.0):
    """The server's open files once the load's connections are gone (lowest seen over ~2 s)."""
    t0 = time.monotonic()
    low = None
    stable = 0
    while time.monotonic() - t0 < timeout:
        s = proc_status(pid)
        if s is None:
            return None
        if low is not None and s[1] == low:
            stable += 1
            if stable >= 8:
                break
        else:
            stable = 0
        low = s[1] if low is None else min(low, s[1])
        time.sleep(0.25)
    return low


def at(samples, t):
    """The sample nearest to t seconds."""
    return min(samples, key=lambda s: abs(s[0] - t))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--podium", required=True)
    ap.add_argument("--log", required=True, help="the server's standard error (access log)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--examples", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "..", "examples"))
    ap.add_argument("--seconds", type=int, default=300)
    ap.add_argument("--import-every", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.seconds + args.warmup + 180)
    try:
        return run(args)
    except Overrun:
        print("soak: the run took longer than its bound: stopped", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run(args):
    paths = routes(args.port)
    load = paths + NOT_FOUND
    lua = os.path.join(args.work, "soak.lua")
    write_lua(lua, load)
    url = "http://%s:%d" % (HOST, args.port)
    wrk = ["wrk", "-t%d" % args.threads, "-c%d" % args.connections, "--timeout", "10s", "--latency",
           "-s", lua]

    # warm-up: every worker thread opens its database connection, the cache fills
    w = subprocess.run(wrk + ["-d%ds" % args.warmup, url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=args.warmup + 30)
    if w.returncode != 0:
        raise SystemExit("soak: wrk failed: %s" % w.stdout.decode("utf-8", "replace"))
    warm = parse_wrk(w.stdout.decode("utf-8", "replace"))
    fds_before = idle_fds(args.pid)
    start = proc_status(args.pid)
    if fds_before is None or start is None:
        print("soak: the server DIED during the warm-up")
        return 3
    time.sleep(1.2)  # podium writes its access log at least once a second
    log_offset = os.path.getsize(args.log)

    t0 = time.monotonic()
    sampler = Sampler(args.pid, t0)
    importer = Importer(args, args.work, args.import_every)
    cpu = CpuWatch(args.pid)
    cpu.start()
    sampler.start()
    importer.start()
    p = subprocess.Popen(wrk + ["-d%ds" % args.seconds, url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = p.communicate(timeout=args.seconds + 60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        print("soak: wrk did not stop on time")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        importer.halt.set()
        importer.join(90)
    cpu.stop()
    elapsed = time.monotonic() - t0
    samples = list(sampler.samples)
    sampler.halt.set()
    sampler.join(5)
    if sampler.dead or proc_status(args.pid) is None:
        print("soak: the server (pid %d) DIED during the load" % args.pid)
        return 3
    res = parse_wrk(out.decode("utf-8", "replace"))
    if p.returncode != 0 or not res["requests"]:
        print(out.decode("utf-8", "replace"))
        raise SystemExit("soak: wrk failed (exit status %s)" % p.returncode)
    fds_after = idle_fds(args.pid)
    end = proc_status(args.pid)
    if fds_after is None or end is None:
        print("soak: the server (pid %d) DIED after the load" % args.pid)
        return 3
    time.sleep(1.5)  # the access log is written at least once a second
    lines, by_status, unexpected, incomplete, other = read_log(args.log, set(NOT_FOUND), log_offset)
    deliberate = by_status["404"] - sum(n for k, n in unexpected.items() if k.startswith("404 "))

    # RSS: at the first minute (a quarter of the run when it is shorter than 4 minutes) and at the end
    ref_t = 60 if args.seconds >= 240 else args.seconds / 4.0
    load_samples = [s for s in samples if s[0] <= args.seconds]
    ref = at(load_samples, ref_t)
    last = load_samples[-1]
    growth = 100.0 * (last[1] - ref[1]) / ref[1]
    peak = max(s[1] for s in samples)
    fds_load = [s[2] for s in load_samples]

    errors = sum(res["errors"].values())
    bad = sum(unexpected.values())
    print("load: wrk -t%d -c%d -d%ds over %d addresses (%d pages and files found from /, their query "
          "variants, %d that must answer 404); an import --replace every %.0f s"
          % (args.threads, args.connections, args.seconds, len(load), len(paths), len(NOT_FOUND),
             args.import_every))
    groups = collections.Counter(route_of(p_) for p_ in paths)
    print("addresses     %s; 404: %s" % (", ".join("%s x%d" % kv for kv in groups.items()),
                                         " ".join(NOT_FOUND)))
    print()
    print("requests      %s in %.0f s (%.0f/s), p99 %.2f ms" % (
        "{:,}".format(res["requests"]), elapsed, res["rps"], res["p99"]))
    print("wrk errors    connect %(connect)d, read %(read)d, write %(write)d, timeout %(timeout)d"
          % res["errors"])
    print("not 2xx/3xx   %s (wrk); access log: %s 404 of the deliberate addresses, %d other "
          "answers not 2xx/3xx%s" % (
              "{:,}".format(res["non2xx"]), "{:,}".format(deliberate), bad,
              (": " + ", ".join("%s x%d" % kv for kv in unexpected.most_common(5))) if bad else ""))
    print("access log    %s lines in the load (the imports' checks included), by status: %s; %d not completed, "
          "%d other lines" % ("{:,}".format(lines),
                              ", ".join("%s %s" % (k, "{:,}".format(v)) for k, v in sorted(by_status.items())),
                              incomplete, other))
    imp = importer
    print("imports       %d done, %d failed, %d of the done shown by the API within 3 s; "
          "%.2f s median, %.2f s slowest%s" % (
              imp.done, imp.failed, imp.visible,
              sorted(imp.seconds)[len(imp.seconds) // 2] if imp.seconds else 0.0,
              max(imp.seconds) if imp.seconds else 0.0,
              ("; " + "; ".join("%s x%d" % kv for kv in imp.errors.most_common(3))) if imp.errors else ""))
    print("RSS           %.1f MB before the load, %.1f MB at %.0f s, %.1f MB at the end (%.0f s): "
          "%+.2f %% after %s; peak %.1f MB in the load" % (
              start[0] / 1024, ref[1] / 1024, ref[0], last[1] / 1024, last[0], growth,
              "the first minute" if ref_t == 60 else "the first quarter (a run under 4 minutes)",
              peak / 1024))
    step = max(1, int(round(args.seconds / 20.0)))
    series = [s for s in load_samples if int(s[0]) % step == 0]
    seen = set()
    cells = []
    for s in series:
        if int(s[0]) in seen:
            continue
        seen.add(int(s[0]))
        cells.append("%.1f" % (s[1] / 1024))
    print("RSS every %ds  %s MB" % (step, " ".join(cells)))
    print("RSS split     anon/file/shmem %s MB at %.0f s, %s MB at the end" % (
        "/".join("%.1f" % (x / 1024) for x in ref[4]), ref[0],
        "/".join("%.1f" % (x / 1024) for x in last[4])))
    print("CPU           server %.0f%% of one CPU, wrk, imports and this script %.0f%%; other processes "
          "%.0f%% of the machine%s" % (cpu.server, cpu.ours, cpu.other,
                                      " (WARNING: the throughput figures are noisy)" if cpu.other > 5 else ""))
    print("fds           %d idle before the load, %d idle after; %d..%d during it; threads %d"
          % (fds_before, fds_after, min(fds_load), max(fds_load), end[2]))
    print()
    total = errors + bad + imp.failed
    verdicts = [
        ("errors (wrk socket errors + unexpected answers + failed imports)", "%d" % total, "0", total == 0),
        ("RSS growth after %s" % ("the first minute" if ref_t == 60 else "the first quarter"),
         "%+.2f %%" % growth, "< 5 %", growth < 5.0),
        ("open files, idle after vs before", "%+d" % (fds_after - fds_before), "0 (+-2)",
         abs(fds_after - fds_before) <= 2),
        ("imports shown by the API", "%d of %d" % (imp.visible, imp.done), "all",
         imp.visible == imp.done and imp.done > 0),
    ]
    w = max(len(v[0]) for v in verdicts)
    for what, value, target, ok in verdicts:
        print("%-*s %12s  target %-8s %s%s" % (
            w, what, value, target, "PASS" if ok else "MISS",
            "  (indicative: the target is for runs of 4 minutes or more)"
            if what.startswith("RSS growth") and ref_t != 60 else ""))
    if warm["requests"] == 0:
        print("soak: note: the warm-up made no requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
