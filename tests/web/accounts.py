"""Helpers of the back-office tests: accounts made through the CLI, and a
browser-like client that keeps cookies and sends forms with their CSRF token."""

import re
import urllib.parse
from http.cookies import SimpleCookie

from podium_web import run_ok

PASSWORD = "correct horse battery staple"


def add_user(db, email, name=None, admin=False, roles=(), password=PASSWORD, person=None):
    """Makes an account (podium user add), linked to person when given, and grants roles [(role, slug)...]."""
    args = ["user", "add", email, "--name", name or email.split("@")[0], "--password-stdin"]
    if admin:
        args.append("--admin")
    if person:
        args += ["--person", person]
    run_ok(*args, db=db, input=password + "\n")
    for role, slug in roles:
        run_ok("role", "grant", email, role, slug, db=db)


def add_token(db, email):
    return run_ok("token", "add", email, db=db).strip()


def csrf_of(html):
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    return m.group(1) if m else None


class Client:
    """Keeps the cookies a server sets, like a browser (one site, no expiry clock)."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def _headers(self, headers):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return h

    def _keep(self, r):
        for value in r.headers.get_all("Set-Cookie") or []:
            c = SimpleCookie()
            c.load(value)
            for name, morsel in c.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return r

    def get(self, path, headers=None):
        return self._keep(self.server.request(path, headers=self._headers(headers)))

    def post(self, path, fields, headers=None, csrf=True, from_page=None):
        """POSTs fields as a form; csrf: True takes the token of from_page (else path's page)."""
        fields = dict(fields)
        if csrf is True:
            page = self.get(from_page or path)
            fields["csrf"] = csrf_of(page.text)
        elif csrf:
            fields["csrf"] = csrf
        body = urllib.parse.urlencode(fields).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self._keep(self.server.request(path, method="POST", headers=self._headers(h), body=body))

    def sign_in(self, email, password=PASSWORD, next_path=None):
        fields = {"email": email, "password": password}
        if next_path:
            fields["next"] = next_path
        return self.post("/login", fields)
