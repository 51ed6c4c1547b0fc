/* timetable.c: the rules of venues, sessions and items (timetable.h). */
#include "timetable/timetable.h"

#include <string.h>

#include "core/catalog.h"
#include "core/tz.h"

const char *const venue_kinds[] = {"room", "online", NULL};
const char *const session_kinds[] = {"ceremony", "lecture",  "discussion", "field-trip",
				     "practice", "visit",    "break",      NULL};
const char *const item_kinds[] = {"speech", "lecture", "presentation", "discussion", "performance",
				  NULL};
const struct translatable venue_translatable = {N_("a venue"), 1, {"name"}, {TEXT_TITLE}};
const struct translatable session_translatable = {
	N_("a session"), 2, {"title", "description"}, {TEXT_TITLE, TEXT_MULTILINE}};
const struct translatable item_translatable = {
	N_("an item"), 2, {"title", "on_behalf_of"}, {TEXT_TITLE, TEXT_LINE}};

void venue_check(const struct venue *v, const char *path, struct report *r)
{
	check_key(r, path, "key", v->key, true);
	check_text(r, path, "name", v->name, TEXT_TITLE, true);
	check_choice(r, path, "kind", v->kind, venue_kinds, true);
	bool online = v->kind && strcmp(v->kind, "online") == 0;
	bool room = v->kind && strcmp(v->kind, "room") == 0;
	if (check_text(r, path, "address", v->address, TEXT_LINE, false) && v->address && online)
		report_add(r, path, "address", "only a room has an address (this venue is online)");
	if (check_text(r, path, "url", v->url, TEXT_LINE, false) && v->url) {
		if (room)
			report_add(r, path, "url", "only an online venue has a join link (this venue is a room)");
		else if (!value_is_https_url(v->url))
			report_add(r, path, "url", "'%s' is not an https:// link", v->url);
	}
	if (v->capacity.set && v->capacity.value < 1)
		report_add(r, path, "capacity", "%lld is too small, expected an integer of at least 1",
			   (long long)v->capacity.value);
	check_translations(r, path, &v->translations, &venue_translatable, (const char *const[]){v->name});
}

bool item_on_behalf_of_is_person(const struct item *it)
{
	return it->on_behalf_of && value_is_key(it->on_behalf_of);
}

static void item_check(const struct item *it, const char *path, const struct refs *refs,
		       struct report *r)
{
	check_choice(r, path, "kind", it->kind, item_kinds, true);
	check_reference(r, path, "speaker", it->speaker, true, refs, REF_PERSON);
	check_text(r, path, "title", it->title, TEXT_TITLE, true);
	if (item_on_behalf_of_is_person(it))
		check_reference(r, path, "on_behalf_of", it->on_behalf_of, false, refs, REF_PERSON);
	else
		check_text(r, path, "on_behalf_of", it->on_behalf_of, TEXT_LINE, false);
	/* a person's name is translated on the person, not where an item names it */
	bool person = item_on_behalf_of_is_person(it);
	for (size_t i = 0; person && i < it->translations.n; i++) {
		if (!it->translations.v[i].text[1])
			continue;
		char *at = report_path(path, "translations");
		char *version = report_path(at, it->translations.v[i].tag);
		report_add(r, version, "on_behalf_of",
			   "on_behalf_of names the person '%s', whose name is translated on the person",
			   it->on_behalf_of);
		g_free(version);
		g_free(at);
	}
	check_translations(r, path, &it->translations, &item_translatable,
			   (const char *const[]){it->title, it->on_behalf_of});
}

static void session_check_times(const struct session *s, const struct session_frame *f,
				const char *path, struct report *r)
{
	if (!s->starts_at.set || !s->ends_at.set)
		return;
	if (s->starts_at.utc >= s->ends_at.utc) {
		report_add(r, path, "ends_at", "must be later than starts_at");
		return;
	}
	if (!f->zone || !f->starts_on || !f->ends_on)
		return;
	char at[32];
	if (s->starts_at.utc < f->first) {
		tz_format_instant(f->zone, s->starts_at.utc, at);
		report_add(r, path, "starts_at",
			   "%s (program zone) is before the program starts on %s", at, f->starts_on);
	}
	if (s->ends_at.utc > f->end) {
		tz_format_instant(f->zone, s->ends_at.utc, at);
		report_add(r, path, "ends_at", "%s (program zone) is after the program ends on %s", at,
			   f->ends_on);
	}
}

void session_check(const struct session *s, const struct session_frame *f, const char *path,
		   const struct refs *refs, struct report *r)
{
	check_key(r, path, "key", s->key, true);
	check_text(r, path, "title", s->title, TEXT_TITLE, true);
	check_choice(r, path, "kind", s->kind, session_kinds, true);
	check_required_instant(r, path, "starts_at", &s->starts_at);
	check_required_instant(r, path, "ends_at", &s->ends_at);
	session_check_times(s, f, path, r);
	for (size_t i = 0; i < s->venues.n; i++) {
		char at[REPORT_PATH_MAX];
		report_path_index(at, path, "venues", i);
		const char *key = s->venues.v[i];
		if (check_key(r, at, NULL, key, true)) {
			size_t k = 0;
			while (k < f->n_venues && !(f->venues[k].key && strcmp(f->venues[k].key, key) == 0))
				k++;
			if (k == f->n_venues)
				report_add(r, at, NULL, "unknown venue '%s' (not one of this program's venues)",
					   key);
		}
	}
	check_unique(r, path, "venues", s->venues.v, s->venues.n, sizeof *s->venues.v, 0, NULL, N_("venue"));
	for (size_t i = 0; i < s->attendees.n; i++) {
		char at[REPORT_PATH_MAX];
		report_path_index(at, path, "attendees", i);
		check_reference(r, at, NULL, s->attendees.v[i], true, refs, REF_PERSON);
	}
	check_unique(r, path, "attendees", s->attendees.v, s->attendees.n, sizeof *s->attendees.v, 0, NULL,
		     N_("person"));
	for (size_t i = 0; i < s->items.n; i++) {
		char at[REPORT_PATH_MAX];
		report_path_index(at, path, "items", i);
		item_check(&s->items.v[i], at, refs, r);
	}
	check_text(r, path, "description", s->description, TEXT_MULTILINE, false);
	check_translations(r, path, &s->translations, &session_translatable,
			   (const char *const[]){s->title, s->description});
}
