"""/programs/SLUG/timetable.ics, read with python's icalendar."""

import datetime as dt

import icalendar
import pytest

from podium_web import (MALAYSIA, doc_of, import_doc, load_example, make_db, program,
                        session)

UTC = dt.timezone.utc


def instant(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(UTC)


def fetch(server, slug):
    r = server.get_ok(f"/programs/{slug}/timetable.ics")
    return r, icalendar.Calendar.from_ical(r.body)


def events(cal):
    return [c for c in cal.walk() if c.name == "VEVENT"]


def check_calendar(server, prog):
    r, cal = fetch(server, prog["slug"])
    ctype = r.header("Content-Type")
    assert ctype.split(";")[0].strip() == "text/calendar", ctype
    assert cal.name == "VCALENDAR"
    assert str(cal.get("VERSION")) == "2.0"
    assert cal.get("PRODID")
    tzs = [c for c in cal.walk() if c.name == "VTIMEZONE"]
    assert [str(t["TZID"]) for t in tzs] == [prog["timezone"]]
    evs = events(cal)
    sessions = prog.get("sessions", [])
    assert len(evs) == len(sessions)
    by_summary = {}
    for e in evs:
        by_summary.setdefault(str(e["SUMMARY"]), []).append(e)
    uids = [str(e["UID"]) for e in evs]
    assert len(set(uids)) == len(uids), "UIDs are not unique"
    for s in sessions:
        matching = by_summary.get(s["title"], [])
        assert matching, f"no VEVENT with SUMMARY {s['title']!r}"
        starts = [e for e in matching if e.decoded("DTSTART").astimezone(UTC)
                  == instant(s["starts_at"])]
        assert starts, f"{s['key']}: DTSTART is not {s['starts_at']}"
        e = starts[0]
        assert e.decoded("DTEND").astimezone(UTC) == instant(s["ends_at"]), s["key"]
        for prop in ("DTSTART", "DTEND"):
            assert e[prop].params.get("TZID") == prog["timezone"], (s["key"], prop)
        assert "DTSTAMP" in e
        assert isinstance(e.decoded("DTSTAMP"), dt.datetime)
    return r, cal


def test_ics_malaysia(server):
    prog = load_example(MALAYSIA)["programs"][0]
    r, cal = check_calendar(server, prog)
    e = events(cal)[0]
    loc = str(e["LOCATION"])
    assert "Offline venue" in loc and "Online meeting room" in loc
    desc = str(e["DESCRIPTION"])
    for title in ("Opening speech",
                  "A cooperation case: Regaltech Technology Company and Alibaba Cloud",
                  "Congratulations from the Malaysia-China Business Council",
                  "Policy system and practical cases of high-tech industry",
                  "Preparation work and training arrangements",
                  "Speech on behalf of all participants"):
        assert title in desc, title
    order = [desc.find(t) for t in ("Opening speech", "A cooperation case", "Congratulations",
                                    "Policy system", "Preparation work", "Speech on behalf")]
    assert order == sorted(order), "items out of order in DESCRIPTION"
    assert "Liu Beimin" in desc


def test_ics_uid_stable_across_fetches(server, tmp_path, start_server):
    _, cal1 = fetch(server, MALAYSIA)
    _, cal2 = fetch(server, MALAYSIA)
    uids1 = [str(e["UID"]) for e in events(cal1)]
    assert uids1 == [str(e["UID"]) for e in events(cal2)]
    # the same program in another database (after a re-render): the same UIDs
    from podium_web import EXAMPLES_DIR
    s2 = start_server(make_db(tmp_path, EXAMPLES_DIR / f"{MALAYSIA}.json"))
    _, cal3 = fetch(s2, MALAYSIA)
    assert [str(e["UID"]) for e in events(cal3)] == uids1


def test_ics_uid_stable_when_the_program_changes(tmp_path, start_server):
    sessions = [session("one", "2021-12-09T09:00:00+08:00", "2021-12-09T10:00:00+08:00"),
                session("two", "2021-12-09T11:00:00+08:00", "2021-12-09T12:00:00+08:00")]
    doc = doc_of([program("ics-prog", sessions=sessions)])
    db = make_db(tmp_path, doc)
    # one worker thread: a stale page cache is test_http's business, not this test's
    s = start_server(db, threads=1)
    _, cal = fetch(s, "ics-prog")
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in events(cal)}
    doc["programs"][0]["sessions"][1]["title"] = "Renamed session"
    doc["programs"][0]["sessions"][0]["ends_at"] = "2021-12-09T10:15:00+08:00"
    import_doc(db, doc, tmp_path, name="changed.json", replace=True)
    _, cal = fetch(s, "ics-prog")
    after = {str(e["SUMMARY"]): str(e["UID"]) for e in events(cal)}
    assert after == {"Session one": before["Session one"], "Renamed session": before["Session two"]}


def test_ics_dst_and_midnight(tmp_path, start_server):
    prog = program("ics-dst", zone="Europe/London", starts_on="2021-10-30", ends_on="2021-11-01",
                   sessions=[
                       session("before", "2021-10-30T23:30:00+01:00", "2021-10-31T00:30:00+01:00"),
                       session("across", "2021-10-31T00:30:00+01:00", "2021-10-31T03:00:00+00:00"),
                       session("after", "2021-11-01T10:00:00+00:00", "2021-11-01T11:00:00+00:00"),
                   ])
    s = start_server(make_db(tmp_path, doc_of([prog])))
    _, cal = check_calendar(s, prog)
    tz = [c for c in cal.walk() if c.name == "VTIMEZONE"][0]
    # the zone's definition covers both offsets of the program
    offsets = {c.get("TZOFFSETTO").to_ical() for c in tz.subcomponents}
    offsets = {o.decode() if isinstance(o, bytes) else o for o in offsets}
    assert {"+0100", "+0000"} <= offsets, offsets


def test_ics_no_sessions(tmp_path, start_server):
    prog = program("ics-empty", zone="America/Lima")
    s = start_server(make_db(tmp_path, doc_of([prog])))
    check_calendar(s, prog)


def test_ics_unknown_program_404(server):
    assert server.get("/programs/nope/timetable.ics").status == 404


@pytest.mark.parametrize("slug", ["wtu-lesotho-textile-2022", "wtu-textile-trade-safety-2024"])
def test_ics_examples(server, slug):
    check_calendar(server, load_example(slug)["programs"][0])
