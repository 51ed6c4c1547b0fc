/*
 * timetable_page.c: the timetable of a program grouped by day in a zone,
 * and /programs/SLUG/timetable.ics through libical.
 */
#include "timetable/timetable_page.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"
#include "html/view.h"
#include "person/person_page.h"
#include "program/program_page.h"
#include "store/store.h"

static json_t *item_view(struct request *r, const struct item *it)
{
	json_t *v = json_pack("{s:o,s:s}", "kind", view_label(it->kind), "title", it->title);
	json_t *speaker = person_view(r, it->speaker);
	if (speaker)
		json_object_set_new(v, "speaker", speaker);
	if (item_on_behalf_of_is_person(it)) {
		json_t *who = person_view(r, it->on_behalf_of);
		if (who)
			json_object_set_new(v, "on_behalf_of_person", who);
	} else if (it->on_behalf_of) {
		json_object_set_new(v, "on_behalf_of_text", json_string(it->on_behalf_of));
	}
	return v;
}

static const char *venue_name(const struct program *p, const char *key)
{
	for (size_t i = 0; i < p->venues.n; i++)
		if (strcmp(p->venues.v[i].key, key) == 0)
			return p->venues.v[i].name;
	return key;
}

/* Sessions in the order they start (then as imported). */
static int session_order(const void *a, const void *b)
{
	const struct session *x = *(const struct session *const *)a, *y = *(const struct session *const *)b;
	return x->starts_at.utc < y->starts_at.utc ? -1 : x->starts_at.utc > y->starts_at.utc ? 1
	     : x < y ? -1 : x > y;
}

json_t *timetable_view(struct request *r, const struct program *p, GTimeZone *zone,
		       const char *zone_name)
{
	/* the offsets shown: at the first and the last instant of the program */
	GTimeZone *home = tz_zone(p->timezone);
	struct local_time first, last;
	tz_local_time(zone, tz_day_start(home, p->starts_on, 0), &first);
	tz_local_time(zone, tz_day_start(home, p->ends_on, 1) - 1, &last);
	char a[16], b[16];
	tz_format_offset(first.offset, a);
	tz_format_offset(last.offset, b);
	char *offsets = first.offset == last.offset ? g_strdup(a) : g_strdup_printf("%s / %s", a, b);
	json_t *zone_view = json_pack("{s:s,s:s,s:b,s:s}", "name", zone_name, "offsets", offsets,
				      "is_program_zone", strcmp(zone_name, p->timezone) == 0,
				      "program_zone", p->timezone);
	g_free(offsets);

	const struct session **order = g_new(const struct session *, p->sessions.n + 1);
	for (size_t i = 0; i < p->sessions.n; i++)
		order[i] = &p->sessions.v[i];
	qsort(order, p->sessions.n, sizeof *order, session_order);
	json_t *days = json_array(), *day = NULL;
	char day_date[16] = "";
	for (size_t i = 0; i < p->sessions.n; i++) {
		const struct session *s = order[i];
		struct local_time start, end;
		tz_local_time(zone, s->starts_at.utc, &start);
		tz_local_time(zone, s->ends_at.utc, &end);
		if (strcmp(start.date, day_date) != 0) {
			g_strlcpy(day_date, start.date, sizeof day_date);
			day = json_pack("{s:s,s:o,s:[]}", "date", start.date, "label", view_date(start.date),
					"sessions");
			json_array_append_new(days, day);
		}
		int later = tz_days_between(start.date, end.date);
		char *plus = later > 0 ? g_strdup_printf("+%d", later) : NULL;
		json_t *venues = json_array(), *items = json_array();
		for (size_t k = 0; k < s->venues.n; k++)
			json_array_append_new(venues, json_string(venue_name(p, s->venues.v[k])));
		for (size_t k = 0; k < s->items.n; k++)
			json_array_append_new(items, item_view(r, &s->items.v[k]));
		char starts_iso[32], ends_iso[32];
		tz_format_instant(zone, s->starts_at.utc, starts_iso);
		tz_format_instant(zone, s->ends_at.utc, ends_iso);
		json_t *sv = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s,s:o,s:o,s:o,s:s?}", "key", s->key,
				       "starts", start.hhmm, "ends", end.hhmm, "starts_iso", starts_iso,
				       "ends_iso", ends_iso, "plus", plus, "title", s->title,
				       "kind", view_label(s->kind), "venues", venues, "items", items,
				       "description", s->description);
		g_free(plus);
		json_array_append_new(json_object_get(day, "sessions"), sv);
	}
	g_free(order);
	return json_pack("{s:o,s:o}", "zone", zone_view, "days", days);
}

/* The items of a session as the event's description, one per line. */
static char *session_description(struct request *r, const struct session *s)
{
	GString *text = g_string_new(s->description ? s->description : "");
	for (size_t i = 0; i < s->items.n; i++) {
		const struct item *it = &s->items.v[i];
		struct person speaker = {0};
		person_store_get(r->store, it->speaker, &r->arena, &speaker);
		if (text->len)
			g_string_append_c(text, '\n');
		g_string_append_printf(text, "%s%s%s: %s", speaker.honorific ? speaker.honorific : "",
				       speaker.honorific ? " " : "", speaker.name ? speaker.name : it->speaker,
				       it->title);
		if (item_on_behalf_of_is_person(it)) {
			struct person who = {0};
			person_store_get(r->store, it->on_behalf_of, &r->arena, &who);
			g_string_append_printf(text, " (on behalf of %s%s%s)", who.honorific ? who.honorific : "",
					       who.honorific ? " " : "", who.name ? who.name : it->on_behalf_of);
		} else if (it->on_behalf_of) {
			g_string_append_printf(text, " (on behalf of %s)", it->on_behalf_of);
		}
	}
	return g_string_free(text, FALSE);
}

static struct icaltimetype ical_time(int64_t utc, icaltimezone *zone)
{
	struct icaltimetype t = icaltime_from_timet_with_zone((time_t)utc, 0, icaltimezone_get_utc_timezone());
	return icaltime_convert_to_zone(t, zone);
}

static void timetable_ics(struct request *r)
{
	struct program p;
	if (!program_page_load(r, r->params[0], &p))
		return;
	icaltimezone *zone = icaltimezone_get_builtin_timezone(p.timezone);
	if (!zone) {
		respond_error(r, 500, "This program's time zone is unknown to the calendar library.");
		return;
	}
	icalcomponent *cal = icalcomponent_vanew(
		ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
		icalproperty_new_prodid("-//Podium//Podium " PODIUM_VERSION "//EN"),
		icalproperty_new_calscale("GREGORIAN"), icalproperty_new_method(ICAL_METHOD_PUBLISH),
		(void *)0);
	icalproperty *name = icalproperty_new_x(p.title);
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	/*
	 * libical's VTIMEZONE for the zone, from the system's tz database: kept to
	 * the program's weeks (a zone's whole history trips up some readers) and
	 * named by its IANA name, as calendar clients expect.
	 */
	icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(zone));
	GTimeZone *gzone = tz_zone(p.timezone);
	struct icaltimetype from = icaltime_from_timet_with_zone(
		(time_t)tz_day_start(gzone, p.starts_on, -7), 0, icaltimezone_get_utc_timezone());
	struct icaltimetype until = icaltime_from_timet_with_zone(
		(time_t)tz_day_start(gzone, p.ends_on, 8), 0, icaltimezone_get_utc_timezone());
	icaltimezone_truncate_vtimezone(vtz, from, until, 0);
	icalproperty *tzid = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (tzid)
		icalproperty_set_tzid(tzid, p.timezone);
	icalcomponent_add_component(cal, vtz);
	struct icaltimetype stamp = icaltime_from_timet_with_zone((time_t)r->now, 0,
								  icaltimezone_get_utc_timezone());
	for (size_t i = 0; i < p.sessions.n; i++) {
		const struct session *s = &p.sessions.v[i];
		char *uid = g_strdup_printf("%s.%s@podium", s->key, p.slug);
		GString *location = g_string_new(NULL);
		for (size_t k = 0; k < s->venues.n; k++)
			g_string_append_printf(location, "%s%s", k ? ", " : "", venue_name(&p, s->venues.v[k]));
		char *description = session_description(r, s);
		icalcomponent *ev = icalcomponent_vanew(
			ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid), icalproperty_new_dtstamp(stamp),
			icalproperty_new_summary(s->title), (void *)0);
		icalproperty *start = icalproperty_new_dtstart(ical_time(s->starts_at.utc, zone));
		icalproperty *end = icalproperty_new_dtend(ical_time(s->ends_at.utc, zone));
		icalproperty_add_parameter(start, icalparameter_new_tzid(p.timezone));
		icalproperty_add_parameter(end, icalparameter_new_tzid(p.timezone));
		icalcomponent_add_property(ev, start);
		icalcomponent_add_property(ev, end);
		if (location->len)
			icalcomponent_add_property(ev, icalproperty_new_location(location->str));
		if (*description)
			icalcomponent_add_property(ev, icalproperty_new_description(description));
		icalcomponent_add_component(cal, ev);
		g_free(uid);
		g_free(description);
		g_string_free(location, TRUE);
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	respond_bytes(r, 200, "text/calendar; charset=utf-8", text, strlen(text));
	free(text);
	r->cacheable = true;
	char *filename = g_strdup_printf("%s.ics", p.slug);
	r->filename = arena_strdup(&r->arena, filename);
	g_free(filename);
	icalcomponent_free(cal);
}

const struct route timetable_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}/timetable.ics", timetable_ics, ROLE_PUBLIC, false},
	{0},
};
