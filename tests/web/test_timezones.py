"""The timetable in the program's zone and in a viewer's zone (?tz=): days
regrouped by the local date, sessions crossing midnight marked `+1`, the zone
line with both offsets across a DST change, unknown zones a 400 page."""

import re
from urllib.parse import quote

import pytest

from podium_web import doc_of, make_db, page_text, program, session

SH = "tz-shanghai"
PLUS = re.compile(r"\d\d:\d\d–\d\d:\d\d\s*\+1")
LON = "tz-london"

SESSIONS_SH = [
    # 9 Dec 09:00-10:30 Shanghai = 01:00Z = 8 Dec 20:00 Lima = 9 Dec 15:00 Kiritimati
    session("morning", "2021-12-09T09:00:00+08:00", "2021-12-09T10:30:00+08:00",
            title="Morning Alpha"),
    # 9 Dec 23:30 - 10 Dec 00:30 Shanghai = 15:30Z = 9 Dec 10:30 Lima = 10 Dec 05:30 Kiritimati
    session("late", "2021-12-09T23:30:00+08:00", "2021-12-10T00:30:00+08:00",
            title="Late Bravo"),
    # 10 Dec 06:00-07:00 Shanghai = 22:00Z (9th) = 9 Dec 17:00 Lima = 10 Dec 12:00 Kiritimati
    session("early", "2021-12-10T06:00:00+08:00", "2021-12-10T07:00:00+08:00",
            title="Early Charlie"),
]

SESSIONS_LON = [
    session("before", "2021-10-30T10:00:00+01:00", "2021-10-30T11:00:00+01:00",
            title="Before Delta"),
    # across the change: 00:30 BST to 03:00 GMT (3.5 hours)
    session("across", "2021-10-31T00:30:00+01:00", "2021-10-31T03:00:00+00:00",
            title="Across Echo"),
    session("after", "2021-11-01T10:00:00+00:00", "2021-11-01T11:00:00+00:00",
            title="After Foxtrot"),
]


@pytest.fixture(scope="module")
def tz_server(tmp_path_factory):
    from podium_web import Server, stop_and_check
    d = tmp_path_factory.mktemp("tz")
    doc = doc_of([
        program(SH, zone="Asia/Shanghai", starts_on="2021-12-09", ends_on="2021-12-10",
                sessions=SESSIONS_SH),
        program(LON, zone="Europe/London", starts_on="2021-10-29", ends_on="2021-11-02",
                sessions=SESSIONS_LON),
        program("tz-spring", zone="Europe/London", starts_on="2022-03-26", ends_on="2022-03-28",
                sessions=[session("s", "2022-03-26T10:00:00+00:00", "2022-03-26T11:00:00+00:00")]),
    ])
    s = Server(make_db(d, doc), d)
    yield s
    stop_and_check(s)


def timetable(text):
    """The text from the zone line on."""
    i = text.find("Times in")
    assert i >= 0, "no zone line ('Times in ...')"
    return text[i:]


def day_segments(tt, days):
    """{day label: text from it to the next day label} for labels in order."""
    out = {}
    pos = []
    for d in days:
        i = tt.find(d)
        assert i >= 0, f"day {d!r} not in the timetable"
        pos.append(i)
    assert pos == sorted(pos), f"days out of order: {days}"
    for k, d in enumerate(days):
        out[d] = tt[pos[k]:pos[k + 1] if k + 1 < len(pos) else len(tt)]
    return out


def check_days(tt, expected, absent_days=()):
    """expected: [(day label, [(title, time range), ...]), ...]"""
    segs = day_segments(tt, [d for d, _ in expected])
    for day, sessions in expected:
        seg = segs[day]
        for title, rng in sessions:
            assert title in seg, f"{title} not under {day}"
            # the time range is shown in the same part as its title
            chunk = seg[max(0, seg.find(title) - 120): seg.find(title) + 120]
            assert rng in chunk, f"{title}: {rng!r} not near it under {day}: {chunk!r}"
    for d in absent_days:
        assert d not in tt, f"{d} should have no sessions"


def test_program_zone(tz_server):
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}")))
    assert tt.startswith("Times in Asia/Shanghai, UTC+08:00")
    check_days(tt, [
        ("9 December 2021", [("Morning Alpha", "09:00–10:30"), ("Late Bravo", "23:30–00:30 +1")]),
        ("10 December 2021", [("Early Charlie", "06:00–07:00")]),
    ])
    assert len(PLUS.findall(tt)) == 1


def test_viewer_zone_behind_utc_lima(tz_server):
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}?tz=America/Lima")))
    assert "America/Lima" in tt[:80] and "UTC-05:00" in tt[:120]
    check_days(tt, [
        ("8 December 2021", [("Morning Alpha", "20:00–21:30")]),
        ("9 December 2021", [("Late Bravo", "10:30–11:30"), ("Early Charlie", "17:00–18:00")]),
    ], absent_days=["10 December 2021"])
    assert not PLUS.search(tt)


def test_viewer_zone_ahead_kiritimati(tz_server):
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}?tz=Pacific/Kiritimati")))
    assert "Pacific/Kiritimati" in tt[:80] and "UTC+14:00" in tt[:120]
    check_days(tt, [
        ("9 December 2021", [("Morning Alpha", "15:00–16:30")]),
        ("10 December 2021", [("Late Bravo", "05:30–06:30"), ("Early Charlie", "12:00–13:00")]),
    ])
    assert not PLUS.search(tt)


def test_viewer_zone_moves_session_across_midnight(tz_server):
    # 23:30-00:30 Shanghai is 15:30-16:30 UTC: no +1 in UTC
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}?tz=Etc/UTC")))
    assert "UTC+00:00" in tt[:120]
    check_days(tt, [
        ("9 December 2021", [("Morning Alpha", "01:00–02:30"), ("Late Bravo", "15:30–16:30"),
                             ("Early Charlie", "22:00–23:00")]),
    ], absent_days=["10 December 2021", "8 December 2021"])
    # Tokyo (+09:00): the late session now ends at 01:30 the next day
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}?tz=Asia/Tokyo")))
    check_days(tt, [
        ("9 December 2021", [("Morning Alpha", "10:00–11:30")]),
        ("10 December 2021", [("Late Bravo", "00:30–01:30"), ("Early Charlie", "07:00–08:00")]),
    ])


def test_dst_change_inside_program_autumn(tz_server):
    tt = timetable(page_text(tz_server.html(f"/programs/{LON}")))
    assert tt.startswith("Times in Europe/London, UTC+01:00 / UTC+00:00"), tt[:80]
    check_days(tt, [
        ("30 October 2021", [("Before Delta", "10:00–11:00")]),
        ("31 October 2021", [("Across Echo", "00:30–03:00")]),
        ("1 November 2021", [("After Foxtrot", "10:00–11:00")]),
    ])


def test_dst_change_inside_program_spring(tz_server):
    # 27 March 2022: 01:00 GMT becomes 02:00 BST
    tt = timetable(page_text(tz_server.html("/programs/tz-spring")))
    assert tt.startswith("Times in Europe/London, UTC+00:00 / UTC+01:00"), tt[:80]


def test_dst_program_viewed_from_shanghai(tz_server):
    tt = timetable(page_text(tz_server.html(f"/programs/{LON}?tz=Asia/Shanghai")))
    head = tt[:120]
    assert "Asia/Shanghai" in head and "UTC+08:00" in head and "UTC+01:00" not in head
    check_days(tt, [
        ("30 October 2021", [("Before Delta", "17:00–18:00")]),
        # 23:30Z (30th) - 03:00Z (31st) = 07:30-11:00 on the 31st in Shanghai
        ("31 October 2021", [("Across Echo", "07:30–11:00")]),
        ("1 November 2021", [("After Foxtrot", "18:00–19:00")]),
    ])


def test_shanghai_program_viewed_from_london_shows_one_offset(tz_server):
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}?tz=Europe/London")))
    assert "Europe/London" in tt[:80] and "UTC+00:00" in tt[:120]
    assert "UTC+01:00" not in tt[:120]


@pytest.mark.parametrize("zone", ["Nope/Zone", "PST", "../../etc/passwd", "Asia/Shanghai2",
                                  "Etc/GMT+99"])
def test_unknown_zone_is_400_saying_so(tz_server, zone):
    r = tz_server.get(f"/programs/{SH}?tz={quote(zone, safe='/')}")
    assert r.status == 400, (zone, r.status)
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    text = page_text(r.text)
    assert zone in text, f"the 400 page does not name {zone!r}"
    assert "zone" in text.lower()


def test_empty_tz_is_program_zone(tz_server):
    r = tz_server.get(f"/programs/{SH}?tz=")
    assert r.status in (200, 400)
    if r.status == 200:
        assert "Times in Asia/Shanghai, UTC+08:00" in page_text(r.text)


def test_zone_link_name_is_accepted(tz_server):
    # a link of the tz database (US/Eastern, Asia/Calcutta) names a zone too
    tt = timetable(page_text(tz_server.html(f"/programs/{SH}?tz=Asia/Calcutta")))
    check_days(tt, [("9 December 2021", [("Morning Alpha", "06:30–08:00")])])
