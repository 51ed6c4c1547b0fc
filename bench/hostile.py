#!/usr/bin/python3
"""Hostile load against a running `podium serve`, see bench/README.md.

    hostile.py run --port PORT --pid PID [--seconds N] [--phases a,b,...]
    hostile.py client --port PORT --seconds N --paths JSON   (the normal client)

`run` drives the phases one after the other against 127.0.0.1:PORT (the
server's process id PID is read for its RSS and open files): a normal client
(`client`, a separate process so that the attackers' loop does not delay it)
requests a mix of public pages one after the other, half on a fresh
connection each, half on one kept-alive connection, while attackers from
127.0.0.2 .. 127.0.0.21 (each socket bound to its source address before
connect) run in one single-threaded epoll loop:

  baseline    no attack
  slow-loris  SLOW_CONNS connections that send a request head one byte every
              SLOW_INTERVAL seconds, never finishing it; reopened when the
              server closes them
  slow-body   as many connections that send a whole head of a POST / with
              Content-Length: 1000000, then the body one byte at a time
  flood       FLOOD_CONNS connections asking for pages as fast as the server
              answers, half kept alive, half one request per connection
  oversized   heads of 64 KB, a 1 MB header line, 100,000 headers, a 1 MB
              request line, a 100 MB body: what the server answers

Prints one line per phase and the targets.  Exit status: 0 when the server
stayed up (a missed target is printed as MISS, not an error), 3 when the
server died, 2 on a failure of this script.  Standard library only.
"""

import argparse
import collections
import errno
import heapq
import json
import os
import random
import re
import resource
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 10.0  # a normal request not answered in this time is a failure
ATTACKER_ADDRESSES = ["127.0.0.%d" % i for i in range(2, 22)]  # 20 addresses


# ------------------------------------------------------------------ HTTP


class Response:
    """An HTTP/1.1 response read incrementally (Content-Length, chunked or to EOF)."""

    def __init__(self, head_request=False):
        self.buf = bytearray()
        self.head_request = head_request
        self.status = None
        self.head_end = None
        self.length = None  # body length, None: until EOF
        self.chunked = False
        self.close = False
        self.done = False

    def feed(self, data):
        self.buf += data
        while self.head_end is None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return self.done
            lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
            m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
            status = int(m.group(1)) if m else 0
            if 100 <= status < 200:  # an interim answer: the real one follows
                del self.buf[:end + 4]
                continue
            self.status = status
            self.head_end = end + 4
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length" and value.isdigit():
                    self.length = int(value)
                elif name == "transfer-encoding" and "chunked" in value:
                    self.chunked = True
                elif name == "connection" and "close" in value:
                    self.close = True
            if self.head_request or status in (204, 304):
                self.length = 0
        body = len(self.buf) - self.head_end
        if self.chunked:
            self.done = self.buf.endswith(b"\r\n0\r\n\r\n") or (
                body == 5 and self.buf.endswith(b"0\r\n\r\n"))
        elif self.length is not None:
            self.done = body >= self.length
        return self.done

    def eof(self):
        """The server closed: complete when the body was to be read until EOF."""
        if self.head_end is not None and self.length is None and not self.chunked:
            self.done = True
        return self.done


def request_bytes(port, path, close=False, method="GET", extra=""):
    return ("%s %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: podium-bench\r\nAccept: */*\r\n%s%s\r\n"
            % (method, path, HOST, port, extra, "Connection: close\r\n" if close else "")
            ).encode("latin-1")


def error_name(e):
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(e, ConnectionRefusedError):
        return "refused"
    if isinstance(e, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset"
    if isinstance(e, OSError) and e.errno:
        return errno.errorcode.get(e.errno, str(e.errno)).lower()
    return type(e).__name__


# ------------------------------------------------------------------ the normal client


class Closed(Exception):
    """The server closed the connection before answering."""

    def __init__(self, got_bytes):
        super().__init__("closed")
        self.got_bytes = got_bytes


def exchange(sock, data, deadline):
    """Sends data, reads one response; returns it. Raises on error, timeout or close."""
    sock.settimeout(max(deadline - time.monotonic(), 0.001))
    sock.sendall(data)
    resp = Response()
    got = 0
    while not resp.done:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout()
        sock.settimeout(left)
        chunk = sock.recv(65536)
        if not chunk:
            if resp.eof():
                break
            raise Closed(got)
        got += len(chunk)
        resp.feed(chunk)
    return resp


def client_main(args):
    """The normal client: one request at a time for args.seconds; prints JSON samples."""
    paths = json.loads(args.paths)
    port = args.port
    samples = []  # [milliseconds, "new"|"keep", outcome]: a status number or an error name
    kept = None  # the kept-alive connection
    end = time.monotonic() + args.seconds
    i = 0
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while time.monotonic() < end and not stop:
        path = paths[i % len(paths)]
        keep = i % 2 == 1
        i += 1
        t0 = time.monotonic()
        deadline = t0 + REQUEST_TIMEOUT
        outcome = None
        for attempt in (0, 1):
            reused = keep and kept is not None
            try:
                if keep and kept is None:
                    kept = socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT)
                    kept.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if keep:
                    resp = exchange(kept, request_bytes(port, path), deadline)
                    if resp.close:
                        kept.close()
                        kept = None
                else:
                    with socket.create_connection((HOST, port),
                                                  timeout=max(deadline - time.monotonic(), 0.001)) as s:
                        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        resp = exchange(s, request_bytes(port, path, close=True), deadline)
                outcome = resp.status
                break
            except Exception as e:  # noqa: BLE001 (every failure is a sample)
                if keep and kept is not None:
                    kept.close()
                    kept = None
                # a kept-alive connection the server closed while idle: retry once on a
                # new one, as browsers do
                if (reused and attempt == 0 and isinstance(e, (Closed, ConnectionResetError, BrokenPipeError))
                        and getattr(e, "got_bytes", 0) == 0 and time.monotonic() < deadline):
                    continue
                outcome = "closed" if isinstance(e, Closed) else error_name(e)
                break
        samples.append([round((time.monotonic() - t0) * 1000.0, 3), "keep" if keep else "new", outcome])
        if args.pause > 0:
            time.sleep(args.pause)
    if kept is not None:
        kept.close()
    json.dump({"samples": samples}, sys.stdout)
    sys.stdout.write("\n")


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


# ------------------------------------------------------------------ the server's process


def proc_status(pid):
    """(VmRSS KiB, open fds, threads) of pid; None when it is gone or a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return None
        rss = threads = 0
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir("/proc/%d/fd" % pid))
        return rss, fds, threads
    except (OSError, IndexError, ValueError):
        return None


class Sampler(threading.Thread):
    """Reads the server's RSS and fds every 0.2 s; notices when it dies."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.dead = False
        self.lock = threading.Lock()
        self.max_rss = 0
        self.max_fds = 0
        self.halt = threading.Event()

    def reset(self):
        with self.lock:
            self.max_rss = 0
            self.max_fds = 0

    def run(self):
        while not self.halt.wait(0.2):
            s = proc_status(self.pid)
            if s is None:
                self.dead = True
                return
            with self.lock:
                self.max_rss = max(self.max_rss, s[0])
                self.max_fds = max(self.max_fds, s[1])


class ServerDied(Exception):
    pass


class Overrun(BaseException):
    """The whole run took longer than its bound (SIGALRM)."""


def on_alarm(signum, frame):
    raise Overrun()


# ------------------------------------------------------------------ attackers


class Conn:
    __slots__ = ("sock", "src", "kind", "state", "created", "opened", "payload", "sent",
                 "resp", "keep", "path_i", "t_req", "gen", "got", "nreq")

    def __init__(self, sock, src, kind, gen):
        self.sock = sock
        self.src = src
        self.kind = kind
        self.state = "connecting"
        self.created = time.monotonic()
        self.opened = None
        self.payload = bytearray()
        self.sent = 0
        self.resp = None
        self.keep = True
        self.path_i = 0
        self.t_req = 0.0
        self.gen = gen
        self.got = 0
        self.nreq = 0


class Attack:
    """Many attacker connections in one epoll loop.

    kind: "loris" (a head one byte at a time), "body" (a whole head, then the
    body one byte at a time) or "flood" (requests as fast as answered)."""

    def __init__(self, port, kind, count, interval=5.0, paths=None, reopen_delay=0.5):
        self.port = port
        self.kind = kind
        self.count = count
        self.interval = interval
        self.paths = paths or ["/"]
        self.reopen_delay = reopen_delay
        self.sel = selectors.DefaultSelector()
        self.timers = []  # heap of (when, seq, action, conn)
        self.seq = 0
        self.conns = set()
        self.gen = 0
        # what the attackers saw
        self.connects = 0            # connections established
        self.connect_errors = collections.Counter()
        self.closed = 0              # connections the server closed (FIN or RST)
        self.closed_how = collections.Counter()
        self.lifetimes = []          # seconds from connect to the server's close
        self.statuses = collections.Counter()  # answers the server sent
        self.responses = 0
        self.flood_errors = collections.Counter()
        self.started = None

    # -- timers
    def at(self, when, action, conn=None):
        self.seq += 1
        heapq.heappush(self.timers, (when, self.seq, action, conn))

    def start(self):
        self.started = time.monotonic()
        # spread the opening over the addresses and over ~1 s
        for i in range(self.count):
            src = ATTACKER_ADDRESSES[i % len(ATTACKER_ADDRESSES)]
            self.at(self.started + (i / max(self.count, 1)), "open", src)

    def open(self, src):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError as e:
            self.connect_errors[error_name(e)] += 1
            self.at(time.monotonic() + 1.0, "open", src)
            return
        s.setblocking(False)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            s.bind((src, 0))
            rc = s.connect_ex((HOST, self.port))
        except OSError as e:
            s.close()
            self.connect_errors[error_name(e)] += 1
            self.at(time.monotonic() + 1.0, "open", src)
            return
        c = Conn(s, src, self.kind, self.gen)
        if self.kind == "flood":
            c.keep = (self.connects + len(self.conns)) % 2 == 0
            c.path_i = random.randrange(len(self.paths))
        self.conns.add(c)
        if rc in (0, errno.EINPROGRESS):
            self.sel.register(s, selectors.EVENT_WRITE, c)
        else:
            self.connect_errors[errno.errorcode.get(rc, str(rc)).lower()] += 1
            self.drop(c, reopen=True)

    def drop(self, c, reopen):
        if c not in self.conns:
            return
        self.conns.discard(c)
        try:
            self.sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()
        c.state = "closed"
        if reopen:
            delay = 0.0 if (self.kind == "flood" and c.opened) else self.reopen_delay
            self.at(time.monotonic() + delay, "open", c.src)

    def server_closed(self, c, how):
        """The server closed c (how: "fin" or "reset")."""
        if self.kind == "flood":
            if c.resp is not None and c.resp.eof() and c.resp.done:
                self.flood_done(c)
                return
            if c.resp is None or (c.resp.head_end is None and c.got == 0):
                # on a kept-alive connection this may be the server closing it as the
                # next request arrives, which clients retry: counted apart
                self.flood_errors["kept alive, closed before answering" if c.keep and c.nreq > 1
                                  else "closed before answering"] += 1
            else:
                self.flood_errors["closed mid-answer"] += 1
            self.drop(c, reopen=True)
            return
        self.closed += 1
        self.closed_how[how] += 1
        if c.resp is not None and c.resp.status is not None:
            self.statuses[c.resp.status] += 1
        if c.opened is not None:
            self.lifetimes.append(time.monotonic() - c.opened)
        self.drop(c, reopen=True)

    # -- what each kind sends
    def next_bytes(self, c):
        """The bytes c sends next (loris/body trickle), extending its endless head."""
        if c.sent >= len(c.payload):
            if self.kind == "loris":
                c.payload += b"X-Wait-%d: %d\r\n" % (c.sent, c.sent)
            else:
                c.payload += b"a" * 1024
        return c.payload[c.sent:c.sent + 1]

    def flood_send(self, c):
        path = self.paths[c.path_i % len(self.paths)]
        c.path_i += 1
        c.nreq += 1
        c.resp = Response()
        c.got = 0
        c.t_req = time.monotonic()
        data = request_bytes(self.port, path, close=not c.keep)
        try:
            n = c.sock.send(data)
            c.sent += n
            if n < len(data):  # a loopback request this small always fits
                self.flood_errors["short write"] += 1
                self.drop(c, reopen=True)
        except OSError as e:
            self.flood_errors[error_name(e)] += 1
            self.drop(c, reopen=True)

    def flood_done(self, c):
        self.responses += 1
        self.statuses[c.resp.status] += 1
        if c.keep and not c.resp.close:
            self.flood_send(c)
        else:
            self.drop(c, reopen=True)

    def connected(self, c):
        err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self.connect_errors[errno.errorcode.get(err, str(err)).lower()] += 1
            if self.kind == "flood":
                self.flood_errors["connect " + errno.errorcode.get(err, str(err)).lower()] += 1
            self.drop(c, reopen=True)
            return
        c.state = "open"
        c.opened = time.monotonic()
        self.connects += 1
        self.sel.modify(c.sock, selectors.EVENT_READ, c)
        if self.kind == "loris":
            c.payload = bytearray(b"GET /?slow=%d HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: slowloris\r\n"
                                  % (self.connects, HOST.encode(), self.port))
            self.trickle(c)
        elif self.kind == "body":
            head = (b"POST / HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: slowbody\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: 1000000\r\n\r\n" % (HOST.encode(), self.port))
            try:
                c.sock.send(head)
            except OSError as e:
                self.server_closed(c, "reset" if error_name(e) == "reset" else error_name(e))
                return
            self.at(time.monotonic() + random.uniform(0, self.interval), "trickle", c)
        else:
            self.flood_send(c)

    def trickle(self, c):
        if c not in self.conns or c.state != "open":
            return
        try:
            c.sock.send(self.next_bytes(c))
            c.sent += 1
        except BlockingIOError:
            pass  # the server does not read: try again later
        except OSError as e:
            self.server_closed(c, "reset" if error_name(e) == "reset" else error_name(e))
            return
        self.at(time.monotonic() + self.interval * random.uniform(0.8, 1.2), "trickle", c)

    def readable(self, c):
        try:
            data = c.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError as e:
            self.server_closed(c, "reset" if error_name(e) == "reset" else error_name(e))
            return
        if not data:
            self.server_closed(c, "fin")
            return
        c.got += len(data)
        if self.kind == "flood":
            if c.resp is None:
                self.flood_errors["unasked bytes"] += 1
                return
            if c.resp.feed(data):
                self.flood_done(c)
        else:
            if c.resp is None:
                c.resp = Response()
            c.resp.feed(data)

    def step(self, timeout):
        now = time.monotonic()
        if self.timers:
            timeout = max(0.0, min(timeout, self.timers[0][0] - now))
        for key, ev in self.sel.select(timeout):
            c = key.data
            if c not in self.conns:
                continue
            if c.state == "connecting":
                self.connected(c)
            elif ev & selectors.EVENT_READ:
                self.readable(c)
        now = time.monotonic()
        n = 0
        while self.timers and self.timers[0][0] <= now and n < 2000:
            _, _, action, arg = heapq.heappop(self.timers)
            n += 1
            if action == "open":
                if len(self.conns) < self.count:
                    self.open(arg)
            elif action == "trickle":
                self.trickle(arg)

    def stop(self):
        """Closes everything; returns (open, still connecting) at the end."""
        still_open = sum(1 for c in self.conns if c.state == "open")
        connecting = sum(1 for c in self.conns if c.state == "connecting")
        for c in list(self.conns):
            try:
                self.sel.unregister(c.sock)
            except (KeyError, ValueError):
                pass
            c.sock.close()
        self.conns.clear()
        self.timers.clear()
        self.sel.close()
        return still_open, connecting


# ------------------------------------------------------------------ oversized requests


def oversized_cases(port):
    host = b"Host: %s:%d\r\n" % (HOST.encode(), port)
    fill = b"a" * 1000
    head64 = b"GET / HTTP/1.1\r\n" + host + b"".join(
        b"X-Fill-%02d: %s\r\n" % (i, fill) for i in range(64)) + b"\r\n"
    line1m = b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
    many = b"GET / HTTP/1.1\r\n" + host + b"".join(
        b"X-H%d: v\r\n" % i for i in range(100000)) + b"\r\n"
    url1m = b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\n" + host + b"\r\n"
    body = 100 * (1 << 20)
    post = (b"POST / HTTP/1.1\r\n" + host + b"Content-Type: application/octet-stream\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % body)
    return [
        ("64 KB head (64 headers of 1 KB)", head64, 0),
        ("1 MB header line", line1m, 0),
        ("100,000 headers", many, 0),
        ("1 MB request line", url1m, 0),
        ("100 MB body (POST /, sent)", post, body),
    ]


def oversized_one(port, head, body_len, limit):
    """Sends head (and body_len bytes) to the server while reading its answer.

    Returns (status or None, how it ended, bytes sent, seconds)."""
    t0 = time.monotonic()
    deadline = t0 + limit
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    resp = Response()
    total = len(head) + body_len
    sent = 0
    chunk = memoryview(b"b" * 65536)
    end = "timeout"
    try:
        s.bind((ATTACKER_ADDRESSES[0], 0))
        s.connect_ex((HOST, port))
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
        writing = True
        while time.monotonic() < deadline:
            events = sel.select(min(0.5, max(deadline - time.monotonic(), 0)))
            for _, ev in events:
                if ev & selectors.EVENT_READ:
                    try:
                        data = s.recv(65536)
                    except BlockingIOError:
                        data = None
                    if data == b"":
                        resp.eof()
                        end = "closed"
                        raise StopIteration
                    if data:
                        resp.feed(data)
                if writing and ev & selectors.EVENT_WRITE:
                    try:
                        if sent < len(head):
                            sent += s.send(head[sent:sent + 262144])
                        else:
                            sent += s.send(chunk[:min(65536, total - sent)])
                    except BlockingIOError:
                        pass
                    if sent >= total:
                        writing = False
                        sel.modify(s, selectors.EVENT_READ)
            if resp.done and not writing:
                end = "answered"
                break
    except StopIteration:
        pass
    except OSError as e:
        end = error_name(e)
        # whatever arrived before the reset may still be readable
        try:
            data = s.recv(65536)
            if data:
                resp.feed(data)
        except OSError:
            pass
    finally:
        sel.close()
        s.close()
    return resp.status, end, sent, total, time.monotonic() - t0


# ------------------------------------------------------------------ phases


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def fmt_ms(x):
    if x != x:  # nan
        return "-"
    return "%.1f" % x if x < 1000 else "%.0f" % x


def kib_mb(k):
    return k / 1024.0


class Runner:
    def __init__(self, args):
        self.args = args
        self.port = args.port
        self.pid = args.pid
        self.sampler = Sampler(args.pid)
        self.sampler.start()
        self.paths = []
        self.results = {}
        self.children = []

    def alive(self):
        if self.sampler.dead or proc_status(self.pid) is None:
            raise ServerDied()

    def get(self, path, timeout=5.0):
        """One request on a new connection from 127.0.0.1: (status, body) or (error, b"")."""
        deadline = time.monotonic() + timeout
        try:
            with socket.create_connection((HOST, self.port), timeout=timeout) as s:
                r = exchange(s, request_bytes(self.port, path, close=True), deadline)
                return r.status, bytes(r.buf[r.head_end:])
        except Exception as e:  # noqa: BLE001
            return ("closed" if isinstance(e, Closed) else error_name(e)), b""

    def crawl(self):
        """The normal client's pages, a person page found by following the links."""
        paths = ["/", "/programs/malaysia-hightech-2021", "/articles", "/api/v1/programs"]
        status, body = self.get("/programs/malaysia-hightech-2021")
        people = sorted(set(re.findall(rb'href="(/people/[^"#?]+)"', body)))
        if status != 200 or not people:
            # any program's page will do
            _, home = self.get("/")
            for slug in sorted(set(re.findall(rb'href="(/programs/[^"/#?]+)"', home))):
                _, b = self.get(slug.decode())
                people = sorted(set(re.findall(rb'href="(/people/[^"#?]+)"', b)))
                if people:
                    break
        if people:
            paths.append(people[0].decode())
        for p in paths:
            status, _ = self.get(p)
            if status != 200:
                raise SystemExit("hostile: %s answers %s before any attack" % (p, status))
        self.paths = paths

    def start_client(self):
        cmd = [sys.executable, os.path.abspath(__file__), "client", "--port", str(self.port),
               "--seconds", str(self.args.seconds), "--pause", str(self.args.pause),
               "--paths", json.dumps(self.paths)]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.children.append(p)
        return p

    def finish_client(self, p):
        try:
            out, _ = p.communicate(timeout=REQUEST_TIMEOUT + 30)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        self.children.remove(p)
        try:
            return json.loads(out)["samples"]
        except (ValueError, KeyError):
            raise SystemExit("hostile: the normal client printed no result (exit status %s)"
                             % p.returncode)

    def settle(self, base_fds):
        """After an attack: seconds until the server answers /healthz again, and its fds drop."""
        t0 = time.monotonic()
        answered = None
        while time.monotonic() - t0 < 60:
            self.alive()
            if answered is None:
                status, _ = self.get("/healthz", timeout=2.0)
                if status == 200:
                    answered = time.monotonic() - t0
            s = proc_status(self.pid)
            if answered is not None and s and s[1] <= base_fds + 2:
                break
            time.sleep(0.2)
        return answered

    def phase(self, name):
        a = self.args
        self.alive()
        before = proc_status(self.pid)
        self.sampler.reset()
        attack = None
        extra = ""
        t0 = time.monotonic()
        if name == "slow-loris":
            attack = Attack(self.port, "loris", a.slow_conns, interval=a.slow_interval)
        elif name == "slow-body":
            attack = Attack(self.port, "body", a.slow_conns, interval=a.slow_interval)
        elif name == "flood":
            attack = Attack(self.port, "flood", a.flood_conns, paths=self.paths)
        oversized = collections.defaultdict(collections.Counter)
        over_detail = {}
        if attack:
            attack.start()
            # ramp up: every connection opened (or RAMP seconds gone)
            ramp_end = time.monotonic() + a.ramp
            while time.monotonic() < ramp_end:
                attack.step(0.05)
                if attack.connects >= attack.count:
                    break
            self.alive()
        cpu = CpuWatch(self.pid)
        cpu.start()
        client = self.start_client()
        flood_t0, flood_r0 = time.monotonic(), attack.responses if attack else 0
        try:
            cases = oversized_cases(self.port) if name == "oversized" else None
            i = 0
            last_check = time.monotonic()
            while client.poll() is None:
                if attack:
                    attack.step(0.05)
                elif cases:
                    label, head, body = cases[i % len(cases)]
                    i += 1
                    status, end, sent, total, secs = oversized_one(self.port, head, body, 20.0)
                    key = "%s, %s" % (status if status is not None else "no answer", end)
                    oversized[label][key] += 1
                    d = over_detail.setdefault(label, [total, 0, 0.0, 0])
                    d[1] = max(d[1], sent)
                    d[2] = max(d[2], secs)
                    d[3] += 1
                else:
                    time.sleep(0.05)
                if time.monotonic() - last_check > 0.5:
                    self.alive()
                    last_check = time.monotonic()
            flood_secs = time.monotonic() - flood_t0
            samples = self.finish_client(client)
            cpu.stop()
            end = proc_status(self.pid)
            if end is None:
                raise ServerDied()
            if attack:
                still_open, connecting = attack.stop()
        finally:
            if attack and attack.conns:
                attack.stop()
        rss_max = self.sampler.max_rss
        fds_max = self.sampler.max_fds
        recovered = self.settle(before[1]) if name != "baseline" else 0.0
        after = proc_status(self.pid)
        if after is None:
            raise ServerDied()

        lat = [s[0] for s in samples]
        fails = [s for s in samples if not (isinstance(s[2], int) and 200 <= s[2] < 400)]
        why = collections.Counter(str(s[2]) for s in fails)
        res = {
            "name": name, "requests": len(samples), "failures": len(fails), "why": why,
            "p50": pct(lat, 50), "p99": pct(lat, 99), "max": max(lat) if lat else float("nan"),
            "answered": len(samples) - len(fails),
            "rss_end": end[0], "rss_max": rss_max, "fds_end": end[1], "fds_max": fds_max,
            "fds_before": before[1], "rss_before": before[0],
            "recovered": recovered, "fds_after": after[1], "rss_after": after[0],
            "by_mode": {m: [s[0] for s in samples if s[1] == m] for m in ("new", "keep")},
            "secs": time.monotonic() - t0,
            "cpu": cpu,
        }
        if attack and attack.kind != "flood":
            lt = attack.lifetimes
            extra = ("%d conns from %d addresses: %d opened, %d closed by server%s (median life %s s), "
                     "%d open at end, %d still connecting%s%s" % (
                         a.slow_conns, len(ATTACKER_ADDRESSES), attack.connects, attack.closed,
                         " [%s]" % ", ".join("%s %d" % kv for kv in sorted(attack.closed_how.items()))
                         if attack.closed else "",
                         "%.1f" % statistics.median(lt) if lt else "-",
                         still_open, connecting,
                         "; answers %s" % dict(attack.statuses) if attack.statuses else "",
                         "; connect errors %s" % dict(attack.connect_errors) if attack.connect_errors else ""))
            res["open_at_end"] = still_open
        elif attack:
            rate = (attack.responses - flood_r0) / max(flood_secs, 0.001)
            bad = sum(n for st, n in attack.statuses.items() if not 200 <= st < 400)
            extra = ("%d conns from %d addresses (half kept alive): %d answers (%.0f/s), %d not 2xx/3xx, "
                     "errors %s" % (a.flood_conns, len(ATTACKER_ADDRESSES), attack.responses, rate, bad,
                                    dict(attack.flood_errors) if attack.flood_errors else "none"))
            if attack.connect_errors:
                extra += "; connect errors %s" % dict(attack.connect_errors)
        res["attackers"] = extra
        res["oversized"] = (oversized, over_detail)
        self.results[name] = res
        return res


def print_phase(r):
    print("%-10s %6d %6d %8s %8s %8s %8.1f %6d %6d   %s" % (
        r["name"], r["requests"], r["failures"], fmt_ms(r["p50"]), fmt_ms(r["p99"]), fmt_ms(r["max"]),
        kib_mb(r["rss_end"]), r["fds_end"], r["fds_max"], r["attackers"] or "-"))
    notes = []
    for m, label in (("new", "new connection"), ("keep", "kept alive")):
        xs = r["by_mode"][m]
        if xs:
            notes.append("%s p50 %s p99 %s ms" % (label, fmt_ms(pct(xs, 50)), fmt_ms(pct(xs, 99))))
    if r["failures"]:
        notes.append("failures: %s" % ", ".join("%s %d" % kv for kv in r["why"].most_common()))
    cpu = r["cpu"]
    notes.append("CPU: server %.0f%% of one CPU, this script and its client %.0f%%, other processes "
                 "%.0f%% of the machine%s" % (cpu.server, cpu.ours, cpu.other,
                                              " (WARNING: noisy figures)" if cpu.other > 5 else ""))
    notes.append("peak RSS in phase %.1f MB" % kib_mb(r["rss_max"]))
    if r["name"] != "baseline":
        notes.append("server fds above the phase's start: %d at most" % (r["fds_max"] - r["fds_before"]))
    if r["name"] != "baseline":
        notes.append("server answered again %s after the attack stopped, then %d fds, RSS %.1f MB" % (
            "%.1f s" % r["recovered"] if r["recovered"] is not None else "NOT within 60 s",
            r["fds_after"], kib_mb(r["rss_after"])))
    print("%-10s   %s" % ("", "; ".join(notes)))
    oversized, detail = r["oversized"]
    for label in oversized:
        total, sent, secs, n = detail[label]
        print("%-10s   %-32s %s  (%d tries, %s of %s bytes sent at most, %.1f s at most)" % (
            "", label + ":", "; ".join("%s x%d" % kv for kv in oversized[label].most_common()),
            n, "{:,}".format(sent), "{:,}".format(total), secs))
    sys.stdout.flush()


def run_main(args):
    need = args.slow_conns + args.flood_conns + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY
                                                          else need, hard))
        except (ValueError, OSError):
            pass
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        sys.exit("hostile: RLIMIT_NOFILE is %d (hard %d), %d needed: raise it (ulimit -n)" % (soft, hard, need))
    # every phase is bounded; this bounds the whole run in case something is not
    bound = len(args.phases) * (args.ramp + args.seconds + REQUEST_TIMEOUT + 60 + 30 + 20) + 60
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(bound))
    r = Runner(args)
    try:
        r.crawl()
        s = proc_status(args.pid)
        print("normal client: %s from %s, one request at a time (pause %.0f ms), half on a new connection, "
              "half kept alive; a request not answered 2xx/3xx within %.0f s fails; latencies of all "
              "requests, failures included" % (" ".join(r.paths), HOST, args.pause * 1000, REQUEST_TIMEOUT))
        print("attackers: from %s .. %s; slow connections send a byte every %.1f s; phases of %d s "
              "(after a ramp-up of at most %d s)" % (ATTACKER_ADDRESSES[0], ATTACKER_ADDRESSES[-1],
                                                     args.slow_interval, args.seconds, args.ramp))
        print("server at start: RSS %.1f MB, %d fds, %d threads" % (kib_mb(s[0]), s[1], s[2]))
        print()
        print("%-10s %6s %6s %8s %8s %8s %8s %6s %6s   %s" % (
            "phase", "reqs", "fail", "p50 ms", "p99 ms", "max ms", "RSS MB", "fds", "fdmax",
            "attackers"))
        print("-" * 100)
        sys.stdout.flush()
        for name in args.phases:
            print_phase(r.phase(name))
    except ServerDied:
        print("\nhostile: the server (pid %d) DIED" % args.pid)
        sys.stdout.flush()
        return 3
    finally:
        signal.alarm(0)
        for p in r.children:
            p.kill()
            p.wait()
        r.sampler.halt.set()

    print()
    verdicts = []
    base = r.results.get("baseline")
    loris = r.results.get("slow-loris")
    if base:
        print("baseline: normal client p99 %s ms, %d of %d answered" % (
            fmt_ms(base["p99"]), base["answered"], base["requests"]))
    if loris:
        verdicts.append(("normal client p99 with %d slow connections from %d addresses" % (
            args.slow_conns, len(ATTACKER_ADDRESSES)), "%s ms" % fmt_ms(loris["p99"]), "<= 50 ms",
            loris["p99"] <= 50.0))
        verdicts.append(("every normal request answered with %d slow connections" % args.slow_conns,
                         "%d of %d" % (loris["answered"], loris["requests"]), "all",
                         loris["failures"] == 0 and loris["requests"] > 0))
    for name in ("slow-body", "flood", "oversized"):
        x = r.results.get(name)
        if x:
            verdicts.append(("%s: normal client p99 / answered" % name,
                             "%s ms, %d of %d" % (fmt_ms(x["p99"]), x["answered"], x["requests"]),
                             "(no target)", None))
    if verdicts:
        w = max(len(v[0]) for v in verdicts)
        for what, value, target, ok in verdicts:
            print("%-*s %18s  target %-11s %s" % (w, what, value, target,
                                                  "" if ok is None else "PASS" if ok else "MISS"))
    print("server stayed up: yes (pid %d)" % args.pid)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("client")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--seconds", type=float, required=True)
    c.add_argument("--pause", type=float, default=0.02)
    c.add_argument("--paths", required=True)
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--pid", type=int, required=True)
    r.add_argument("--seconds", type=int, default=20, help="length of each phase")
    r.add_argument("--ramp", type=int, default=10, help="at most this long to open the attackers")
    r.add_argument("--phases", default="baseline,slow-loris,slow-body,flood,oversized")
    r.add_argument("--slow-conns", type=int, default=2000)
    r.add_argument("--slow-interval", type=float, default=5.0)
    r.add_argument("--flood-conns", type=int, default=400)
    r.add_argument("--pause", type=float, default=0.02, help="the normal client's pause between requests")
    args = ap.parse_args()
    if args.cmd == "client":
        client_main(args)
        return 0
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    known = {"baseline", "slow-loris", "slow-body", "flood", "oversized"}
    if set(args.phases) - known:
        ap.error("unknown phase(s): %s (known: %s)" % (", ".join(sorted(set(args.phases) - known)),
                                                       ", ".join(sorted(known))))
    try:
        return run_main(args)
    except KeyboardInterrupt:
        return 130
    except Overrun:
        print("hostile: the run took longer than its bound: stopped", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
