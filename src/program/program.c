/* program.c: the rules of a program, its phases and enrolments (program.h). */
#include "program/program.h"

#include <stddef.h>
#include <string.h>

#include "core/catalog.h"
#include "core/tz.h"

const char *const program_kinds[] = {"seminar", "training-course", "workshop", "forum", NULL};
const char *const program_modes[] = {"online", "offline", "hybrid", NULL};
const char *const phase_kinds[] = {"needs-analysis", "materials-collection", "expert-consultation",
				   "plan-approved", NULL};
const char *const phase_statuses[] = {"todo", "doing", "done", NULL};
const char *const enrolment_roles[] = {"participant", "speaker", "guest", "staff", "interpreter",
				       NULL};
const char *const enrolment_statuses[] = {"invited", "registered", "confirmed", "withdrawn", NULL};
const struct translatable program_translatable = {
	N_("a program"), 2, {"title", "summary"}, {TEXT_TITLE, TEXT_MULTILINE}};
const struct translatable phase_translatable = {N_("a phase"), 1, {"title"}, {TEXT_TITLE}};

size_t program_confirmed_participants(const struct program *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->enrolments.n; i++) {
		const struct enrolment *e = &p->enrolments.v[i];
		n += e->role && e->status && strcmp(e->role, "participant") == 0 &&
		     strcmp(e->status, "confirmed") == 0;
	}
	return n;
}

static void phase_check(const struct phase *ph, const char *path, struct report *r)
{
	check_choice(r, path, "phase", ph->phase, phase_kinds, true);
	check_text(r, path, "title", ph->title, TEXT_TITLE, true);
	check_choice(r, path, "status", ph->status, phase_statuses, true);
	check_date(r, path, "due", ph->due, false);
	check_text(r, path, "notes", ph->notes, TEXT_MULTILINE, false);
	check_translations(r, path, &ph->translations, &phase_translatable, (const char *const[]){ph->title});
}

static void enrolment_check(const struct enrolment *e, const char *path, const struct refs *refs,
			    struct report *r)
{
	check_reference(r, path, "person", e->person, true, refs, REF_PERSON);
	check_choice(r, path, "role", e->role, enrolment_roles, true);
	check_choice(r, path, "status", e->status, enrolment_statuses, true);
}

/* Checks each element of a list with fn(element, path-of-element). */
#define CHECK_EACH(list, field, call)                                          \
	for (size_t i_ = 0; i_ < (list).n; i_++) {                             \
		char at[REPORT_PATH_MAX];                              \
		report_path_index(at, path, field, i_);                \
		__typeof__((list).v) it = &(list).v[i_];                       \
		call;                                                          \
	}

void program_check(const struct program *p, const char *path, const struct refs *refs,
		   struct report *r)
{
	check_key(r, path, "slug", p->slug, true);
	check_text(r, path, "title", p->title, TEXT_TITLE, true);
	check_choice(r, path, "kind", p->kind, program_kinds, true);
	check_choice(r, path, "mode", p->mode, program_modes, true);
	GTimeZone *zone = NULL;
	if (!p->timezone)
		report_add(r, path, "timezone", "required, expected an IANA time zone (e.g. Asia/Shanghai)");
	else if (!(zone = tz_zone(p->timezone)))
		report_add(r, path, "timezone",
			   "'%s' is not a time zone of the tz database: expected an IANA name such as Asia/Shanghai",
			   p->timezone);
	bool dates = check_date(r, path, "starts_on", p->starts_on, true) &
		     check_date(r, path, "ends_on", p->ends_on, true);
	if (dates && strcmp(p->starts_on, p->ends_on) > 0) {
		report_add(r, path, "ends_on", "%s is before starts_on %s", p->ends_on, p->starts_on);
		dates = false;
	}
	check_reference(r, path, "host", p->host, true, refs, REF_ORGANIZATION);
	check_reference(r, path, "organizer", p->organizer, true, refs, REF_ORGANIZATION);
	CHECK_EACH(p->countries, "countries", check_country(r, at, NULL, *it, true));
	check_unique(r, path, "countries", p->countries.v, p->countries.n, sizeof *p->countries.v, 0,
		     NULL, N_("country"));
	if (p->capacity.set && p->capacity.value < 1)
		report_add(r, path, "capacity", "%lld is too small, expected an integer of at least 1",
			   (long long)p->capacity.value);
	else if (p->capacity.set && program_confirmed_participants(p) > (size_t)p->capacity.value)
		report_add(r, path, "capacity", "%zu confirmed participants exceed the capacity of %lld",
			   program_confirmed_participants(p), (long long)p->capacity.value);
	CHECK_EACH(p->languages, "languages", check_language(r, at, NULL, *it, true));
	check_unique(r, path, "languages", p->languages.v, p->languages.n, sizeof *p->languages.v, 0,
		     NULL, N_("language"));
	check_text(r, path, "summary", p->summary, TEXT_MULTILINE, false);
	check_translations(r, path, &p->translations, &program_translatable,
			   (const char *const[]){p->title, p->summary});
	CHECK_EACH(p->preparation, "preparation", phase_check(it, at, r));
	CHECK_EACH(p->venues, "venues", venue_check(it, at, r));
	check_unique(r, path, "venues", p->venues.v, p->venues.n, sizeof *p->venues.v,
		     offsetof(struct venue, key), "key", N_("venue"));
	CHECK_EACH(p->enrolments, "enrolments", enrolment_check(it, at, refs, r));
	check_unique(r, path, "enrolments", p->enrolments.v, p->enrolments.n, sizeof *p->enrolments.v,
		     offsetof(struct enrolment, person), "person", N_("enrolment of person"));
	struct session_frame frame = {
		.zone = zone,
		.starts_on = dates ? p->starts_on : NULL,
		.ends_on = dates ? p->ends_on : NULL,
		.venues = p->venues.v,
		.n_venues = p->venues.n,
	};
	if (zone && dates) {
		frame.first = tz_day_start(zone, p->starts_on, 0);
		frame.end = tz_day_start(zone, p->ends_on, 1);
	}
	CHECK_EACH(p->sessions, "sessions", session_check(it, &frame, at, refs, r));
	check_unique(r, path, "sessions", p->sessions.v, p->sessions.n, sizeof *p->sessions.v,
		     offsetof(struct session, key), "key", N_("session"));
	CHECK_EACH(p->articles, "articles", article_check(it, at, refs, r));
	check_unique(r, path, "articles", p->articles.v, p->articles.n, sizeof *p->articles.v,
		     offsetof(struct article, key), "key", N_("article"));
}

void program_hide_private(struct program *p)
{
	p->enrolments.n = 0;
	for (size_t i = 0; i < p->sessions.n; i++)
		p->sessions.v[i].attendees.n = 0;
	for (size_t i = 0; i < p->venues.n; i++)
		p->venues.v[i].url = NULL;
	for (size_t i = 0; i < p->preparation.n; i++)
		p->preparation.v[i].notes = NULL;
	size_t kept = 0;
	for (size_t i = 0; i < p->articles.n; i++)
		if (article_is_published(&p->articles.v[i]))
			p->articles.v[kept++] = p->articles.v[i];
	p->articles.n = kept;
	/* and of those, the versions in other languages that are published */
	for (size_t i = 0; i < p->articles.n; i++) {
		translations *t = &p->articles.v[i].translations;
		size_t public = 0;
		for (size_t k = 0; k < t->n; k++)
			if (article_version_is_published(&t->v[k]))
				t->v[public++] = t->v[k];
		t->n = public;
	}
}
