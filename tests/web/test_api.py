"""The read API: /api/v1/programs and /api/v1/programs/SLUG."""

import json

import pytest

from podium_web import (LESOTHO, MALAYSIA, SAFETY, by_key_sorted, canonical, export_json,
                        make_db, public_view, run)

LIST_KEYS = {"slug", "title", "kind", "mode", "timezone", "starts_on", "ends_on", "url"}


def get_json(server, path, status=200):
    r = server.get(path)
    assert r.status == status, (path, r.status, r.body[:500])
    assert r.header("Content-Type").split(";")[0].strip() == "application/json"
    return r.json()


def test_programs_list_shape(server, examples):
    doc = get_json(server, "/api/v1/programs")
    assert set(doc) == {"programs"}, "one page: no next"
    got = {p["slug"]: p for p in doc["programs"]}
    assert set(got) == {MALAYSIA, LESOTHO, SAFETY}
    for slug, ex in examples.items():
        p = got[slug]
        assert set(p) == LIST_KEYS
        src = ex["programs"][0]
        for k in LIST_KEYS - {"url"}:
            assert p[k] == src[k], (slug, k)
        assert p["url"] == f"/api/v1/programs/{slug}"


def test_programs_list_pagination(tmp_path, start_server):
    from podium_web import many_programs_doc
    s = start_server(make_db(tmp_path, many_programs_doc(120)))
    seen = []
    path = "/api/v1/programs"
    pages = []
    while path:
        doc = get_json(s, path)
        pages.append(len(doc["programs"]))
        seen += [p["slug"] for p in doc["programs"]]
        nxt = doc.get("next")
        if nxt is not None:
            assert nxt == f"/api/v1/programs?page={len(pages) + 1}", nxt
        assert len(pages) < 5
        path = nxt
    assert pages == [50, 50, 20]
    assert sorted(seen) == [f"gen-{i:03d}" for i in range(120)]
    assert len(set(seen)) == 120


@pytest.mark.parametrize("slug", [MALAYSIA, LESOTHO, SAFETY])
def test_program_document_is_the_public_export(server, examples_db, slug):
    api = get_json(server, f"/api/v1/programs/{slug}")
    assert api["format"] == "podium-program/1"
    assert [p["slug"] for p in api["programs"]] == [slug]
    want = public_view(export_json(examples_db, slug), slug)
    assert by_key_sorted(canonical(api)) == by_key_sorted(want)


def test_program_document_malaysia_specifics(server):
    api = get_json(server, f"/api/v1/programs/{MALAYSIA}")
    prog = api["programs"][0]
    assert "enrolments" not in prog
    assert all("attendees" not in s for s in prog["sessions"])
    people = {p["key"] for p in api["people"]}
    assert "samuel-lee" not in people  # a guest, attendee only
    assert {"liu-beimin", "chang-qingxin", "guan-rui", "zhou-dejiang", "chen-wei"} <= people
    assert [a["key"] for a in prog["articles"]] == ["opening-kicked-off"]


def test_program_document_drops_unpublished(server):
    api = get_json(server, f"/api/v1/programs/{SAFETY}")
    prog = api["programs"][0]
    assert not prog.get("articles")
    assert "li-nan" not in {p["key"] for p in api.get("people", [])}  # credited in a draft only


@pytest.mark.parametrize("slug", [MALAYSIA, LESOTHO, SAFETY])
def test_public_document_imports_and_round_trips(server, tmp_path, slug):
    r = server.get_ok(f"/api/v1/programs/{slug}")
    api = r.json()
    p = tmp_path / "api.json"
    p.write_bytes(r.body)
    db = tmp_path / "fresh.db"
    rc, out, err = run("import", p, db=db)
    assert rc == 0, f"podium import of the API document failed ({rc}):\n{err}"
    back = export_json(db, slug)
    assert by_key_sorted(canonical(back)) == by_key_sorted(canonical(api))


def test_program_404_json(server):
    r = server.get("/api/v1/programs/no-such-program")
    assert r.status == 404
    assert r.header("Content-Type").split(";")[0] == "application/json"
    doc = r.json()
    assert set(doc) == {"error"}
    assert doc["error"]["status"] == 404
    assert isinstance(doc["error"]["message"], str) and doc["error"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/programs/x/y", "/api/v2/programs"])
def test_unknown_api_path_404_json(server, path):
    r = server.get(path)
    assert r.status == 404
    assert r.header("Content-Type").split(";")[0] == "application/json"
    assert r.json()["error"]["status"] == 404


def test_api_405_json(server):
    r = server.request("/api/v1/programs", method="POST", body=b"{}")
    assert r.status == 405
    assert "GET" in (r.header("Allow") or "")
    assert r.header("Content-Type").split(";")[0] == "application/json"
    assert r.json()["error"]["status"] == 405


def test_api_is_json_not_html(server):
    for path in ("/api/v1/programs", f"/api/v1/programs/{MALAYSIA}"):
        r = server.get_ok(path)
        json.loads(r.body)
        assert b"<html" not in r.body.lower()
