"""The write API (issue 13): POST /api/v1/import as a token's account, every
status, and the database unchanged after every 4xx; a manager's full read."""

import json

import pytest

from accounts import Client, add_token, add_user
from podium_web import (EXAMPLES_DIR, LESOTHO, MALAYSIA, export_json, load_example, make_db,
                        run_ok)


@pytest.fixture
def site(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", admin=True)
    add_user(db, "man@example.org", roles=[("manager", MALAYSIA)])
    add_user(db, "ed@example.org", roles=[("editor", MALAYSIA), ("reviewer", MALAYSIA)])
    tokens = {w: add_token(db, f"{w}@example.org") for w in ("admin", "man", "ed")}
    return db, start_server(db), tokens


def post(s, body, token=None, ctype="application/json", query=""):
    headers = {"Content-Type": ctype}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    return s.request("/api/v1/import" + query, method="POST", headers=headers, body=body)


def changed_doc():
    doc = load_example(MALAYSIA)
    doc["programs"][0]["title"] = "A new title"
    return doc


def test_4xx_leave_the_database_as_it_was(site):
    db, s, tokens = site
    before = export_json(db)
    doc = changed_doc()
    cases = [
        (post(s, doc), 401),                                     # no token
        (post(s, doc, token="A" * 43), 401),                     # a token nobody has
        (post(s, doc, token="not a token"), 401),
        (post(s, doc, token=tokens["ed"], query="?replace=1"), 403),   # editor, not manager
        (post(s, doc, token=tokens["admin"], ctype="text/plain", query="?replace=1"), 415),
        (post(s, b"{not json", token=tokens["admin"]), 422),
        (post(s, doc, token=tokens["admin"]), 422),              # a conflict without replace
        (post(s, doc, token=tokens["admin"], query="?replace=yes"), 400),
    ]
    for r, status in cases:
        assert r.status == status, (r.status, r.body[:300])
        assert r.header("Content-Type") == "application/json"
    assert cases[0][0].header("WWW-Authenticate").startswith("Bearer")
    assert export_json(db) == before


def test_422_names_paths_as_the_cli_does(site):
    db, s, tokens = site
    doc = load_example(MALAYSIA)
    doc["programs"][0]["timezone"] = "Mars/Base"
    doc["programs"][0]["slug"] = "another"
    r = post(s, doc, token=tokens["admin"])
    assert r.status == 422
    errors = r.json()["errors"]
    assert {"path": "programs[0].timezone",
            "message": "'Mars/Base' is not a time zone of the tz database: expected an IANA name "
                       "such as Asia/Shanghai"} in errors


def test_managers_replace_their_program_admins_create(site):
    db, s, tokens = site
    r = post(s, changed_doc(), token=tokens["man"], query="?replace=1")
    assert r.status == 200, r.body
    assert r.json()["programs"] == {"added": 0, "updated": 1, "unchanged": 0}
    assert export_json(db, MALAYSIA)["programs"][0]["title"] == "A new title"
    lesotho = load_example(LESOTHO)
    r = post(s, lesotho, token=tokens["man"])
    assert r.status == 403
    assert "only an administrator may create a program" in r.text
    r = post(s, lesotho, token=tokens["admin"])
    assert r.status == 200 and r.json()["slugs"] == [LESOTHO]
    # the audit log says who imported what, through which door
    c = Client(s)
    c.sign_in("admin@example.org")
    audit = c.get("/manage/audit?program=" + MALAYSIA).text
    assert "man@example.org" in audit and "import" in audit and "&quot;api&quot;" in audit
    assert "cli:" in c.get("/manage/audit").text


def test_413_from_content_length(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "admin@example.org", admin=True)
    token = add_token(db, "admin@example.org")
    run_ok("set", "api.max_body_bytes", "2048", db=db)
    s = start_server(db)
    before = export_json(db)
    r = post(s, changed_doc(), token=token, query="?replace=1")
    assert r.status == 413
    assert export_json(db) == before


def test_a_disabled_account_s_token_stops(site):
    db, s, tokens = site
    run_ok("user", "disable", "man@example.org", db=db)
    assert post(s, changed_doc(), token=tokens["man"], query="?replace=1").status == 401
    out = run_ok("token", "list", db=db)
    number = [line.split("\t")[0] for line in out.splitlines() if "\tadmin@example.org\t" in line][0]
    run_ok("token", "revoke", number, db=db)
    assert post(s, {"format": "podium-program/1"}, token=tokens["admin"]).status == 401


def test_a_managers_token_reads_the_full_export(site):
    db, s, tokens = site
    public = s.get(f"/api/v1/programs/{MALAYSIA}").json()
    full = s.get(f"/api/v1/programs/{MALAYSIA}",
                 headers={"Authorization": f"Bearer {tokens['man']}"})
    assert full.header("Cache-Control") == "no-store"
    assert full.json() == export_json(db, MALAYSIA)
    assert "enrolments" in json.dumps(full.json()) and "enrolments" not in json.dumps(public)
    # an editor reads what everybody reads; and the public answer stays cached as before
    ed = s.get(f"/api/v1/programs/{MALAYSIA}", headers={"Authorization": f"Bearer {tokens['ed']}"})
    assert ed.json() == public
    assert s.get(f"/api/v1/programs/{MALAYSIA}").json() == public
