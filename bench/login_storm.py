#!/usr/bin/python3
"""Clients that keep signing in, for bench/back_office.sh.

    login_storm.py PORT SECONDS RIGHT WRONG EMAIL PASSWORD

RIGHT clients sign in with EMAIL and PASSWORD, WRONG clients with a wrong
password, each on its own keep-alive connection, one sign-in after another
(each first takes the sign-in form's CSRF token and pre-session cookie),
for SECONDS. Prints one line: "right N wrong N refused N other N" (answers
303, 200 with the form again, 429, anything else). Standard library only.
"""

import http.client
import re
import sys
import threading
import time
import urllib.parse


def client(port, until, email, password, counts, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        try:
            conn.request("GET", "/login")
            r = conn.getresponse()
            page = r.read().decode()
            cookie = re.search(r"podium_login=([^;]+)", r.getheader("Set-Cookie") or "")
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            body = urllib.parse.urlencode({"csrf": token.group(1) if token else "", "email": email,
                                           "password": password}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if cookie:
                headers["Cookie"] = "podium_login=" + cookie.group(1)
            conn.request("POST", "/login", body=body, headers=headers)
            r = conn.getresponse()
            r.read()
            key = {303: "right", 200: "wrong", 429: "refused"}.get(r.status, "other")
        except (OSError, http.client.HTTPException):
            key = "other"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            counts[key] += 1


def main():
    port, seconds, right, wrong, email, password = sys.argv[1:7]
    until = time.monotonic() + float(seconds)
    counts = {"right": 0, "wrong": 0, "refused": 0, "other": 0}
    lock = threading.Lock()
    threads = [threading.Thread(target=client, args=(int(port), until, email, password, counts, lock))
               for _ in range(int(right))]
    threads += [threading.Thread(target=client, args=(int(port), until, email, "not the password!!", counts, lock))
                for _ in range(int(wrong))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(" ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
