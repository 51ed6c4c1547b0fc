"""The role matrix and CSRF of every route (issue 13): every route of every
route table (as `podium routes` lists them), tried as anonymous, signed in
with no role, editor, reviewer, manager of another program, manager and
admin; the callers let through must be exactly those of the issue's table.
A route added without a row here fails."""

import json

import pytest

from accounts import Client, add_token, add_user, csrf_of
from podium_web import EXAMPLES_DIR, LESOTHO, MALAYSIA, export_json, make_db, run_ok

# (methods, pattern) -> the role it needs: the contract, written here on its own
EXPECTED = {
    ("GET, HEAD", "/"): "public",
    ("GET, HEAD", "/programs/{slug}"): "public",
    ("GET, HEAD", "/programs/{slug}/timetable.ics"): "public",
    ("GET, HEAD", "/articles"): "public",
    ("GET, HEAD", "/programs/{slug}/articles/{key}"): "public",
    ("GET, HEAD", "/articles.atom"): "public",
    ("GET, HEAD", "/programs/{slug}/articles.atom"): "public",
    ("GET, HEAD", "/sitemap.xml"): "public",
    ("GET, HEAD", "/robots.txt"): "public",
    ("GET, HEAD", "/people/{key}"): "public",
    ("POST", "/api/v1/import"): "signed-in",
    ("GET, HEAD", "/api/v1/programs"): "public",
    ("GET, HEAD", "/api/v1/programs/{slug}"): "public",
    ("GET, HEAD", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/login/code"): "public",
    ("POST", "/logout"): "signed-in",
    ("GET, HEAD", "/setup"): "public",
    ("POST", "/setup"): "public",
    ("GET, HEAD", "/reset/{token}"): "public",
    ("POST", "/reset/{token}"): "public",
    ("GET, HEAD", "/manage"): "signed-in",
    ("GET, HEAD", "/manage/account"): "signed-in",
    ("POST", "/manage/account/password"): "signed-in",
    ("POST", "/manage/account/name"): "signed-in",
    ("POST", "/manage/account/tokens"): "signed-in",
    ("POST", "/manage/account/tokens/revoke"): "signed-in",
    ("GET, HEAD", "/manage/account/totp"): "signed-in",
    ("POST", "/manage/account/totp/begin"): "signed-in",
    ("POST", "/manage/account/totp"): "signed-in",
    ("POST", "/manage/account/totp/off"): "signed-in",
    ("GET, HEAD", "/manage/audit"): "admin",
    ("GET, HEAD", "/manage/users"): "admin",
    ("GET, HEAD", "/manage/users/{email}"): "admin",
    ("POST", "/manage/users/{email}"): "admin",
    ("POST", "/manage/users/{email}/roles"): "admin",
    ("POST", "/manage/users/{email}/reset"): "admin",
    ("POST", "/manage/users/{email}/totp-off"): "admin",
    ("GET, HEAD", "/manage/new-program"): "admin",
    ("POST", "/manage/new-program"): "admin",
    ("GET, HEAD", "/manage/programs/{slug}"): "manager",
    ("POST", "/manage/programs/{slug}"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/phases"): "manager",
    ("POST", "/manage/programs/{slug}/phases"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/venues"): "manager",
    ("POST", "/manage/programs/{slug}/venues"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/enrolments"): "manager",
    ("POST", "/manage/programs/{slug}/enrolments"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/articles"): "newsroom",
    ("GET, HEAD", "/manage/programs/{slug}/new-article"): "editor",
    ("POST", "/manage/programs/{slug}/new-article"): "editor",
    ("GET, HEAD", "/manage/programs/{slug}/articles/{key}"): "newsroom",
    ("POST", "/manage/programs/{slug}/articles/{key}"): "newsroom",
    ("POST", "/manage/programs/{slug}/article-preview"): "newsroom",
    ("GET, HEAD", "/manage/programs/{slug}/articles/{key}/revisions"): "newsroom",
    ("GET, HEAD", "/manage/programs/{slug}/articles/{key}/photos"): "newsroom",
    ("POST", "/manage/programs/{slug}/articles/{key}/photos"): "newsroom",
    ("GET, HEAD", "/manage/programs/{slug}/articles/{key}/photo-files/{file}"): "newsroom",
    ("GET, HEAD", "/manage/programs/{slug}/sessions"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/new-session"): "manager",
    ("POST", "/manage/programs/{slug}/new-session"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/sessions/{key}"): "manager",
    ("POST", "/manage/programs/{slug}/sessions/{key}"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/roster"): "manager",
    ("POST", "/manage/programs/{slug}/roster"): "manager",
    ("GET, HEAD", "/manage/programs/{slug}/roster.csv"): "manager",
    ("GET, HEAD", "/manage/people"): "staff",
    ("GET, HEAD", "/manage/new-person"): "staff",
    ("POST", "/manage/new-person"): "staff",
    ("GET, HEAD", "/manage/people/{key}"): "staff",
    ("POST", "/manage/people/{key}"): "staff",
    ("GET, HEAD", "/manage/people/{key}/delete"): "staff",
    ("POST", "/manage/people/{key}/delete"): "staff",
    ("GET, HEAD", "/manage/organizations"): "staff",
    ("GET, HEAD", "/manage/new-organization"): "staff",
    ("POST", "/manage/new-organization"): "staff",
    ("GET, HEAD", "/manage/organizations/{key}"): "staff",
    ("POST", "/manage/organizations/{key}"): "staff",
    ("GET, HEAD", "/manage/organizations/{key}/delete"): "staff",
    ("POST", "/manage/organizations/{key}/delete"): "staff",
    ("GET, HEAD", "/static/{file}"): "public",
    ("PUT, DELETE", "/api/v1/programs/{slug}/articles/{key}/photos/{photo}"): "newsroom",
    ("GET, HEAD", "/photos/{file}"): "public",
    ("GET, HEAD", "/healthz"): "public",
}

CALLERS = ["anonymous", "no-role", "editor", "reviewer", "other-manager", "manager", "admin"]

# who each role lets through (the issue's table)
ALLOWED = {
    "public": set(CALLERS),
    "signed-in": set(CALLERS) - {"anonymous"},
    "editor": {"editor", "manager", "admin"},
    "reviewer": {"reviewer", "manager", "admin"},
    "newsroom": {"editor", "reviewer", "manager", "admin"},
    "manager": {"manager", "admin"},
    "staff": {"other-manager", "manager", "admin"},
    "admin": {"admin"},
    "newsroom": {"editor", "reviewer", "manager", "admin"},
}

USERS = {
    "no-role": [],
    "editor": [("editor", MALAYSIA)],
    "reviewer": [("reviewer", MALAYSIA)],
    "other-manager": [("manager", LESOTHO)],
    "manager": [("manager", MALAYSIA)],
}


def routes():
    out = run_ok("routes")
    rows = [line.split("\t") for line in out.splitlines()]
    return [(m, p, role, csrf == "csrf") for m, p, role, csrf in rows]


def test_every_route_has_its_row():
    listed = {(m, p): role for m, p, role, _ in routes()}
    assert set(listed) == set(EXPECTED), (set(listed) ^ set(EXPECTED))
    assert listed == EXPECTED


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp("roles")
    db = make_db(d, EXAMPLES_DIR / f"{MALAYSIA}.json", EXAMPLES_DIR / f"{LESOTHO}.json")
    for who, roles in USERS.items():
        add_user(db, f"{who}@example.org", who, roles=roles)
    add_user(db, "admin@example.org", "admin", admin=True)
    tokens = {who: add_token(db, f"{who}@example.org") for who in list(USERS) + ["admin"]}
    return db, tokens


def fill(pattern, server):
    path = pattern.replace("{slug}", MALAYSIA)
    if "/articles/{key}" in path:
        path = path.replace("{key}", "opening-kicked-off")
    if path.startswith("/people/") or path.startswith("/manage/people/"):
        path = path.replace("{key}", "yu-jun")
    if path.startswith("/manage/organizations/"):
        path = path.replace("{key}", "mofcom")
    path = path.replace("{token}", "A" * 43).replace("{email}", "no-role@example.org")
    if "/sessions/{key}" in path:
        path = path.replace("{key}", "opening-ceremony")
    path = path.replace("{photo}", "no-such-photo")
    if path.startswith("/photos/"):
        path = path.replace("{file}", "0" * 64 + "-480.jpg")
    if "/photo-files/{file}" in path:
        path = path.replace("{file}", "0" * 64)
    if "{file}" in path and path.startswith("/static/"):
        import re
        path = re.search(r'href="(/static/[^"]+\.css)"', server.get("/").text).group(1)
    return path


def let_through(r):
    """The dispatcher let the caller through: no 401, 403, nor a detour to /login."""
    if r.status in (401, 403):
        return False
    return not (r.status == 303 and (r.header("Location") or "").startswith("/login"))


# signed-in cookies per (database, caller), kept across this module's servers (which share
# PODIUM_NOW, so sessions do not expire): each sign-in costs a password hash
SESSIONS = {}


def attempt(server, who, tokens, method, path):
    api = path.startswith("/api/")
    c = Client(server)
    headers = {}
    if who != "anonymous":
        if api:
            headers["Authorization"] = f"Bearer {tokens[who]}"
        elif (str(server.db), who) in SESSIONS:
            c.cookies = dict(SESSIONS[(str(server.db), who)])
        else:
            assert c.sign_in(f"{who}@example.org").status == 303
            SESSIONS[(str(server.db), who)] = dict(c.cookies)
    if path == "/logout":
        SESSIONS.pop((str(server.db), who), None)  # the session ends with this attempt
    if method == "GET":
        return c.get(path, headers=headers)
    if method == "DELETE":  # the photo API: a token's, as every write of /api/
        return server.request(path, method="DELETE", headers=c._headers(headers))
    if api:
        headers["Content-Type"] = "application/json"
        body = json.dumps({"format": "podium-program/1"}).encode()
        return server.request(path, method="POST", headers=c._headers(headers), body=body)
    token = csrf_of(c.get("/manage" if who != "anonymous" else "/login").text)
    return c.post(path, {}, csrf=token)


@pytest.mark.parametrize("methods,pattern,role,csrf", routes())
def test_role_matrix(site, start_server, methods, pattern, role, csrf):
    db, tokens = site
    s = start_server(db)
    method = {"POST": "POST", "PUT, DELETE": "DELETE"}.get(methods, "GET")
    path = fill(pattern, s)
    through = set()
    for who in CALLERS:
        r = attempt(s, who, tokens, method, path)
        assert r.status < 500, (who, method, path, r.status, r.body[:300])
        if let_through(r):
            through.add(who)
    assert through == ALLOWED[role], f"{method} {path}: let through {sorted(through)}"


@pytest.mark.parametrize("methods,pattern,role,csrf", [r for r in routes() if r[3]])
def test_csrf_of_every_state_change(site, start_server, methods, pattern, role, csrf):
    db, tokens = site
    s = start_server(db)
    path = fill(pattern, s)
    before = export_json(db)
    admin, other = Client(s), Client(s)
    admin.sign_in("admin@example.org")
    other.sign_in("manager@example.org")
    others = csrf_of(other.get("/manage").text)
    fields = {"email": "admin@example.org", "password": "correct horse battery staple",
              "current": "correct horse battery staple", "password2": "correct horse battery staple",
              "name": "X"}
    for token in (False, "z" * 43, others):
        if methods == "PUT, DELETE":
            # nor deletes a photo
            r = s.request(path, method="DELETE", headers=admin._headers({}))
        elif path.startswith("/api/"):
            # a session cookie alone never writes through the API: a JSON body carries no token
            r = s.request(path, method="POST", body=json.dumps({"format": "podium-program/1"}).encode(),
                          headers=admin._headers({"Content-Type": "application/json"}))
        else:
            r = admin.post(path, fields, csrf=token)
        assert r.status == 403, (path, token, r.status)
        assert admin.get("/manage").status == 200  # still signed in
    after = export_json(db)
    assert before == after
