/*
 * timetable_page.c: the timetable of a program grouped by day in a zone,
 * and /programs/SLUG/timetable.ics through libical. Both take their local
 * times from GLib (tz.h), so the calendar says what the page says.
 */
#include "timetable/timetable_page.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/tz.h"
#include "html/view.h"
#include "person/person_page.h"

static json_t *item_view(const struct directory *dir, const struct reading *rd, struct arena *a,
			 const struct item *it)
{
	json_t *v = json_pack("{s:o}", "kind", view_label(rd, it->kind));
	view_text(v, "title", rd, &it->translations, ITEM_TEXT_TITLE, it->title);
	json_t *speaker = person_view(dir, rd, a, it->speaker);
	if (speaker)
		json_object_set_new(v, "speaker", speaker);
	if (item_on_behalf_of_is_person(it)) {
		json_t *who = person_view(dir, rd, a, it->on_behalf_of);
		if (who)
			json_object_set_new(v, "on_behalf_of_person", who);
	} else {
		view_text(v, "on_behalf_of_text", rd, &it->translations, ITEM_TEXT_ON_BEHALF_OF, it->on_behalf_of);
	}
	return v;
}

/* The venue of p with key, or NULL. */
static const struct venue *venue_of(const struct program *p, const char *key)
{
	for (size_t i = 0; i < p->venues.n; i++)
		if (strcmp(p->venues.v[i].key, key) == 0)
			return &p->venues.v[i];
	return NULL;
}

static const char *venue_name(const struct program *p, const char *key)
{
	const struct venue *v = venue_of(p, key);
	return v ? v->name : key;
}

/* Sessions in the order they start (then as imported). */
static int session_order(const void *a, const void *b)
{
	const struct session *x = *(const struct session *const *)a, *y = *(const struct session *const *)b;
	return x->starts_at.utc < y->starts_at.utc ? -1 : x->starts_at.utc > y->starts_at.utc ? 1
	     : x < y ? -1 : x > y;
}

/* The zone line: the zone's offsets at the first and the last instant of the program. */
static json_t *zone_view(const struct program *p, GTimeZone *zone, const char *zone_name)
{
	GTimeZone *home = tz_zone(p->timezone);
	struct local_time first, last;
	tz_local_time(zone, tz_day_start(home, p->starts_on, 0), &first);
	tz_local_time(zone, tz_day_start(home, p->ends_on, 1) - 1, &last);
	char a[16], b[16];
	tz_format_offset(first.offset, a);
	tz_format_offset(last.offset, b);
	char *offsets = first.offset == last.offset ? g_strdup(a) : g_strdup_printf("%s / %s", a, b);
	json_t *v = json_pack("{s:s,s:s,s:b,s:s}", "name", zone_name, "offsets", offsets,
			      "is_program_zone", strcmp(zone_name, p->timezone) == 0, "program_zone",
			      p->timezone);
	g_free(offsets);
	return v;
}

static json_t *session_view(const struct program_view *pv, const struct reading *rd, struct arena *a,
			    GTimeZone *zone, const struct session *s, const struct local_time *start)
{
	struct local_time end;
	tz_local_time(zone, s->ends_at.utc, &end);
	int later = tz_days_between(start->date, end.date);
	/* TRANSLATORS: after a session's end time: it ends %d days after the day it starts */
	char *plus = later > 0 ? g_strdup_printf(catalog_plural(catalog_for(rd->page), "+%d", "+%d", later), later)
			       : NULL;
	json_t *venues = json_array(), *items = json_array();
	for (size_t k = 0; k < s->venues.n; k++) {
		const struct venue *venue = venue_of(&pv->program, s->venues.v[k]);
		json_t *name = json_object();
		if (venue)
			view_text(name, "name", rd, &venue->translations, VENUE_TEXT_NAME, venue->name);
		else
			json_object_set_new(name, "name", json_string(s->venues.v[k]));
		json_array_append_new(venues, name);
	}
	for (size_t k = 0; k < s->items.n; k++)
		json_array_append_new(items, item_view(&pv->directory, rd, a, &s->items.v[k]));
	char starts_iso[32], ends_iso[32];
	tz_format_instant(zone, s->starts_at.utc, starts_iso);
	tz_format_instant(zone, s->ends_at.utc, ends_iso);
	json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:o,s:o,s:o}", "key", s->key, "starts", start->hhmm,
			      "ends", end.hhmm, "starts_iso", starts_iso, "ends_iso", ends_iso, "plus", plus,
			      "kind", view_label(rd, s->kind), "venues", venues, "items", items);
	view_text(v, "title", rd, &s->translations, SESSION_TEXT_TITLE, s->title);
	view_text(v, "description", rd, &s->translations, SESSION_TEXT_DESCRIPTION, s->description);
	g_free(plus);
	return v;
}

json_t *timetable_view(const struct program_view *pv, const struct reading *rd, struct arena *a,
		       GTimeZone *zone, const char *zone_name)
{
	const struct program *p = &pv->program;
	const struct session **order = g_new(const struct session *, p->sessions.n + 1);
	for (size_t i = 0; i < p->sessions.n; i++)
		order[i] = &p->sessions.v[i];
	qsort(order, p->sessions.n, sizeof *order, session_order);
	json_t *days = json_array(), *day = NULL;
	char day_date[16] = "";
	for (size_t i = 0; i < p->sessions.n; i++) {
		struct local_time start;
		tz_local_time(zone, order[i]->starts_at.utc, &start);
		if (strcmp(start.date, day_date) != 0) {
			g_strlcpy(day_date, start.date, sizeof day_date);
			day = json_pack("{s:s,s:o,s:[]}", "date", start.date, "label", view_day(rd, start.date),
					"sessions");
			json_array_append_new(days, day);
		}
		json_array_append_new(json_object_get(day, "sessions"),
				      session_view(pv, rd, a, zone, order[i], &start));
	}
	g_free(order);
	return json_pack("{s:o,s:o}", "zone", zone_view(p, zone, zone_name), "days", days);
}

/* "Ms. Liu Beimin" of person key, or the key when the directory has no such person. */
static void append_person_name(GString *out, const struct directory *dir, const char *key)
{
	const struct person *who = directory_person(dir, key);
	if (who && who->honorific)
		g_string_append_printf(out, "%s ", who->honorific);
	g_string_append(out, who ? who->name : key);
}

/* The items of a session as the event's description, one per line. */
static char *session_description(const struct directory *dir, const struct session *s)
{
	GString *text = g_string_new(s->description ? s->description : "");
	for (size_t i = 0; i < s->items.n; i++) {
		const struct item *it = &s->items.v[i];
		if (text->len)
			g_string_append_c(text, '\n');
		append_person_name(text, dir, it->speaker);
		g_string_append_printf(text, ": %s", it->title);
		if (item_on_behalf_of_is_person(it)) {
			g_string_append(text, " (on behalf of ");
			append_person_name(text, dir, it->on_behalf_of);
			g_string_append_c(text, ')');
		} else if (it->on_behalf_of) {
			g_string_append_printf(text, " (on behalf of %s)", it->on_behalf_of);
		}
	}
	return g_string_free(text, FALSE);
}

/* The wall clock of utc in the program's zone as GLib gives it, as a time of that zone. */
static icalproperty *ical_local(icalproperty *(*make)(struct icaltimetype), GTimeZone *zone,
				icaltimezone *ical_zone, const char *tzid, int64_t utc)
{
	struct local_time t;
	tz_local_time(zone, utc, &t);
	struct icaltimetype v = icaltime_null_time();
	v.year = t.year;
	v.month = t.month;
	v.day = t.day;
	v.hour = t.hour;
	v.minute = t.minute;
	v.second = t.second;
	v.zone = ical_zone;
	icalproperty *prop = make(v);
	icalproperty_add_parameter(prop, icalparameter_new_tzid(tzid));
	return prop;
}

/*
 * libical's VTIMEZONE for the zone, from the system's tz database: kept to
 * the program's weeks (a zone's whole history trips up some readers) and
 * named by its IANA name, as calendar clients expect.
 */
static icalcomponent *calendar_zone(const struct program *p, icaltimezone *zone, GTimeZone *gzone)
{
	icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
	struct icaltimetype from = icaltime_from_timet_with_zone(
		(time_t)tz_day_start(gzone, p->starts_on, -7), 0, icaltimezone_get_utc_timezone());
	struct icaltimetype until = icaltime_from_timet_with_zone(
		(time_t)tz_day_start(gzone, p->ends_on, 8), 0, icaltimezone_get_utc_timezone());
	icaltimezone_truncate_vtimezone(vtz, from, until, 0);
	icalproperty *tzid = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (tzid)
		icalproperty_set_tzid(tzid, p->timezone);
	return vtz;
}

static icalcomponent *calendar_event(const struct program_view *pv, const struct session *s,
				     icaltimezone *zone, GTimeZone *gzone, struct icaltimetype stamp)
{
	const struct program *p = &pv->program;
	char *uid = g_strdup_printf("%s.%s@podium", s->key, p->slug);
	icalcomponent *ev = icalcomponent_vanew(ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid),
						icalproperty_new_dtstamp(stamp),
						icalproperty_new_summary(s->title), (void *)0);
	g_free(uid);
	icalcomponent_add_property(ev, ical_local(icalproperty_new_dtstart, gzone, zone, p->timezone,
						  s->starts_at.utc));
	icalcomponent_add_property(ev, ical_local(icalproperty_new_dtend, gzone, zone, p->timezone,
						  s->ends_at.utc));
	GString *location = g_string_new(NULL);
	for (size_t k = 0; k < s->venues.n; k++)
		g_string_append_printf(location, "%s%s", k ? ", " : "", venue_name(p, s->venues.v[k]));
	if (location->len)
		icalcomponent_add_property(ev, icalproperty_new_location(location->str));
	g_string_free(location, TRUE);
	char *description = session_description(&pv->directory, s);
	if (*description)
		icalcomponent_add_property(ev, icalproperty_new_description(description));
	g_free(description);
	return ev;
}

static void timetable_ics(struct request *r)
{
	struct program_view pv;
	int rc = program_store_view(r->store, r->params[0], &r->arena, &pv);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such program."));
		return;
	}
	const struct program *p = &pv.program;
	icaltimezone *zone = icaltimezone_get_builtin_timezone(p->timezone);
	GTimeZone *gzone = tz_zone(p->timezone);
	if (!zone || !gzone) {
		log_line("%s: the calendar library knows no zone %s", r->path, p->timezone);
		respond_error(r, 500, tr(r, "This program's time zone is unknown to the calendar library."));
		return;
	}
	icalcomponent *cal = icalcomponent_vanew(
		ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
		icalproperty_new_prodid("-//Podium//Podium " PODIUM_VERSION "//EN"),
		icalproperty_new_calscale("GREGORIAN"), icalproperty_new_method(ICAL_METHOD_PUBLISH),
		(void *)0);
	icalproperty *name = icalproperty_new_x(p->title);
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	icalcomponent_add_component(cal, calendar_zone(p, zone, gzone));
	struct icaltimetype stamp = icaltime_from_timet_with_zone((time_t)r->now, 0,
								  icaltimezone_get_utc_timezone());
	for (size_t i = 0; i < p->sessions.n; i++)
		icalcomponent_add_component(cal, calendar_event(&pv, &p->sessions.v[i], zone, gzone, stamp));
	char *text = icalcomponent_as_ical_string_r(cal);
	respond_bytes(r, 200, "text/calendar; charset=utf-8", text, strlen(text));
	free(text);
	icalcomponent_free(cal);
	r->cacheable = true;
	char *filename = g_strconcat(p->slug, ".ics", NULL);
	r->filename = arena_strdup(&r->arena, filename);
	g_free(filename);
}

const struct route timetable_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}/timetable.ics", timetable_ics, ROLE_PUBLIC, false,
	 ROUTE_SHARED},
	{0},
};
