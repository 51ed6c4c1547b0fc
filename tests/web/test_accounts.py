"""Accounts of the back office: signing in and out, the session cookie, its
expiry, failures slowed then refused, /setup, CSRF on every state change, and
nothing secret in the log (issue 13)."""

import re
import urllib.parse

import pytest

from accounts import PASSWORD, Client, add_user, csrf_of
from podium_web import MALAYSIA, make_db, run, run_ok, EXAMPLES_DIR

T0 = "2021-12-10T12:00:00+08:00"


@pytest.fixture
def site(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", "Ada Admin", admin=True)
    add_user(db, "ed@example.org", "Ed Editor", roles=[("editor", MALAYSIA)])
    return db, start_server(db)


def cookie_attrs(r, name):
    for value in r.headers.get_all("Set-Cookie") or []:
        if value.startswith(name + "="):
            parts = [p.strip() for p in value.split(";")]
            return parts[0].split("=", 1)[1], {p.split("=")[0].lower(): (p.split("=", 1) + [""])[1]
                                                for p in parts[1:]}
    return None, None


# ------------------------------------------------------------- signing in

def test_manage_without_a_session_goes_to_sign_in(site):
    _, s = site
    for path in ("/manage", "/manage/account", "/manage/audit"):
        r = s.get(path)
        assert r.status == 303
        assert r.header("Location") == "/login?next=" + urllib.parse.quote(path, safe="/")
        assert r.header("Cache-Control") == "no-store"


@pytest.mark.parametrize("path, status, where", [
    ("/manage/programs/" + MALAYSIA, 303, "/login?next=/manage/programs/" + MALAYSIA),
    ("/manage/programs/" + MALAYSIA + "/roster", 303, "/login?next=/manage/programs/" + MALAYSIA + "/roster"),
    ("/api/v1/import", 401, None),
])
def test_a_post_without_credentials_is_answered_before_its_body(site, path, status, where):
    """Nobody that a route needing an account could admit (no session cookie, no token):
    the answer comes as soon as the head is read, and the announced body is never waited for."""
    import socket
    _, s = site
    kind = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
    with socket.create_connection((s.host, s.port), timeout=10) as sock:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: {s.host}:{s.port}\r\nContent-Type: {kind}\r\n"
                      "Content-Length: 8000000\r\nCookie: podium_session=expired-or-not\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            piece = sock.recv(4096)  # within the timeout: the server did not wait for the 8 MB
            assert piece, head
            head += piece
    lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    assert lines[0].split()[1] == str(status), lines
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    assert headers.get("connection") == "close"
    if where:
        assert headers["location"] == where
    else:
        assert headers["www-authenticate"].startswith("Bearer")


def test_login_form_has_fields_and_a_pre_session_token(site):
    _, s = site
    r = s.get("/login")
    assert r.status == 200 and r.header("Cache-Control") == "no-store"
    for field in ('name="email"', 'name="password"', 'type="password"', 'name="csrf"'):
        assert field in r.text
    value, attrs = cookie_attrs(r, "podium_login")
    assert value and "httponly" in attrs and attrs["samesite"] == "Lax" and attrs["path"] == "/"


def test_sign_in_sets_a_fresh_http_only_session_cookie(site):
    _, s = site
    c = Client(s)
    r = c.sign_in("Admin@Example.org")
    assert r.status == 303 and r.header("Location") == "/manage"
    value, attrs = cookie_attrs(r, "podium_session")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value)
    assert "httponly" in attrs and attrs["samesite"] == "Lax" and attrs["path"] == "/"
    assert "secure" not in attrs  # plain http, server.https 0
    home = c.get("/manage")
    assert home.status == 200 and "Ada Admin" in home.text
    assert home.header("Cache-Control") == "no-store"
    # a new cookie at every sign-in; the one before it ends (no fixation)
    first = c.cookies["podium_session"]
    c.sign_in("admin@example.org")
    assert c.cookies["podium_session"] != first
    old = s.get("/manage", headers={"Cookie": f"podium_session={first}"})
    assert old.status == 303


def test_next_is_only_a_local_path(site):
    _, s = site
    for asked, went in (("/manage/audit", "/manage/audit"), ("//evil.example/x", "/manage"),
                        ("https://evil.example/", "/manage"), ("/\\evil.example", "/manage")):
        r = Client(s).sign_in("admin@example.org", next_path=asked)
        assert r.status == 303 and r.header("Location") == went, asked


def test_secure_cookie_when_served_over_https(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", admin=True)
    run_ok("set", "server.https", "1", db=db)
    s = start_server(db)
    r = Client(s).sign_in("admin@example.org")
    _, attrs = cookie_attrs(r, "podium_session")
    assert "secure" in attrs


def test_wrong_password_and_unknown_email_answer_alike(site):
    _, s = site
    answers = []
    for email, password in (("admin@example.org", "not the password at all"),
                            ("nobody@example.org", "not the password at all")):
        c = Client(s)
        r = c.sign_in(email, password)
        assert "podium_session" not in c.cookies
        body = re.sub(r'name="csrf" value="[^"]+"', "", r.text).replace(email, "EMAIL")
        answers.append((r.status, body))
    assert answers[0] == answers[1]
    assert "The e-mail address or the password is not right." in answers[0][1]


def test_failures_are_refused_after_the_limit(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", admin=True)
    add_user(db, "ed@example.org")
    run_ok("set", "accounts.max_failures_per_account", "3", db=db)
    s = start_server(db)
    c = Client(s)
    for _ in range(3):
        assert c.sign_in("admin@example.org", "wrong password here").status == 200
    r = c.sign_in("admin@example.org")  # the right password, too late
    assert r.status == 429 and "podium_session" not in c.cookies
    # another account from the same address still signs in
    assert Client(s).sign_in("ed@example.org").status == 303


def test_address_limit(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", admin=True)
    run_ok("set", "accounts.max_failures_per_address", "2", db=db)
    s = start_server(db)
    for email in ("a@example.org", "b@example.org"):
        assert Client(s).sign_in(email, "wrong password here").status == 200
    assert Client(s).sign_in("admin@example.org").status == 429


def test_logout_ends_the_session(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    cookie = c.cookies["podium_session"]
    r = c.post("/logout", {}, from_page="/manage")
    assert r.status == 303 and r.header("Location") == "/"
    assert "podium_session" not in c.cookies
    assert s.get("/manage", headers={"Cookie": f"podium_session={cookie}"}).status == 303


@pytest.mark.parametrize("visits,expired", [
    ([], "2021-12-10T12:03:21+08:00"),                          # idle 201 s > 200
    (["2021-12-10T12:02:30+08:00"], "2021-12-10T12:05:01+08:00"),  # idle 151 s, but 301 s old
])
def test_sessions_expire(tmp_path, start_server, visits, expired):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", admin=True)
    run_ok("set", "accounts.session_idle_seconds", "200", db=db)
    run_ok("set", "accounts.session_max_seconds", "300", db=db)
    s = start_server(db, now=T0)
    c = Client(s)
    c.sign_in("admin@example.org")
    assert c.get("/manage").status == 200
    s.stop()
    for when in visits:
        c.server = start_server(db, now=when)
        assert c.get("/manage").status == 200, when
        c.server.stop()
    c.server = start_server(db, now=expired)
    assert c.get("/manage").status == 303


def test_public_pages_are_the_same_bytes_signed_in(site):
    _, s = site
    c = Client(s)
    c.sign_in("admin@example.org")
    for path in ("/", f"/programs/{MALAYSIA}", "/articles", f"/api/v1/programs/{MALAYSIA}"):
        anon, signed = s.get(path), c.get(path)
        assert anon.status == signed.status == 200
        assert anon.body == signed.body, path
        assert signed.header("Cache-Control") == "no-cache"
        assert signed.header("Set-Cookie") is None


# ------------------------------------------------------------- CSRF

def test_state_changes_need_the_sessions_token(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    other = Client(s)
    other.sign_in("admin@example.org")
    others_token = csrf_of(other.get("/manage").text)
    for token in (None, "x" * 43, others_token):
        r = c.post("/logout", {}, csrf=token) if token else c.post("/logout", {}, csrf=False)
        assert r.status == 403, token
        assert c.get("/manage").status == 200  # still signed in
    # the right token, sent from another site
    token = csrf_of(c.get("/manage").text)
    r = c.post("/logout", {}, csrf=token, headers={"Origin": "https://evil.example"})
    assert r.status == 403 and c.get("/manage").status == 200
    # the right token from this site
    r = c.post("/logout", {}, csrf=token, headers={"Origin": s.base})
    assert r.status == 303


def test_sign_in_needs_the_forms_token(site):
    _, s = site
    c = Client(s)
    r = c.post("/login", {"email": "admin@example.org", "password": PASSWORD}, csrf=False)
    assert r.status == 403 and "podium_session" not in c.cookies
    r = c.post("/login", {"email": "admin@example.org", "password": PASSWORD}, csrf="y" * 43)
    assert r.status == 403 and "podium_session" not in c.cookies


def test_forms_refuse_other_content_types_and_bad_text(site):
    _, s = site
    c = Client(s)
    token = csrf_of(c.get("/login").text)
    h = c._headers({"Content-Type": "text/plain"})
    assert s.request("/login", method="POST", headers=h, body=b"csrf=" + token.encode()).status == 415
    h = c._headers({"Content-Type": "application/x-www-form-urlencoded"})
    r = s.request("/login", method="POST", headers=h, body=b"csrf=" + token.encode() + b"&email=%FF")
    assert r.status == 400
    # boundary not last: the library would parse nothing; refused instead
    h = c._headers({"Content-Type": "multipart/form-data; boundary=XyZ; charset=utf-8"})
    assert s.request("/login", method="POST", headers=h, body=b"--XyZ--\r\n").status == 415


def test_a_form_over_the_limit_is_413(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    run_ok("set", "server.max_form_bytes", "2048", db=db)
    s = start_server(db)
    body = b"email=" + b"a" * 4096
    r = s.request("/login", method="POST", body=body,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 413


# ------------------------------------------------------------- /setup

def test_setup_makes_the_first_admin_once(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    s = start_server(db)
    c = Client(s)
    assert c.get("/setup").status == 200
    r = c.post("/setup", {"email": "first@example.org", "name": "First", "password": "short",
                          "password2": "short"})
    assert r.status == 422 and "at least 12 characters" in r.text
    assert 'value="first@example.org"' in r.text  # what was typed is kept
    r = c.post("/setup", {"email": "first@example.org", "name": "First", "password": PASSWORD,
                          "password2": PASSWORD})
    assert r.status == 303 and r.header("Location") == "/manage"
    assert c.get("/manage/audit").status == 200  # an admin
    assert Client(s).get("/setup").status == 404
    out = run_ok("user", "list", db=db)
    assert out.startswith("first@example.org\tFirst\tadmin")


def test_setup_is_closed_once_there_is_an_account(site):
    _, s = site
    assert s.get("/setup").status == 404
    c = Client(s)
    r = c.post("/setup", {"email": "x@example.org", "name": "X", "password": PASSWORD,
                          "password2": PASSWORD}, from_page="/login")
    assert r.status == 404


# ------------------------------------------------------------- own account

def test_password_change(site):
    db, s = site
    c, other = Client(s), Client(s)
    c.sign_in("ed@example.org")
    other.sign_in("ed@example.org")
    r = c.post("/manage/account/password", {"current": "wrong wrong wrong", "password": "a new password 1",
                                            "password2": "a new password 1"}, from_page="/manage/account")
    assert r.status == 422 and "not your current password" in r.text
    r = c.post("/manage/account/password", {"current": PASSWORD, "password": "a new password 1",
                                            "password2": "a new password 1"}, from_page="/manage/account")
    assert r.status == 303
    assert c.get("/manage").status == 200
    assert other.get("/manage").status == 303  # the other session ended
    assert Client(s).sign_in("ed@example.org", "a new password 1").status == 303


# ------------------------------------------------------------- secrets stay out of the log

def test_no_secret_in_the_log(site):
    db, s = site
    c = Client(s)
    c.sign_in("admin@example.org")
    c.sign_in("admin@example.org", "a wrong password typed")
    token = run_ok("token", "add", "admin@example.org", db=db).strip()
    s.request("/api/v1/programs", headers={"Authorization": f"Bearer {token}"})
    s.stop()
    log = s.stderr()
    for secret in (PASSWORD, "a wrong password typed", token, c.cookies.get("podium_session", "x" * 43)):
        assert secret not in log


def test_user_cli_errors(tmp_path):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    rc, _, err = run("user", "add", "not-an-email", "--name", "X", "--password-stdin", db=db,
                     input=PASSWORD + "\n")
    assert rc == 65 and "not an e-mail address" in err
    rc, _, err = run("user", "add", "a@example.org", "--name", "A", "--password-stdin", db=db,
                     input="short\n")
    assert rc == 65 and "at least 12 characters" in err
    add_user(db, "a@example.org")
    rc, _, err = run("user", "add", "A@example.org", "--name", "A", "--password-stdin", db=db,
                     input=PASSWORD + "\n")
    assert rc == 65 and "already an account" in err
    rc, _, err = run("user", "add", "b@example.org", "--name", "B", "--person", "nobody",
                     "--password-stdin", db=db, input=PASSWORD + "\n")
    assert rc == 65 and "no person 'nobody'" in err
    rc, _, err = run("role", "grant", "a@example.org", "boss", MALAYSIA, db=db)
    assert rc == 64 and "not a role" in err
    rc, _, err = run("role", "grant", "a@example.org", "manager", "no-such-program", db=db)
    assert rc == 65 and "no program 'no-such-program'" in err
    rc, _, err = run("role", "grant", "z@example.org", "manager", MALAYSIA, db=db)
    assert rc == 65 and "no account 'z@example.org'" in err
    rc, _, err = run("user", "passwd", "a@example.org", db=db)  # no terminal here
    assert rc == 65 and "--password-stdin" in err
    rc, _, err = run("token", "revoke", "99", db=db)
    assert rc == 65 and "no token 99" in err
    rc, _, err = run("user", "lst", db=db)
    assert rc == 64 and "did you mean 'list'" in err


def test_user_list_and_disable(site):
    db, s = site
    run_ok("role", "grant", "ed@example.org", "reviewer", MALAYSIA, db=db)
    lines = run_ok("user", "list", db=db).splitlines()
    assert lines == ["admin@example.org\tAda Admin\tadmin\t-\t-",
                     f"ed@example.org\tEd Editor\t-\teditor:{MALAYSIA},reviewer:{MALAYSIA}\t-"]
    c = Client(s)
    c.sign_in("ed@example.org")
    run_ok("user", "disable", "ed@example.org", db=db)
    assert c.get("/manage").status == 303
    assert Client(s).sign_in("ed@example.org").status == 200  # refused, like a wrong password
    run_ok("user", "enable", "ed@example.org", db=db)
    assert Client(s).sign_in("ed@example.org").status == 303


def test_a_reset_link_sets_a_new_password_once(site):
    db, s = site
    old = Client(s)
    old.sign_in("ed@example.org")
    rc, out, err = run("user", "reset", "ed@example.org", db=db)
    assert rc == 0 and "valid 24 hours" in err
    link = out.strip()
    assert re.fullmatch(r"/reset/[A-Za-z0-9_-]{43}", link)
    c = Client(s)
    page = c.get(link)
    assert page.status == 200 and "ed@example.org" in page.text
    r = c.post(link, {"password": "a brand new password", "password2": "another one entirely"})
    assert r.status == 422 and "differ" in r.text
    r = c.post(link, {"password": "a brand new password", "password2": "a brand new password"})
    assert r.status == 303 and r.header("Location") == "/manage"
    assert c.get("/manage").status == 200
    assert old.get("/manage").status == 303            # the sessions before it ended
    assert Client(s).get(link).status == 404             # used up
    assert s.get("/reset/" + "A" * 43).status == 404
    assert Client(s).sign_in("ed@example.org", "a brand new password").status == 303
    s.stop()
    log = s.stderr()
    assert "a brand new password" not in log
    assert link not in log and "/reset/{token}" in log  # the log shows the route, not its secret


def test_admins_manage_accounts_in_the_browser(site):
    db, s = site
    admin = Client(s)
    admin.sign_in("admin@example.org")
    page = admin.get("/manage/users")
    assert page.status == 200 and "ed@example.org" in page.text
    path = "/manage/users/ed@example.org"
    assert admin.get(path).status == 200
    r = admin.post(path + "/roles", {"role": "manager", "slug": MALAYSIA, "do": "grant"}, from_page=path)
    assert r.status == 303
    r = admin.post(path + "/roles", {"role": "manager", "slug": "nope", "do": "grant"}, from_page=path)
    assert r.status == 422 and "no program" in r.text
    assert f"manager:{MALAYSIA}" in run_ok("user", "list", db=db)
    ed = Client(s)
    ed.sign_in("ed@example.org")
    r = admin.post(path, {"name": "Ed Editor", "disabled": "1"}, from_page=path)
    assert r.status == 303
    assert ed.get("/manage").status == 303  # disabled: signed out at once
    r = admin.post(path, {"name": "Ed Editor"}, from_page=path)
    assert r.status == 303
    r = admin.post(path + "/reset", {}, from_page=path)
    link = re.search(r"<code>http://[^/]+(/reset/[A-Za-z0-9_-]{43})</code>", r.text).group(1)
    assert Client(s).get(link).status == 200
    # an admin cannot lock themselves out
    r = admin.post("/manage/users/admin@example.org", {"name": "Ada"}, from_page="/manage/users/admin@example.org")
    assert r.status == 422
    assert "admin@example.org\tAda Admin\tadmin" in run_ok("user", "list", db=db)
    audit = admin.get("/manage/audit?user=admin@example.org").text
    assert "grant" in audit and "reset" in audit


def test_own_name_and_tokens(site):
    db, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    r = c.post("/manage/account/name", {"name": ""}, from_page="/manage/account")
    assert r.status == 422 and "1 to 200 characters" in r.text
    r = c.post("/manage/account/name", {"name": "Edwina Editor"}, from_page="/manage/account")
    assert r.status == 303 and "Edwina Editor" in c.get("/manage/account").text
    r = c.post("/manage/account/tokens", {"label": "my laptop"}, from_page="/manage/account")
    assert r.status == 200
    token = re.search(r"Your new token: <code>([A-Za-z0-9_-]{43})</code>", r.text).group(1)
    assert token not in c.get("/manage/account").text  # shown once
    api = s.request("/api/v1/import", method="POST", body=b'{"format": "podium-program/1"}',
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert api.status == 200
    number = re.search(r'name="id" value="(\d+)"', c.get("/manage/account").text).group(1)
    other = Client(s)
    other.sign_in("admin@example.org")
    assert other.post("/manage/account/tokens/revoke", {"id": number}, from_page="/manage/account").status == 404
    assert c.post("/manage/account/tokens/revoke", {"id": number}, from_page="/manage/account").status == 303
    api = s.request("/api/v1/import", method="POST", body=b'{"format": "podium-program/1"}',
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert api.status == 401
