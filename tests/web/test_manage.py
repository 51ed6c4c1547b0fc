"""The back office's forms (issue 13): each judged by the import's rules,
errors beside their fields with what was typed kept, nothing written on an
error, 303 on success, 409 on a stale version, deletes refused while
referenced, the audit log."""

import html
import re

import pytest

from accounts import Client, add_user
from podium_web import EXAMPLES_DIR, MALAYSIA, LESOTHO, export_json, import_doc, make_db

PROGRAM = f"/manage/programs/{MALAYSIA}"


def form_fields(page):
    """The fields of the first form after the sign-out one, as a browser would send them."""
    form = re.findall(r'<form method="post"(.*?)</form>', page, re.S)[-1]
    fields = {}
    for m in re.finditer(r'<input id="[^"]+" name="([^"]+)" type="(?!checkbox)[^"]+" value="([^"]*)"', form):
        fields[m.group(1)] = html.unescape(m.group(2))
    for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields[m.group(1)] = html.unescape(m.group(2))
    for m in re.finditer(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        fields[m.group(1)] = html.unescape(sel.group(1)) if sel else ""
    for m in re.finditer(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[m.group(1)] = html.unescape(m.group(2))
    return fields


def field_error(page, field):
    m = re.search(r'<span class="field-error" id="%s-error">([^<]*)</span>' % re.escape(field), page)
    return html.unescape(m.group(1)) if m else None


def top_error(page):
    m = re.search(r'<p class="form-error" role="alert">([^<]*)</p>', page)
    return html.unescape(m.group(1)) if m else None


@pytest.fixture
def site(tmp_path, start_server):
    db = make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json", EXAMPLES_DIR / f"{LESOTHO}.json")
    add_user(db, "admin@example.org", "Ada Admin", admin=True)
    add_user(db, "man@example.org", "Mo Manager", roles=[("manager", MALAYSIA)])
    s = start_server(db)
    c = Client(s)
    assert c.sign_in("man@example.org").status == 303
    return db, s, c


def save(c, path, changes, page=None):
    page = page or c.get(path).text
    fields = form_fields(page)
    fields.update(changes)
    return c.post(path, {k: v for k, v in fields.items() if v is not None and k != "csrf"},
                  csrf=fields["csrf"])


def test_details_saved_and_shown_publicly(site):
    db, s, c = site
    r = save(c, PROGRAM, {"title": "Seminar on High-Tech Industries, 2021", "capacity": "70"})
    assert r.status == 303 and r.header("Location") == PROGRAM + "?saved=1"
    assert "Saved." in c.get(r.header("Location")).text
    p = export_json(db, MALAYSIA)["programs"][0]
    assert p["title"] == "Seminar on High-Tech Industries, 2021" and p["capacity"] == 70
    assert "Seminar on High-Tech Industries, 2021" in s.get(f"/programs/{MALAYSIA}").text


@pytest.mark.parametrize("field,value,message", [
    ("timezone", "Mars/Base", "is not a time zone of the tz database"),
    ("ends_on", "2021-12-01", "before"),
    ("host", "no-such-org", "no-such-org"),
    ("kind", "party", "is not one of"),
    ("capacity", "many", "integer"),
    ("title", "", "required"),
    ("countries", "XX", "XX"),
])
def test_each_rule_shows_beside_its_field_and_writes_nothing(site, field, value, message):
    db, s, c = site
    before = export_json(db)
    r = save(c, PROGRAM, {field: value, "summary": "typed <b>text</b> kept"})
    assert r.status == 422, r.text[:500]
    error = field_error(r.text, field)
    assert error and message in error, (field, error, top_error(r.text))
    assert "typed &lt;b&gt;text&lt;/b&gt; kept" in r.text  # what was typed is kept, escaped
    assert export_json(db) == before


def test_a_stale_version_is_409_and_says_who(site):
    db, s, c = site
    page = c.get(PROGRAM).text
    admin = Client(s)
    admin.sign_in("admin@example.org")
    assert save(admin, PROGRAM, {"title": "The admin's title"}).status == 303
    before = export_json(db)
    r = save(c, PROGRAM, {"title": "The manager's title"}, page=page)
    assert r.status == 409
    assert "admin@example.org" in top_error(r.text)
    assert 'value="The manager&#39;s title"' in r.text
    assert export_json(db) == before


def test_rows_add_change_remove_and_reorder(site):
    db, s, c = site
    path = PROGRAM + "/phases"
    page = c.get(path).text
    fields = form_fields(page)
    n = len(export_json(db, MALAYSIA)["programs"][0]["preparation"])
    assert n >= 2
    fields[f"preparation-{n}-phase"] = "evaluation"
    fields[f"preparation-{n}-title"] = "Evaluation survey"
    fields[f"preparation-{n}-status"] = "todo"
    fields[f"preparation-{n}-order"] = "0"  # first
    r = c.post(path, {k: v for k, v in fields.items() if k != "csrf"}, csrf=fields["csrf"])
    # not a kind of phase: shown beside the row where it now stands (first), nothing written
    assert r.status == 422 and "is not one of" in field_error(r.text, "preparation-0-phase")
    assert 'value="Evaluation survey"' in r.text
    assert len(export_json(db, MALAYSIA)["programs"][0]["preparation"]) == n
    fields[f"preparation-{n}-phase"] = "expert-consultation"
    fields[f"preparation-{n}-title"] = "Second consultation"
    r = c.post(path, {k: v for k, v in fields.items() if k != "csrf"}, from_page=path)
    assert r.status == 303, (re.findall(r'field-error[^>]*>([^<]*)', r.text), top_error(r.text))
    phases = export_json(db, MALAYSIA)["programs"][0]["preparation"]
    assert len(phases) == n + 1 and phases[0]["title"] == "Second consultation"
    # remove it again
    fields = form_fields(c.get(path).text)
    fields["preparation-0-remove"] = "1"
    r = c.post(path, {k: v for k, v in fields.items() if k != "csrf"}, csrf=fields["csrf"])
    assert r.status == 303
    assert len(export_json(db, MALAYSIA)["programs"][0]["preparation"]) == n


def test_enrolment_capacity_is_enforced(site):
    db, s, c = site
    save(c, PROGRAM, {"capacity": "1"})
    path = PROGRAM + "/enrolments"
    before = export_json(db)
    fields = form_fields(c.get(path).text)
    for k in [k for k in fields if k.endswith("-status") and fields[k]]:
        fields[k] = "confirmed"
    fields = {k: v for k, v in fields.items() if k != "csrf"}
    r = c.post(path, fields, from_page=path)
    confirmed = sum(1 for e in before["programs"][0]["enrolments"] if e["role"] == "participant")
    if confirmed > 1:
        assert r.status == 422
        assert "capacity" in (top_error(r.text) or "") + " ".join(re.findall(r'field-error[^>]*>([^<]*)', r.text))
        assert export_json(db) == before


def test_a_session_with_two_speeches_one_on_behalf(site):
    db, s, c = site
    path = PROGRAM + "/new-session"
    r = c.post(path, {"version": form_fields(c.get(path).text)["version"], "key": "closing",
                      "title": "Closing ceremony", "kind": "ceremony",
                      "starts_at": "2021-12-22T15:00", "ends_at": "2021-12-22T16:00",
                      "items-0-kind": "speech", "items-0-speaker": "yu-jun", "items-0-title": "Closing words",
                      "items-0-order": "1",
                      "items-1-kind": "speech", "items-1-speaker": "liu-beimin",
                      "items-1-title": "Thanks from the organizer",
                      "items-1-on_behalf_of": "the Ministry of Commerce", "items-1-order": "2"},
               from_page=path)
    assert r.status == 303, (top_error(r.text), re.findall(r'field-error[^>]*>([^<]*)', r.text))
    session = [x for x in export_json(db, MALAYSIA)["programs"][0]["sessions"] if x["key"] == "closing"][0]
    assert session["starts_at"] == "2021-12-22T15:00:00+08:00"
    assert [i["title"] for i in session["items"]] == ["Closing words", "Thanks from the organizer"]
    assert session["items"][1]["on_behalf_of"] == "the Ministry of Commerce"
    public = s.get(f"/programs/{MALAYSIA}").text
    assert "Closing ceremony" in public and "Thanks from the organizer" in public
    # an item naming nobody known is refused beside its field
    edit = PROGRAM + "/sessions/closing"
    r = save(c, edit, {"items-0-speaker": "nobody-known"})
    assert r.status == 422 and "nobody-known" in field_error(r.text, "items-0-speaker")


def test_people_and_organizations(site):
    db, s, c = site
    r = c.post("/manage/new-organization", {"key": "mida", "name": "Malaysian Investment Development Authority",
                                            "country": "MY", "version": ""}, from_page="/manage/new-organization")
    assert r.status == 303
    r = c.post("/manage/new-person", {"key": "aida-rahman", "name": "Aida Rahman", "organization": "mida",
                                      "email": "aida@example.my", "version": ""}, from_page="/manage/new-person")
    assert r.status == 303
    r = c.post("/manage/new-person", {"key": "aida-rahman", "name": "Again", "version": ""},
               from_page="/manage/new-person")
    assert r.status == 422 and "already" in field_error(r.text, "key")
    r = c.post("/manage/new-person", {"key": "x-y", "name": "X", "email": "not-an-email", "version": ""},
               from_page="/manage/new-person")
    assert r.status == 422 and "e-mail" in field_error(r.text, "email")
    r = save(c, "/manage/people/aida-rahman", {"position": "Director"})
    assert r.status == 303
    people = {p["key"]: p for p in export_json(db)["people"]}
    assert people["aida-rahman"]["position"] == "Director"
    # the organization is referred to: not deleted, and says by what
    r = c.post("/manage/organizations/mida/delete", {}, from_page="/manage/organizations/mida/delete")
    assert r.status == 409 and "aida-rahman" in r.text
    # a person nobody refers to is deleted; then the organization can go
    assert c.post("/manage/people/aida-rahman/delete", {},
                  from_page="/manage/people/aida-rahman/delete").status == 303
    assert c.post("/manage/organizations/mida/delete", {},
                  from_page="/manage/organizations/mida/delete").status == 303
    keys = {p["key"] for p in export_json(db)["people"]}
    assert "aida-rahman" not in keys


def test_a_referenced_person_is_anonymised_instead(site, tmp_path):
    db, s, c = site
    person = {p["key"]: p for p in export_json(db)["people"]}["yu-jun"]
    person["translations"] = {"zh": {"name": "余俊", "position": "政务参赞"}}  # made up for the test
    import_doc(db, {"format": "podium-program/1", "people": [person]}, tmp_path, replace=True)
    r = c.post("/manage/people/yu-jun/delete", {}, from_page="/manage/people/yu-jun/delete")
    assert r.status == 409 and "enrolled in" in r.text or "speaks in" in r.text
    r = c.post("/manage/people/yu-jun/delete", {"forget": "1"}, from_page="/manage/people/yu-jun/delete")
    assert r.status == 303
    p = {p["key"]: p for p in export_json(db)["people"]}["yu-jun"]
    assert p["name"] == "(name removed)" and "email" not in p and "position" not in p
    assert "translations" not in p
    admin = Client(s)
    admin.sign_in("admin@example.org")
    assert "anonymise" in admin.get("/manage/audit").text


def test_only_admins_create_programs(site):
    db, s, c = site
    assert c.get("/manage/new-program").status == 403
    admin = Client(s)
    admin.sign_in("admin@example.org")
    fields = {"slug": "new-seminar", "title": "A new seminar", "kind": "seminar", "mode": "online",
              "timezone": "Africa/Maseru", "starts_on": "2026-03-01", "ends_on": "2026-03-10",
              "host": "mofcom", "organizer": "mofcom", "version": ""}
    r = admin.post("/manage/new-program", dict(fields, slug=MALAYSIA), from_page="/manage/new-program")
    assert r.status == 422 and "already" in field_error(r.text, "slug")
    r = admin.post("/manage/new-program", fields, from_page="/manage/new-program")
    assert r.status == 303 and r.header("Location") == "/manage/programs/new-seminar"
    assert admin.get("/manage/programs/new-seminar").status == 200
    assert s.get("/programs/new-seminar").status == 200


def test_a_manager_of_another_program_is_refused(site):
    db, s, c = site
    assert c.get(f"/manage/programs/{LESOTHO}").status == 403
    assert c.get("/manage/programs/no-such-program").status == 404
    before = export_json(db)
    fields = form_fields(c.get(PROGRAM).text)
    r = c.post(f"/manage/programs/{LESOTHO}", {k: v for k, v in fields.items() if k != "csrf"},
               csrf=fields["csrf"])
    assert r.status == 403 and export_json(db) == before



def test_translations_are_edited_beside_their_fields(site):
    """Each translatable field has one for its Chinese beside it: shown with
    what is stored, saved, emptied to remove it; other languages' versions,
    which the form has no field for, are kept."""
    db, s, c = site
    before = export_json(db, MALAYSIA)["programs"][0]
    zh = before["translations"]["zh"]
    doc = export_json(db, MALAYSIA)
    doc["programs"][0]["translations"]["ar"] = {"title": "ندوة"}
    import_doc(db, doc, s.workdir, replace=True)
    page = c.get(PROGRAM).text
    fields = form_fields(page)
    assert fields["translations-zh-title"] == zh["title"] and fields["translations-zh-summary"] == zh["summary"]
    assert "translations-ar-title" not in fields and "translations-en-title" not in fields
    assert re.search(r'<label for="translations-zh-title">Title in Chinese</label>\s*<input id="translations-zh-title" '
                     r'name="translations-zh-title" type="text" value="[^"]+" lang="zh" dir="auto">', page)
    assert '<label for="translations-zh-title">标题（中文）</label>' in c.get(PROGRAM + "?lang=zh").text
    r = save(c, PROGRAM, {"translations-zh-title": "高新技术研修班", "translations-zh-summary": ""})
    assert r.status == 303, (top_error(r.text), re.findall(r'field-error[^>]*>([^<]*)', r.text))
    after = export_json(db, MALAYSIA)["programs"][0]
    assert after["translations"] == {"ar": {"title": "ندوة"}, "zh": {"title": "高新技术研修班"}}
    assert "高新技术研修班" in s.get(f"/programs/{MALAYSIA}?lang=zh").text

    # a session's and its items' Chinese, typed in the rows
    session = before["sessions"][0]
    path = PROGRAM + f"/sessions/{session['key']}"
    fields = form_fields(c.get(path).text)
    assert fields["items-0-translations-zh-title"] == session["items"][0]["translations"]["zh"]["title"]
    r = save(c, path, {"translations-zh-title": "开幕", "items-1-translations-zh-title": "合作案例（新）"})
    assert r.status == 303, (top_error(r.text), re.findall(r'field-error[^>]*>([^<]*)', r.text))
    saved = export_json(db, MALAYSIA)["programs"][0]["sessions"][0]
    assert saved["translations"]["zh"]["title"] == "开幕"
    assert saved["items"][1]["translations"]["zh"]["title"] == "合作案例（新）"
    assert saved["items"][0]["translations"] == session["items"][0]["translations"]

    # a person's name in characters, typed in the form
    r = save(c, "/manage/people/yu-jun", {"translations-zh-name": "余俊（测试）"})
    assert r.status == 303
    people = {p["key"]: p for p in export_json(db)["people"]}
    assert people["yu-jun"]["translations"]["zh"]["name"] == "余俊（测试）"


def test_a_bad_translation_is_shown_beside_its_field(site):
    """A translation is judged like any field: the problem beside it, what was
    typed kept, nothing written."""
    db, s, c = site
    before = export_json(db)
    r = save(c, PROGRAM, {"summary": ""})  # its Chinese stays: nothing left to translate
    assert r.status == 422
    assert "nothing to translate" in field_error(r.text, "translations-zh-summary")
    assert form_fields(r.text)["translations-zh-summary"]
    r = save(c, PROGRAM, {"translations-zh-title": "x" * 301})
    assert r.status == 422 and field_error(r.text, "translations-zh-title")
    assert export_json(db) == before


def test_saving_a_form_keeps_the_translations(site):
    """Saving a form keeps the translations of every record it writes, in
    their rows' new order, and drops those of fields emptied together with
    their translations."""
    db, s, c = site
    before = export_json(db, MALAYSIA)["programs"][0]
    zh = before["translations"]["zh"]
    assert zh["title"] and zh["summary"]
    r = save(c, PROGRAM, {"title": "Seminar on High-Tech Industries, 2021", "summary": "",
                          "translations-zh-summary": ""})
    assert r.status == 303
    after = export_json(db, MALAYSIA)["programs"][0]
    assert after["translations"] == {"zh": {"title": zh["title"]}}

    path = PROGRAM + "/phases"
    fields = form_fields(c.get(path).text)
    fields["preparation-1-order"] = "0"  # the second phase first
    r = c.post(path, {k: v for k, v in fields.items() if k != "csrf"}, csrf=fields["csrf"])
    assert r.status == 303
    phases = export_json(db, MALAYSIA)["programs"][0]["preparation"]
    assert [p["translations"] for p in phases[:2]] == [before["preparation"][1]["translations"],
                                                      before["preparation"][0]["translations"]]

    session = before["sessions"][0]
    r = save(c, PROGRAM + f"/sessions/{session['key']}", {"items-0-title": "Opening address"})
    assert r.status == 303, (top_error(r.text), re.findall(r'field-error[^>]*>([^<]*)', r.text))
    saved = export_json(db, MALAYSIA)["programs"][0]["sessions"][0]
    assert saved["translations"] == session["translations"]
    assert saved["items"][0]["title"] == "Opening address"
    assert [i.get("translations") for i in saved["items"]] == [i.get("translations") for i in session["items"]]

    # a form posted without the translation fields (an older page) keeps them all
    fields = {k: v for k, v in form_fields(c.get("/manage/organizations/mofcom").text).items()
              if not k.startswith("translations-")}
    r = c.post("/manage/organizations/mofcom", {k: v for k, v in fields.items() if k != "csrf"}, csrf=fields["csrf"])
    assert r.status == 303
    orgs = {o["key"]: o for o in export_json(db)["organizations"]}
    assert orgs["mofcom"]["translations"]["zh"]["short_name"]
    assert save(c, "/manage/organizations/mofcom", {"short_name": "", "translations-zh-short_name": ""}).status == 303
    orgs = {o["key"]: o for o in export_json(db)["organizations"]}
    assert "short_name" not in orgs["mofcom"]
    assert orgs["mofcom"]["translations"] == {"zh": {"name": "商务部"}}


def test_a_form_in_chinese(site):
    """The back office in the reader's language: labels, choices, and the
    problems the rules find, beside their fields."""
    db, s, c = site
    page = c.get(PROGRAM + "?lang=zh").text  # sets the lang cookie, as the language link does
    assert '<html lang="zh">' in page and "保存" in page
    assert re.search(r'<option value="seminar" selected>研修班</option>', page)
    before = export_json(db)
    r = save(c, PROGRAM, {"timezone": "Mars/Base", "ends_on": "2021-12-01", "title": ""}, page=page)
    assert r.status == 422 and '<html lang="zh">' in r.text
    for field in ("timezone", "ends_on", "title"):
        message = field_error(r.text, field)
        assert message and re.search(r"[\u4e00-\u9fff]", message), (field, message)
    assert "Mars/Base" in field_error(r.text, "timezone")  # what was typed, quoted as it was
    assert export_json(db) == before
    # the same problems in English for a reader of English
    c.get(PROGRAM + "?lang=en")
    r = save(c, PROGRAM, {"timezone": "Mars/Base"})
    assert r.status == 422 and "is not a time zone of the tz database" in field_error(r.text, "timezone")
