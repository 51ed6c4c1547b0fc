#!/usr/bin/python3
"""Write a valid, canonical podium-program/1 document of many small
programs, the extra load of the web benchmark (bench/serve.sh).

    /usr/bin/python3 bench/gen_programs.py [--programs N] [OUT.json]

Writes to OUT.json (or standard output); N defaults to 1,000. Deterministic
(random.Random(7), no clock, no set iteration): the same bytes on every run.
Every key starts with `gen-`, so the document imports cleanly next to
examples/ (it names none of their records). Each program is small but has
the parts the public pages show: 2 venues, 6 enrolments, 2 preparation
phases, 3 sessions with agenda items, 1 published article with 2 photos.
Dates are in 2016-2025 and sessions run 09:00-17:00 local time, so no
session comes near a clock change.
"""

import datetime as dt
import json
import random
import sys
import zoneinfo

SEED = 7
N_ORGS = 40
N_PEOPLE = 400

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/Lima", "Africa/Maseru",
         "Asia/Kuala_Lumpur", "Etc/UTC", "Asia/Kolkata", "Australia/Sydney"]
COUNTRIES = ["MY", "LS", "PE", "KE", "VN", "TH", "NP", "EG", "CL", "MX", "SN", "KH"]
LANGS = ["en", "zh", "fr", "es", "ar", "ms"]
TOPICS = ["High Technology Industry Incubation", "Textile Trade Safety",
          "Digital Economy and E-commerce", "Port Logistics and Supply Chains",
          "Renewable Energy Planning", "Customs Facilitation", "Smart Cities",
          "Vocational Education", "Water Resources Management", "Tourism Recovery"]
ORG_KINDS = ["ministry", "department", "agency", "school", "training-base", "association",
             "company"]
FAMILY = ["Wang", "Li", "Zhang", "Tan", "Lim", "Mokoena", "Quispe", "Nguyen", "Diallo",
          "Sharma", "García", "Müller", "Okafor", "Rahman", "Silva", "Kowalski"]
GIVEN = ["Wei", "Fang", "Aisha", "Thabo", "Lerato", "María", "José", "Anh", "Priya", "Omar",
         "Chloé", "Kofi", "Siti", "Lukas", "Ana", "Jun"]


def instant(zone, day, hour, minute=0):
    """Canonical RFC 3339 text of local time day hour:minute in zone."""
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    off = int(local.utcoffset().total_seconds())
    sign = "+" if off >= 0 else "-"
    off = abs(off)
    return "%s%s%02d:%02d" % (local.strftime("%Y-%m-%dT%H:%M:%S"), sign,
                              off // 3600, off % 3600 // 60)


def build(n_programs):
    rng = random.Random(SEED)
    orgs = []
    for i in range(N_ORGS):
        org = {"key": "gen-org-%d" % i, "name": "Generated Organization %d" % i,
               "country": rng.choice(COUNTRIES + ["CN"]), "kind": rng.choice(ORG_KINDS)}
        if i >= 10 and rng.random() < 0.3:
            org["parent"] = "gen-org-%d" % rng.randrange(10)
        orgs.append(org)
    people = []
    for i in range(N_PEOPLE):
        people.append({"key": "gen-person-%d" % i,
                       "name": "%s %s" % (rng.choice(GIVEN), rng.choice(FAMILY)),
                       "honorific": rng.choice(["Mr.", "Ms.", "Dr.", "Prof."]),
                       "position": rng.choice(["Director", "Investigator", "Lecturer",
                                               "Programme Officer", "Trainee"]),
                       "organization": "gen-org-%d" % rng.randrange(N_ORGS)})
    programs = []
    for i in range(n_programs):
        zone_name = rng.choice(ZONES)
        zone = zoneinfo.ZoneInfo(zone_name)
        start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3600))
        days = rng.randrange(3, 15)
        end = start + dt.timedelta(days=days - 1)
        topic = rng.choice(TOPICS)
        country = rng.choice(COUNTRIES)
        members = rng.sample(range(N_PEOPLE), 6)
        keys = ["gen-person-%d" % m for m in members]
        enrolments = [{"person": keys[0], "role": "speaker", "status": "confirmed"},
                      {"person": keys[1], "role": "speaker", "status": "confirmed"},
                      {"person": keys[2], "role": "staff", "status": "confirmed"}]
        enrolments += [{"person": k, "role": "participant",
                        "status": rng.choice(["confirmed", "registered"])} for k in keys[3:]]
        sessions = []
        for s in range(3):
            day = start + dt.timedelta(days=min(s, days - 1))
            h = 9 if s != 1 or days > 1 else 13
            sess = {"key": "session-%d" % (s + 1),
                    "title": ["Opening Ceremony", "Lecture on %s" % topic,
                              "Group discussion"][s],
                    "kind": ["ceremony", "lecture", "discussion"][s],
                    "starts_at": instant(zone, day, h),
                    "ends_at": instant(zone, day, h + rng.randrange(1, 4)),
                    "venues": ["room" if s != 2 else "online"],
                    "attendees": keys[2:]}
            sess["items"] = [{"kind": "speech" if s == 0 else "lecture", "speaker": keys[s % 2],
                              "title": "Keynote on %s" % topic}]
            if s == 0:
                sess["items"].append({"kind": "speech", "speaker": keys[3],
                                      "title": "Speech on behalf of all participants",
                                      "on_behalf_of": "all participants"})
            sessions.append(sess)
        slug = "gen-%04d-%s" % (i, country.lower())
        title = "Seminar on %s for %s (%d)" % (topic, country, i)
        body = ("On %s the opening ceremony of the %s was held.\n\n"
                "![The venue](photo:venue)\n\nParticipants from %s shared their experience "
                "of %s.\n\n![Group photo](photo:group)\n\nThe seminar lasts %d days."
                % (start.isoformat(), title, country, topic.lower(), days))
        programs.append({
            "slug": slug, "title": title, "kind": "seminar",
            "mode": rng.choice(["offline", "online", "hybrid"]), "timezone": zone_name,
            "starts_on": start.isoformat(), "ends_on": end.isoformat(),
            "host": "gen-org-%d" % rng.randrange(10),
            "organizer": "gen-org-%d" % rng.randrange(N_ORGS),
            "countries": [country], "capacity": 10, "languages": [rng.choice(LANGS)],
            "summary": "A %d-day seminar on %s for officials from %s." % (days, topic, country),
            "preparation": [{"phase": "needs-analysis", "title": "Training needs analysis",
                             "status": "done"},
                            {"phase": "plan-approved", "title": "Implementation plan determined",
                             "status": "done", "due": start.isoformat()}],
            "venues": [{"key": "room", "name": "Lecture room %d" % (i % 50 + 1), "kind": "room",
                        "address": "%d Training Base Road" % (i + 1), "capacity": 40},
                       {"key": "online", "name": "Online meeting room", "kind": "online"}],
            "enrolments": enrolments,
            "sessions": sessions,
            "articles": [{"key": "opening", "section": "activity-highlights",
                          "title": "%s Kicked Off" % title, "created_on": start.isoformat(),
                          "language": "en", "status": "published", "body_markdown": body,
                          "photos": [{"key": "venue", "caption": "The venue"},
                                     {"key": "group", "caption": "Group photo"}],
                          "credits": {"written_by": keys[2], "photographed_by": keys[2],
                                      "reviewed_by": keys[0]}}],
        })
    return {"format": "podium-program/1", "organizations": orgs, "people": people,
            "programs": programs}


def main():
    args = sys.argv[1:]
    n = 1000
    if len(args) >= 2 and args[0] == "--programs":
        n = int(args[1])
        args = args[2:]
    if len(args) > 1 or (args and args[0].startswith("--")):
        sys.exit("usage: gen_programs.py [--programs N] [OUT.json]")
    text = json.dumps(build(n), ensure_ascii=False, indent=1) + "\n"
    if args and args[0] != "-":
        with open(args[0], "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
