"""The roster in the back office (issue 13): a CSV uploaded, checked with
nothing written, then imported on confirmation; problems by line and
column; the managers' CSV with e-mails."""

import html
import re
import uuid

import pytest

from accounts import Client, add_user, csrf_of
from podium_web import EXAMPLES_DIR, MALAYSIA, export_json, make_db

PATH = f"/manage/programs/{MALAYSIA}/roster"

CSV = ("name,position,organization,country,email,role,status\r\n"
       "Aminah Yusof,Deputy Director,Ministry of Investment,MY,aminah@example.my,participant,invited\r\n"
       "Tan Wei Ming,Senior Officer,Ministry of Investment,MY,tan@example.my,participant,registered\r\n")


def upload(c, path, content, encoding="", name="delegation.csv"):
    token = csrf_of(c.get(path).text)
    boundary = uuid.uuid4().hex
    parts = []
    for field, value in (("csrf", token), ("encoding", encoding)):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'.encode())
    parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                  "Content-Type: text/csv\r\n\r\n").encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    headers = c._headers({"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return c._keep(c.server.request(path, method="POST", headers=headers, body=b"".join(parts)))


@pytest.fixture
def site(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json")
    add_user(db, "man@example.org", roles=[("manager", MALAYSIA)])
    add_user(db, "ed@example.org", roles=[("editor", MALAYSIA)])
    s = start_server(db)
    c = Client(s)
    c.sign_in("man@example.org")
    return db, s, c


def test_check_then_import(site):
    db, s, c = site
    before = export_json(db)
    r = upload(c, PATH, CSV.encode())
    assert r.status == 200
    assert "add person aminah-yusof" in html.unescape(r.text)
    assert export_json(db) == before  # checked, nothing written
    hidden = re.search(r'name="csv" value="([^"]*)"', r.text, re.S).group(1)
    r = c.post(PATH, {"confirm": "1", "csv": html.unescape(hidden)}, csrf=csrf_of(r.text))
    assert r.status == 303
    after = export_json(db, MALAYSIA)
    keys = {e["person"] for e in after["programs"][0]["enrolments"]}
    assert {"aminah-yusof", "tan-wei-ming"} <= keys
    # imported again: matched, not doubled
    r = upload(c, PATH, CSV.encode())
    assert "match" in html.unescape(r.text)


def test_problems_by_line_and_column_and_nothing_written(site):
    db, s, c = site
    before = export_json(db)
    bad = CSV.replace("tan@example.my", "not-an-email")
    r = upload(c, PATH, bad.encode())
    assert r.status == 422
    assert "delegation.csv:3:email:" in html.unescape(r.text)
    assert export_json(db) == before


def test_an_encoding_other_than_utf8(site):
    db, s, c = site
    gbk = ("name,country\r\n李大伟,CN\r\n").encode("gbk")
    r = upload(c, PATH, gbk)
    assert r.status == 422 and "UTF-8" in html.unescape(r.text)
    r = upload(c, PATH, gbk, encoding="GBK")
    assert r.status == 200 and "李大伟" in html.unescape(r.text)


def test_the_managers_csv_has_emails_and_editors_cannot(site):
    db, s, c = site
    upload_page = upload(c, PATH, CSV.encode())
    hidden = re.search(r'name="csv" value="([^"]*)"', upload_page.text, re.S).group(1)
    c.post(PATH, {"confirm": "1", "csv": html.unescape(hidden)}, csrf=csrf_of(upload_page.text))
    r = c.get(PATH + ".csv")
    assert r.status == 200 and r.header("Content-Type") == "text/csv; charset=utf-8"
    assert "aminah@example.my" in r.body.decode("utf-8-sig")
    assert r.header("Cache-Control") == "no-store"
    ed = Client(s)
    ed.sign_in("ed@example.org")
    assert ed.get(PATH + ".csv").status == 403
    assert ed.get(PATH).status == 403
    assert "aminah@example.my" not in s.get(f"/programs/{MALAYSIA}").text
    assert "aminah@example.my" not in s.get(f"/api/v1/programs/{MALAYSIA}").text


def test_a_multipart_form_needs_its_token_too(site):
    db, s, c = site
    before = export_json(db)
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{"x" * 43}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="confirm"\r\n\r\n1\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="csv"\r\n\r\n{CSV}\r\n'
            f"--{boundary}--\r\n").encode()
    headers = c._headers({"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert s.request(PATH, method="POST", headers=headers, body=body).status == 403
    body_without = body.replace(b"x" * 43, b"")
    assert s.request(PATH, method="POST", headers=headers, body=body_without).status == 403
    assert export_json(db) == before


def test_the_roster_page_in_chinese(site):
    """What an import would do, and the problems of a file, in the reader's language."""
    db, s, c = site
    c.get(PATH + "?lang=zh")  # the language link sets the cookie
    r = upload(c, PATH, CSV.encode())
    text = html.unescape(r.text)
    assert r.status == 200 and '<html lang="zh">' in r.text
    assert "新增人员 aminah-yusof（Aminah Yusof）" in text and "add person" not in text
    assert re.search(r"名单 \S+：2 行：", text)
    r = upload(c, PATH, b"name,role\r\nAminah Yusof,chef\r\n")
    text = html.unescape(r.text)
    assert r.status == 422 and "chef" in text
    assert not re.search(r"is not one of|expected one of", text), text
