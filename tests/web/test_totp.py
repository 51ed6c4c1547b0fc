"""Two-factor sign-in with TOTP (RFC 6238): turned on at /manage/account/totp
with a code of the secret shown once (base32, QR code, otpauth:// URI), then
asked after the password at /login/code; no code works twice, a ticket allows
five wrong codes, wrong codes count toward the failed sign-ins of the
account; turned off by its owner (with a code), by an admin in the browser
or with `podium user totp-off`; `accounts.admin_totp_required` takes the
admin rights of admins without it (sessions and tokens); audited; the secret
never in the log.

The servers here run on the real clock (no PODIUM_NOW), which is the clock
the codes are computed on: HMAC-SHA1, 30-second steps, 6 digits. The server
accepts the codes of the step before and after the current one, so a test
that needs several codes takes the step before, the current one and the
next: fresh_step() first waits, if the step is about to end, for the next
one."""

import base64
import difflib
import hashlib
import hmac
import html
import json
import re
import struct
import time
import urllib.parse
from html.parser import HTMLParser

import pytest

from accounts import PASSWORD, Client, add_token, add_user, csrf_of
from podium_web import EXAMPLES_DIR, LESOTHO, MALAYSIA, load_example, make_db, page_text, run, run_ok

STEP = 30
SECRET_RE = re.compile(r"[A-Z2-7]{32}")


# ------------------------------------------------------------- codes

def totp(secret, at=None, step_offset=0):
    """The 6-digit code of base32 secret at time at (now when None), step_offset steps on."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // STEP) + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


def wrong_code(secret, at=None):
    """A 6-digit code that is none of the codes of the steps around at."""
    valid = {totp(secret, at, k) for k in range(-3, 4)}
    code = int(totp(secret, at))
    while f"{code:06d}" in valid:
        code = (code + 500009) % 1000000
    return f"{code:06d}"


def fresh_step(need=8):
    """A time in the current step, after waiting for the next step when fewer than need
    seconds are left of this one."""
    left = STEP - time.time() % STEP
    if left < need:
        time.sleep(left + 0.2)
    return time.time()


def test_the_code_helper_gives_the_codes_of_rfc_6238():
    secret = base64.b32encode(b"12345678901234567890").decode()  # the RFC's SHA-1 key
    assert SECRET_RE.fullmatch(secret)
    for at, code in ((59, "287082"), (1111111109, "081804"), (1111111111, "050471"),
                     (1234567890, "005924"), (2000000000, "279037"), (20000000000, "353130")):
        assert totp(secret, at) == code, at
    assert totp(secret, 29, step_offset=1) == totp(secret, 59)
    assert wrong_code(secret, 1111111109) not in {totp(secret, 1111111109, k) for k in (-1, 0, 1)}


# ------------------------------------------------------------- pages

class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action"), "method": (a.get("method") or "get").lower(),
                            "fields": {}, "inputs": []}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "button", "select", "textarea"):
            if a.get("name"):
                self.current["inputs"].append(a["name"])
                if tag == "input" and a.get("type") == "hidden":
                    self.current["fields"][a["name"]] = a.get("value") or ""

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_to(page, action):
    """The forms of page posting to action: [{"fields": hidden fields, "inputs": names}]."""
    p = _Forms()
    p.feed(page)
    p.close()
    return [f for f in p.forms if f["action"] == action and f["method"] == "post"]


def form_to(page, action):
    found = forms_to(page, action)
    assert found, f"no form posting to {action} in:\n{page_text(page)[:2000]}"
    return found[0]


class _TextOf(HTMLParser):
    def __init__(self, id_):
        super().__init__(convert_charrefs=True)
        self.id, self.depth, self.text, self.found = id_, 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def text_of_id(page, id_):
    p = _TextOf(id_)
    p.feed(page)
    p.close()
    assert p.found, f'no element with id="{id_}"'
    return "".join(p.text)


def spaced_text(page):
    """The text of a page with a space for every tag (so that <dt>A</dt><dd>b</dd> is "A b")."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", body))).strip()


def added_text(before, after):
    """The words of page after that page before has not (what a message added)."""
    a, b = spaced_text(before).split(), spaced_text(after).split()
    out = []
    for op, _, _, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("insert", "replace"):
            out += b[j1:j2]
    return " ".join(out)


def two_factor_says(page):
    """The words of the page just after its first "two-factor" (what it says of it)."""
    text = spaced_text(page)
    i = text.lower().find("two-factor")
    assert i >= 0, f'"two-factor" not on the page:\n{text[:2000]}'
    return text[i:i + 60].lower()


def says_two_factor_is(page, state):
    """Asserts the first "on" or "off" after the page's first "two-factor" is state."""
    says = two_factor_says(page)
    m = re.search(r"\b(on|off)\b", says)
    assert m and m.group(1) == state, f"not {state}: {says!r}"


# ------------------------------------------------------------- steps of a test

@pytest.fixture
def site(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", "Ada Admin", admin=True)
    add_user(db, "ed@example.org", "Ed Editor", roles=[("editor", MALAYSIA)])
    return db, start_server(db, now=None)


def begin(c):
    """Asks for a pending secret; returns the page that shows it and the secret."""
    r = c.post("/manage/account/totp/begin", {}, from_page="/manage/account/totp")
    assert r.status == 303 and r.header("Location") == "/manage/account/totp", (r.status, r.text[:500])
    page = c.get("/manage/account/totp")
    assert page.status == 200
    secret = re.sub(r"\s+", "", text_of_id(page.text, "totp-secret"))
    assert SECRET_RE.fullmatch(secret), secret
    return page, secret


def turn_on(c, at):
    """Turns two-factor on for c's account with the code of the step before at's (the codes
    of at's step and the next stay unused, whether or not turning on uses its step up)."""
    _, secret = begin(c)
    r = c.post("/manage/account/totp", {"code": totp(secret, at, -1)}, from_page="/manage/account/totp")
    assert r.status == 303 and r.header("Location") == "/manage/account?done=totp-on", \
        (r.status, page_text(r.text)[:1000])
    return secret


def signed_in_with_totp(s, email="ed@example.org"):
    """A client signed in as email with two-factor turned on: (client, a time of the
    current step, the secret)."""
    c = Client(s)
    c.sign_in(email)
    t0 = fresh_step()
    return c, t0, turn_on(c, t0)


def password_step(email, s, password=PASSWORD, next_path=None):
    """A new client's POST /login; returns it, the answer and the code form's hidden fields."""
    c = Client(s)
    r = c.sign_in(email, password, next_path=next_path)
    form = forms_to(r.text, "/login/code")
    return c, r, (form[0]["fields"] if form else None)


def send_code(c, fields, code):
    fields = dict(fields)
    token = fields.pop("csrf")
    return c.post("/login/code", dict(fields, code=code), csrf=token)


def sign_in_with_code(email, s, code, next_path=None):
    c, r, fields = password_step(email, s, next_path=next_path)
    assert r.status == 200 and fields is not None, (r.status, page_text(r.text)[:1000])
    return c, send_code(c, fields, code)


# ------------------------------------------------------------- turning it on

def test_the_account_page_links_to_two_factor_and_says_it_is_off(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    page = c.get("/manage/account").text
    assert 'href="/manage/account/totp"' in page
    says_two_factor_is(page, "off")
    r = c.get("/manage/account/totp")
    assert r.status == 200 and r.header("Cache-Control") == "no-store"
    form_to(r.text, "/manage/account/totp/begin")
    assert 'id="totp-secret"' not in r.text


def test_turning_on_shows_the_secret_then_asks_for_its_code(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    page, secret = begin(c)
    assert page.header("Cache-Control") == "no-store"
    assert "<svg" in page.text
    uris = [html.unescape(u) for u in re.findall(r"otpauth://totp/[^\"'<>\s]+", page.text)]
    assert uris, "no otpauth:// URI"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(uris[0]).query)
    assert query["secret"] == [secret] and query["issuer"] == ["Podium"]
    form = form_to(page.text, "/manage/account/totp")
    assert "code" in form["inputs"] and "csrf" in form["fields"]
    # still off while pending: the password alone signs in
    assert Client(s).sign_in("ed@example.org").status == 303
    t0 = fresh_step()
    r = c.post("/manage/account/totp", {"code": totp(secret, t0)}, from_page="/manage/account/totp")
    assert r.status == 303 and r.header("Location") == "/manage/account?done=totp-on"
    says_two_factor_is(c.get("/manage/account").text, "on")
    on = c.get("/manage/account/totp").text
    assert "code" in form_to(on, "/manage/account/totp/off")["inputs"]
    # the password alone no longer signs in
    _, r, fields = password_step("ed@example.org", s)
    assert r.status == 200 and fields is not None


def test_a_wrong_code_does_not_turn_it_on(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    _, secret = begin(c)
    t0 = fresh_step()
    r = c.post("/manage/account/totp", {"code": wrong_code(secret, t0)}, from_page="/manage/account/totp")
    assert r.status == 422
    assert 'id="code-error"' in r.text
    assert "code" in form_to(r.text, "/manage/account/totp")["inputs"]
    says_two_factor_is(c.get("/manage/account").text, "off")
    assert Client(s).sign_in("ed@example.org").status == 303
    # the secret still pending: its code turns it on
    r = c.post("/manage/account/totp", {"code": totp(secret, t0)}, from_page="/manage/account/totp")
    assert r.status == 303 and r.header("Location") == "/manage/account?done=totp-on"


def test_a_code_without_a_pending_secret_is_422(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    r = c.post("/manage/account/totp", {"code": "123456"}, from_page="/manage/account/totp")
    assert r.status == 422
    says_two_factor_is(c.get("/manage/account").text, "off")
    assert Client(s).sign_in("ed@example.org").status == 303


# ------------------------------------------------------------- signing in with it

def test_sign_in_asks_for_the_code_after_the_password(site):
    _, s = site
    c, t0, secret = signed_in_with_totp(s)
    c2, r, fields = password_step("ed@example.org", s, next_path="/manage/account")
    assert r.status == 200 and "podium_session" not in c2.cookies
    form = form_to(r.text, "/login/code")
    assert {"ticket", "next", "csrf"} <= set(form["fields"]) and "code" in form["inputs"]
    assert fields["ticket"] and fields["next"] == "/manage/account"
    # a wrong code: the same form again, a message about the code, no session
    wrong = send_code(c2, fields, wrong_code(secret, t0))
    assert wrong.status == 200 and "podium_session" not in c2.cookies
    again = form_to(wrong.text, "/login/code")
    assert "code" in again["inputs"] and again["fields"].get("ticket")
    assert "code" in added_text(r.text, wrong.text).lower()
    # the right code: signed in, sent on to next
    ok = send_code(c2, again["fields"], totp(secret, t0))
    assert ok.status == 303 and ok.header("Location") == "/manage/account"
    assert "podium_session" in c2.cookies
    assert c2.get("/manage").status == 200
    # next by default: /manage
    c3, r = sign_in_with_code("ed@example.org", s, totp(secret, t0, 1))
    assert r.status == 303 and r.header("Location") == "/manage" and "podium_session" in c3.cookies


def test_a_code_works_once(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    t0 = fresh_step(need=15)
    secret = turn_on(c, t0)
    code = totp(secret, t0)
    first, r = sign_in_with_code("ed@example.org", s, code)
    assert r.status == 303 and "podium_session" in first.cookies
    second, r = sign_in_with_code("ed@example.org", s, code)  # the same code, the same step
    assert r.status == 200 and "podium_session" not in second.cookies
    fields = form_to(r.text, "/login/code")["fields"]
    r = send_code(second, fields, totp(secret, t0, 1))       # the next step's code
    assert r.status == 303 and "podium_session" in second.cookies


def test_one_code_signs_in_once_when_two_sign_ins_race(site):
    """Two sign-ins past their password send the same code at once: one gets a session."""
    import threading
    _, s = site
    c, t0, secret = signed_in_with_totp(s)
    code = totp(secret, t0)
    steps = [password_step("ed@example.org", s) for _ in range(4)]
    answers = [None] * len(steps)
    start = threading.Barrier(len(steps))

    def send(i):
        client, _, fields = steps[i]
        start.wait()
        answers[i] = send_code(client, fields, code).status

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(steps))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 200, 200, 303], answers


def test_a_wrong_password_says_nothing_of_two_factor(site):
    _, s = site
    c = Client(s)
    c.sign_in("ed@example.org")
    turn_on(c, fresh_step())
    answers = []
    for email in ("ed@example.org", "nobody@example.org"):
        c2, r, fields = password_step(email, s, password="not the password at all")
        assert fields is None and "podium_session" not in c2.cookies
        body = re.sub(r'name="csrf" value="[^"]+"', "", r.text).replace(email, "EMAIL")
        answers.append((r.status, body))
    assert answers[0] == answers[1]
    assert "The e-mail address or the password is not right." in answers[0][1]


def test_a_ticket_allows_five_wrong_codes(site):
    _, s = site
    c, t0, secret = signed_in_with_totp(s)
    c2, r, fields = password_step("ed@example.org", s)
    ticket = fields
    for i in range(5):
        r = send_code(c2, fields, wrong_code(secret, t0))
        assert r.status == 200 and "podium_session" not in c2.cookies, i
        form = forms_to(r.text, "/login/code")
        if form:
            fields = form[0]["fields"]
        else:
            assert i == 4, f"the code form gone after {i + 1} wrong codes"
            fields = dict(ticket, csrf=csrf_of(r.text) or ticket["csrf"])
    r = send_code(c2, fields, totp(secret, t0))  # the right code, too late
    assert r.status == 200 and "podium_session" not in c2.cookies
    assert_sign_in_again(r.text)
    # a new sign-in still works
    c3, r = sign_in_with_code("ed@example.org", s, totp(secret, t0, 1))
    assert r.status == 303 and "podium_session" in c3.cookies


def assert_sign_in_again(page):
    assert form_to(page, "/login")["inputs"].count("password") == 1
    assert not forms_to(page, "/login/code")
    assert re.search(r"sign in again", page_text(page), re.I), page_text(page)[:1000]


@pytest.mark.parametrize("ticket", ["A" * 43, "garbage", ""])
def test_an_unknown_ticket_goes_back_to_the_password(site, ticket):
    _, s = site
    c = Client(s)
    r = c.post("/login/code", {"ticket": ticket, "code": "123456", "next": "/manage"}, from_page="/login")
    assert r.status == 200 and "podium_session" not in c.cookies
    assert_sign_in_again(r.text)


def test_wrong_codes_count_toward_the_failure_limit(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "ed@example.org", "Ed Editor")
    add_user(db, "other@example.org", "Other")
    run_ok("set", "accounts.max_failures_per_account", "3", db=db)
    s = start_server(db, now=None)
    c = Client(s)
    c.sign_in("ed@example.org")
    t0 = fresh_step(need=15)
    secret = turn_on(c, t0)
    c2, r, fields = password_step("ed@example.org", s)
    for i in range(3):
        r = send_code(c2, fields, wrong_code(secret, t0))
        assert r.status == 200, i
        fields = form_to(r.text, "/login/code")["fields"]
    r = send_code(c2, fields, totp(secret, t0))  # the right code, too late
    assert r.status == 429 and "podium_session" not in c2.cookies
    c3 = Client(s)
    assert c3.sign_in("ed@example.org").status == 429 and "podium_session" not in c3.cookies
    assert Client(s).sign_in("other@example.org").status == 303  # another account signs in


# ------------------------------------------------------------- turning it off

def test_turning_off_needs_a_code(site):
    _, s = site
    c, t0, secret = signed_in_with_totp(s)
    r = c.post("/manage/account/totp/off", {"code": wrong_code(secret, t0)}, from_page="/manage/account/totp")
    assert r.status == 422
    says_two_factor_is(c.get("/manage/account").text, "on")
    assert password_step("ed@example.org", s)[2] is not None  # still asks for a code
    r = c.post("/manage/account/totp/off", {"code": totp(secret, t0)}, from_page="/manage/account/totp")
    assert r.status == 303 and r.header("Location") == "/manage/account?done=totp-off"
    says_two_factor_is(c.get("/manage/account").text, "off")
    form_to(c.get("/manage/account/totp").text, "/manage/account/totp/begin")
    assert Client(s).sign_in("ed@example.org").status == 303  # the password alone again


def test_an_admin_turns_it_off_for_an_account(site):
    _, s = site
    ed = Client(s)
    ed.sign_in("ed@example.org")
    turn_on(ed, fresh_step())
    admin = Client(s)
    admin.sign_in("admin@example.org")
    path = "/manage/users/ed@example.org"
    page = admin.get(path)
    assert page.status == 200
    says_two_factor_is(page.text, "on")
    r = admin.post(path + "/totp-off", {}, from_page=path)
    assert r.status == 303 and r.header("Location").startswith("/manage/users/")
    says_two_factor_is(admin.get(path).text, "off")
    assert Client(s).sign_in("ed@example.org").status == 303
    # audited: on, then the admin's reset
    audit = admin.get("/manage/audit").text
    assert "ed@example.org" in audit and "two-factor" in audit


def test_the_cli_lists_and_turns_it_off(site):
    db, s = site
    assert "2fa" not in line_of(run_ok("user", "list", db=db), "ed@example.org")
    c = Client(s)
    c.sign_in("ed@example.org")
    turn_on(c, fresh_step())
    out = run_ok("user", "list", db=db)
    assert "2fa" in line_of(out, "ed@example.org")
    assert "2fa" not in line_of(out, "admin@example.org")
    rc, _, err = run("user", "totp-off", "ed@example.org", db=db)
    assert rc == 0, err
    assert "2fa" not in line_of(run_ok("user", "list", db=db), "ed@example.org")
    assert Client(s).sign_in("ed@example.org").status == 303
    rc_disable, _, _ = run("user", "disable", "nobody@example.org", db=db)
    rc, _, err = run("user", "totp-off", "nobody@example.org", db=db)
    assert rc == rc_disable == 65 and "nobody@example.org" in err


def line_of(listing, email):
    lines = [line for line in listing.splitlines() if line.startswith(email + "\t")]
    assert len(lines) == 1, listing
    return lines[0]


# ------------------------------------------------------------- admins required to use it

def test_admins_without_it_hold_no_admin_rights_when_required(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", "Ada Admin", admin=True)
    token = add_token(db, "admin@example.org")
    run_ok("set", "accounts.admin_totp_required", "1", db=db)
    s = start_server(db, now=None)
    c = Client(s)
    assert c.sign_in("admin@example.org").status == 303
    home = c.get("/manage")
    assert home.status == 200 and "two-factor" in page_text(home.text).lower()
    assert c.get("/manage/users").status == 403
    assert import_new_program(s, token).status == 403
    t0 = fresh_step()
    secret = turn_on(c, t0)
    assert c.get("/manage/users").status == 200
    c2, r = sign_in_with_code("admin@example.org", s, totp(secret, t0))
    assert r.status == 303 and c2.get("/manage/users").status == 200
    assert import_new_program(s, token).status == 200


def test_admins_hold_their_rights_without_it_by_default(site):
    db, s = site
    c = Client(s)
    c.sign_in("admin@example.org")
    assert c.get("/manage/users").status == 200
    assert import_new_program(s, add_token(db, "admin@example.org")).status == 200


def import_new_program(s, token):
    body = json.dumps(load_example(LESOTHO)).encode()
    return s.request("/api/v1/import", method="POST", body=body,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})


# ------------------------------------------------------------- audit and log

def test_turning_on_and_off_is_audited(site):
    _, s = site
    ed, t0, secret = signed_in_with_totp(s)
    admin = Client(s)
    admin.sign_in("admin@example.org")
    rows_on = two_factor_rows(admin.get("/manage/audit").text, "ed@example.org")
    assert rows_on >= 1
    r = ed.post("/manage/account/totp/off", {"code": totp(secret, t0)}, from_page="/manage/account/totp")
    assert r.status == 303
    assert two_factor_rows(admin.get("/manage/audit").text, "ed@example.org") > rows_on


def two_factor_rows(audit, email):
    rows = re.findall(r"<tr>(.*?)</tr>", audit, re.S)
    return sum(1 for row in rows if email in row and "two-factor" in page_text(row).lower())


def test_no_secret_in_the_log(site):
    _, s = site
    c, t0, secret = signed_in_with_totp(s)
    c2, r, fields = password_step("ed@example.org", s)
    send_code(c2, fields, wrong_code(secret, t0))
    c3, r = sign_in_with_code("ed@example.org", s, totp(secret, t0))
    assert r.status == 303
    s.stop()
    log = s.stderr()
    assert secret not in log and " ".join(re.findall("....", secret)) not in log
    assert fields["ticket"] not in log
    assert c3.cookies["podium_session"] not in log
