/*
 * test_rules.c: unit tests of the model rules: organizations (org/org.h),
 * people (person/person.h), and a whole program with its venues,
 * enrolments, sessions, items and articles (program/program.h,
 * timetable/timetable.h, news/news.h). References resolve through a fake
 * struct refs backed by arrays of keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "report_asserts.h"
#include "core/report.h"
#include "core/values.h"
#include "news/news.h"
#include "org/org.h"
#include "person/person.h"
#include "program/program.h"
#include "timetable/timetable.h"

/* ---- a fake struct refs ------------------------------------------------ */

struct fake_refs {
	struct refs base;           /* first, so a struct refs * is a struct fake_refs * */
	const char *const *orgs;    /* NULL-terminated organization keys */
	const char *const *people;  /* NULL-terminated person keys */
	const char *const (*parents)[2]; /* {org, parent} pairs, ended by {NULL, NULL} */
	int parent_calls;           /* how often org_parent was asked */
};

static bool in_list(const char *const *list, const char *key)
{
	for (; list && *list; list++)
		if (strcmp(*list, key) == 0)
			return true;
	return false;
}

static bool fake_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	const struct fake_refs *f = (const struct fake_refs *)self;
	return in_list(kind == REF_ORGANIZATION ? f->orgs : f->people, key);
}

static const char *fake_org_parent(const struct refs *self, const char *key)
{
	struct fake_refs *f = (struct fake_refs *)self;
	f->parent_calls++;
	for (const char *const(*p)[2] = f->parents; p && (*p)[0]; p++)
		if (strcmp((*p)[0], key) == 0)
			return (*p)[1];
	return NULL;
}

static const char *const known_orgs[] = {"mofcom", "sbs", "sbs-iec", "mofcom-tbib-sh", "mcbc", NULL};
static const char *const known_people[] = {"aminah", "rahman", "siti",  "li-wei", "chen",
					   "wang-min", "he-ying", NULL};
static const char *const known_parents[][2] = {
	{"sbs-iec", "sbs"}, {"mofcom-tbib-sh", "sbs"}, {NULL, NULL},
};

static void fake_refs_init(struct fake_refs *f, const char *const *orgs,
			   const char *const (*parents)[2])
{
	f->base.exists = fake_exists;
	f->base.org_parent = fake_org_parent;
	f->orgs = orgs;
	f->people = known_people;
	f->parents = parents;
	f->parent_calls = 0;
}

/* ---- report helpers ---------------------------------------------------- */

/* Asserts that the report holds exactly one line, starting with prefix. */
#define assert_only(r, prefix)                                                            \
	do {                                                                              \
		assert_count((r), 1);                                                     \
		assert_line_prefix((r), 0, (prefix));                                     \
	} while (0)

static void set_instant(struct instant *t, const char *s)
{
	t->set = true;
	if (!value_parse_instant(s, &t->utc))
		fail_msg("'%s' is not an instant", s);
}

/* ---- organizations ----------------------------------------------------- */

struct org_fx {
	struct fake_refs refs;
	struct report r;
	struct org o;
};

static int org_setup(void **state)
{
	struct org_fx *f = g_new0(struct org_fx, 1);
	fake_refs_init(&f->refs, known_orgs, known_parents);
	report_init(&f->r);
	f->o = (struct org){
		.key = "sbs-iec",
		.name = "International Education College",
		.short_name = "IEC",
		.country = "CN",
		.kind = "department",
		.parent = "sbs",
	};
	*state = f;
	return 0;
}

static int org_teardown(void **state)
{
	struct org_fx *f = *state;
	report_free(&f->r);
	g_free(f);
	return 0;
}

static void test_org_valid(void **state)
{
	struct org_fx *f = *state;
	org_check(&f->o, "organizations[2]", &f->refs.base, &f->r);
	assert_count(&f->r, 0);
	/* without a parent, kind or country */
	f->o.parent = NULL;
	f->o.kind = NULL;
	f->o.country = NULL;
	f->o.short_name = NULL;
	org_check(&f->o, "organizations[2]", &f->refs.base, &f->r);
	assert_count(&f->r, 0);
}

static void test_org_kind(void **state)
{
	struct org_fx *f = *state;
	static const char *const ok[] = {"ministry", "department", "agency", "embassy", "school",
					 "training-base", "association", "company", "other"};
	for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
		f->o.kind = ok[i];
		org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	}
	assert_count(&f->r, 0);
	f->o.kind = "university";
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[0].kind: ");
	f->o.kind = "Ministry";
	org_check(&f->o, "organizations[1]", &f->refs.base, &f->r);
	assert_count(&f->r, 2);
	assert_line_prefix(&f->r, 1, "organizations[1].kind: ");
}

static void test_org_parent_unknown(void **state)
{
	struct org_fx *f = *state;
	f->o.parent = "no-such-org";
	org_check(&f->o, "organizations[2]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[2].parent: ");
	/* a person's key is no organization */
	f->o.parent = "li-wei";
	org_check(&f->o, "organizations[3]", &f->refs.base, &f->r);
	assert_count(&f->r, 2);
	assert_line_prefix(&f->r, 1, "organizations[3].parent: ");
}

static void test_org_parent_cycle(void **state)
{
	struct org_fx *f = *state;
	/* a -> b -> a */
	static const char *const orgs[] = {"a", "b", NULL};
	static const char *const parents[][2] = {{"a", "b"}, {"b", "a"}, {NULL, NULL}};
	fake_refs_init(&f->refs, orgs, parents);
	f->o = (struct org){.key = "a", .name = "A", .parent = "b"};
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[0].parent: ");
	/* found by coming back to a, not by walking until some step limit */
	assert_in_range(f->refs.parent_calls, 1, 10);
}

static void test_org_parent_long_cycle(void **state)
{
	struct org_fx *f = *state;
	/* a -> b -> c -> d -> a */
	static const char *const orgs[] = {"a", "b", "c", "d", NULL};
	static const char *const parents[][2] = {
		{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}, {NULL, NULL},
	};
	fake_refs_init(&f->refs, orgs, parents);
	f->o = (struct org){.key = "a", .name = "A", .parent = "b"};
	org_check(&f->o, "organizations[4]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[4].parent: ");
}

static void test_org_parent_chain_no_cycle(void **state)
{
	struct org_fx *f = *state;
	/* a -> b -> c -> d: a deep chain is fine */
	static const char *const orgs[] = {"a", "b", "c", "d", NULL};
	static const char *const parents[][2] = {{"a", "b"}, {"b", "c"}, {"c", "d"}, {NULL, NULL}};
	fake_refs_init(&f->refs, orgs, parents);
	f->o = (struct org){.key = "a", .name = "A", .parent = "b"};
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_count(&f->r, 0);
}

static void test_org_self_parent(void **state)
{
	struct org_fx *f = *state;
	static const char *const orgs[] = {"mofcom", NULL};
	static const char *const parents[][2] = {{"mofcom", "mofcom"}, {NULL, NULL}};
	fake_refs_init(&f->refs, orgs, parents);
	f->o = (struct org){.key = "mofcom", .name = "Ministry of Commerce", .parent = "mofcom"};
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[0].parent: ");
}

static void test_org_fields(void **state)
{
	struct org_fx *f = *state;
	f->o.key = "SBS IEC";
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[0].key: ");
	report_free(&f->r);
	report_init(&f->r);
	f->o.key = "sbs-iec";
	f->o.country = "UK";
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[0].country: ");
	report_free(&f->r);
	report_init(&f->r);
	f->o.country = "CN";
	f->o.name = NULL;
	org_check(&f->o, "organizations[0]", &f->refs.base, &f->r);
	assert_only(&f->r, "organizations[0].name: ");
}

/* ---- people ------------------------------------------------------------ */

struct person_fx {
	struct fake_refs refs;
	struct report r;
	struct person p;
};

static int person_setup(void **state)
{
	struct person_fx *f = g_new0(struct person_fx, 1);
	fake_refs_init(&f->refs, known_orgs, known_parents);
	report_init(&f->r);
	f->p = (struct person){
		.key = "li-wei",
		.name = "Li Wei",
		.honorific = "Prof.",
		.position = "Dean",
		.organization = "sbs-iec",
		.country = "CN",
		.email = "li.wei@sbs.example",
	};
	*state = f;
	return 0;
}

static int person_teardown(void **state)
{
	struct person_fx *f = *state;
	report_free(&f->r);
	g_free(f);
	return 0;
}

static void test_person_valid(void **state)
{
	struct person_fx *f = *state;
	person_check(&f->p, "people[0]", &f->refs.base, &f->r);
	assert_count(&f->r, 0);
	f->p = (struct person){.key = "aminah", .name = "Aminah"};
	person_check(&f->p, "people[1]", &f->refs.base, &f->r);
	assert_count(&f->r, 0);
}

static void test_person_bad_email(void **state)
{
	struct person_fx *f = *state;
	static const char *const bad[] = {"li.wei", "li wei@sbs.example", "@sbs.example", "li@",
					  "li@wei@sbs.example"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		f->p.email = bad[i];
		person_check(&f->p, "people[5]", &f->refs.base, &f->r);
		assert_count(&f->r, i + 1);
		assert_line_prefix(&f->r, (guint)i, "people[5].email: ");
	}
	/* a control character is reported once */
	f->p.email = "li.wei@sbs.example\n";
	person_check(&f->p, "people[6]", &f->refs.base, &f->r);
	assert_count(&f->r, G_N_ELEMENTS(bad) + 1);
	assert_line_prefix(&f->r, (guint)G_N_ELEMENTS(bad), "people[6].email: ");
}

static void test_person_name_length(void **state)
{
	struct person_fx *f = *state;
	GString *name = g_string_new(NULL);
	for (int i = 0; i < 200; i++)
		g_string_append(name, "\xe6\x9d\x8e"); /* U+674E */
	f->p.name = name->str;
	person_check(&f->p, "people[0]", &f->refs.base, &f->r);
	size_t count200 = f->r.count;
	g_string_append(name, "\xe6\x9d\x8e");
	f->p.name = name->str;
	person_check(&f->p, "people[0]", &f->refs.base, &f->r);
	g_string_free(name, TRUE);
	f->p.name = NULL;
	assert_int_equal(count200, 0);
	assert_only(&f->r, "people[0].name: ");
}

static void test_person_name_201_ascii(void **state)
{
	struct person_fx *f = *state;
	char name[202];
	memset(name, 'a', 201);
	name[201] = '\0';
	f->p.name = name;
	person_check(&f->p, "people[7]", &f->refs.base, &f->r);
	assert_only(&f->r, "people[7].name: ");
}

static void test_person_references(void **state)
{
	struct person_fx *f = *state;
	f->p.organization = "no-such-org";
	person_check(&f->p, "people[2]", &f->refs.base, &f->r);
	assert_only(&f->r, "people[2].organization: ");
	f->p.organization = "sbs";
	f->p.country = "XX";
	person_check(&f->p, "people[3]", &f->refs.base, &f->r);
	assert_count(&f->r, 2);
	assert_line_prefix(&f->r, 1, "people[3].country: ");
	f->p.country = NULL;
	f->p.key = "Li_Wei";
	person_check(&f->p, "people[4]", &f->refs.base, &f->r);
	assert_count(&f->r, 3);
	assert_line_prefix(&f->r, 2, "people[4].key: ");
}

/* ---- a whole program --------------------------------------------------- */

struct program_fx {
	struct fake_refs refs;
	struct report r;
	struct program p;
	const char *countries[2];
	const char *languages[2];
	struct phase phases[2];
	struct venue venues[2];
	struct enrolment enrolments[5];
	struct session sessions[2];
	const char *s0_venues[2];
	const char *s0_attendees[2];
	struct item s0_items[2];
	const char *s1_venues[1];
	struct article articles[1];
	struct photo photos[2];
};

/*
 * A valid two-day program in Asia/Shanghai (9-10 December 2021): two
 * venues, five enrolments (two confirmed participants for a capacity of 3),
 * two sessions and one published article.
 */
static int program_setup(void **state)
{
	struct program_fx *f = g_new0(struct program_fx, 1);
	fake_refs_init(&f->refs, known_orgs, known_parents);
	report_init(&f->r);

	f->countries[0] = "MY";
	f->languages[0] = "en";
	f->languages[1] = "zh";
	f->phases[0] = (struct phase){"needs-analysis", "Needs analysis", "done", "2021-11-01",
				      "Met the Malaysian side.\n\tAgreed on topics."};
	f->phases[1] = (struct phase){"plan-approved", "Plan approved", "todo", NULL, NULL};
	f->venues[0] = (struct venue){
		.key = "main-room", .name = "Main hall", .kind = "room",
		.address = "2271 West Zhongshan Road, Shanghai", .capacity = {true, 80},
	};
	f->venues[1] = (struct venue){
		.key = "zoom", .name = "Zoom meeting", .kind = "online",
		.url = "https://zoom.example.com/j/1234567890?pwd=abc",
	};
	f->enrolments[0] = (struct enrolment){"aminah", "participant", "confirmed"};
	f->enrolments[1] = (struct enrolment){"rahman", "participant", "confirmed"};
	f->enrolments[2] = (struct enrolment){"siti", "participant", "withdrawn"};
	f->enrolments[3] = (struct enrolment){"li-wei", "speaker", "confirmed"};
	f->enrolments[4] = (struct enrolment){"chen", "participant", "registered"};

	f->s0_venues[0] = "main-room";
	f->s0_venues[1] = "zoom";
	f->s0_attendees[0] = "aminah";
	f->s0_attendees[1] = "rahman";
	f->s0_items[0] = (struct item){"speech", "li-wei", "Welcome address", "wang-min"};
	f->s0_items[1] = (struct item){"speech", "aminah", "Speech on behalf of all participants",
				       "all participants"};
	struct session *s0 = &f->sessions[0];
	s0->key = "opening";
	s0->title = "Opening ceremony";
	s0->kind = "ceremony";
	set_instant(&s0->starts_at, "2021-12-09T09:00:00+08:00");
	set_instant(&s0->ends_at, "2021-12-09T10:00:00+08:00");
	s0->venues.v = f->s0_venues;
	s0->venues.n = 2;
	s0->attendees.v = f->s0_attendees;
	s0->attendees.n = 2;
	s0->items.v = f->s0_items;
	s0->items.n = 2;
	s0->description = "Opening of the seminar.\nSpeeches by both sides.";

	f->s1_venues[0] = "zoom";
	struct session *s1 = &f->sessions[1];
	s1->key = "digital-economy";
	s1->title = "Digital economy in China";
	s1->kind = "lecture";
	set_instant(&s1->starts_at, "2021-12-10T14:00:00+08:00");
	set_instant(&s1->ends_at, "2021-12-10T16:00:00+08:00");
	s1->venues.v = f->s1_venues;
	s1->venues.n = 1;

	f->photos[0] = (struct photo){"opening", "The opening ceremony"};
	f->photos[1] = (struct photo){"lecture", "Prof. Li Wei lecturing"};
	struct article *a = &f->articles[0];
	a->key = "day-one";
	a->section = "activity-highlights";
	a->title = "The seminar opens";
	a->created_on = "2021-12-10";
	a->language = "en";
	a->status = "published";
	a->body_markdown = "# The seminar opens\n\nOn 9 December the seminar opened.\n\n"
			   "![The opening](photo:opening)\n\nThen a lecture:\n\n"
			   "![Lecture][lecture-photo]\n\n[lecture-photo]: photo:lecture\n";
	a->photos.v = f->photos;
	a->photos.n = 2;
	a->credits = (struct credits){"li-wei", "wang-min", "he-ying"};

	f->p = (struct program){
		.slug = "malaysia-hightech-2021",
		.title = "Seminar on High-Tech Industry Development for Malaysia",
		.kind = "seminar",
		.mode = "hybrid",
		.timezone = "Asia/Shanghai",
		.starts_on = "2021-12-09",
		.ends_on = "2021-12-10",
		.host = "mofcom",
		.organizer = "mofcom-tbib-sh",
		.capacity = {true, 3},
		.summary = "Two days.\nOnline and in Shanghai.",
	};
	f->p.countries.v = f->countries;
	f->p.countries.n = 1;
	f->p.languages.v = f->languages;
	f->p.languages.n = 2;
	f->p.preparation.v = f->phases;
	f->p.preparation.n = 2;
	f->p.venues.v = f->venues;
	f->p.venues.n = 2;
	f->p.enrolments.v = f->enrolments;
	f->p.enrolments.n = 5;
	f->p.sessions.v = f->sessions;
	f->p.sessions.n = 2;
	f->p.articles.v = f->articles;
	f->p.articles.n = 1;
	*state = f;
	return 0;
}

static int program_teardown(void **state)
{
	struct program_fx *f = *state;
	report_free(&f->r);
	g_free(f);
	return 0;
}

static void check(struct program_fx *f)
{
	program_check(&f->p, "programs[0]", &f->refs.base, &f->r);
}

static void test_program_valid(void **state)
{
	struct program_fx *f = *state;
	check(f);
	assert_count(&f->r, 0);
	assert_int_equal(program_confirmed_participants(&f->p), 2);
}

static void test_program_minimal_valid(void **state)
{
	struct program_fx *f = *state;
	f->p = (struct program){
		.slug = "p",
		.title = "P",
		.kind = "workshop",
		.mode = "online",
		.timezone = "Etc/UTC",
		.starts_on = "2024-02-29",
		.ends_on = "2024-02-29",
		.host = "mcbc",
		.organizer = "mcbc",
	};
	check(f);
	assert_count(&f->r, 0);
}

static void test_program_capacity_exceeded(void **state)
{
	struct program_fx *f = *state;
	f->p.capacity.value = 1;
	check(f);
	assert_only(&f->r, "programs[0].capacity: ");
}

static void test_program_capacity_counts_confirmed_participants(void **state)
{
	struct program_fx *f = *state;
	/* exactly full: 2 confirmed participants; withdrawn, registered and the
	 * confirmed speaker do not count, nor do confirmed staff and guests */
	f->p.capacity.value = 2;
	f->enrolments[4] = (struct enrolment){"chen", "staff", "confirmed"};
	f->enrolments[2] = (struct enrolment){"siti", "guest", "confirmed"};
	check(f);
	assert_count(&f->r, 0);
	assert_int_equal(program_confirmed_participants(&f->p), 2);
	/* one more confirmed participant is one too many */
	f->enrolments[4] = (struct enrolment){"chen", "participant", "confirmed"};
	assert_int_equal(program_confirmed_participants(&f->p), 3);
	check(f);
	assert_only(&f->r, "programs[0].capacity: ");
}

static void test_program_capacity_withdrawn_not_counted(void **state)
{
	struct program_fx *f = *state;
	f->p.capacity.value = 1;
	f->enrolments[1].status = "withdrawn";
	check(f);
	assert_count(&f->r, 0);
	assert_int_equal(program_confirmed_participants(&f->p), 1);
}

static void test_program_capacity_too_small(void **state)
{
	struct program_fx *f = *state;
	f->p.capacity.value = 0;
	f->enrolments[0].status = "registered";
	f->enrolments[1].status = "registered";
	check(f);
	assert_only(&f->r, "programs[0].capacity: ");
}

static void test_program_ends_before_starts(void **state)
{
	struct program_fx *f = *state;
	f->p.ends_on = "2021-12-08";
	check(f);
	assert_only(&f->r, "programs[0].ends_on: ");
}

static void test_program_one_day(void **state)
{
	struct program_fx *f = *state;
	f->p.ends_on = "2021-12-09";
	set_instant(&f->sessions[1].starts_at, "2021-12-09T14:00:00+08:00");
	set_instant(&f->sessions[1].ends_at, "2021-12-09T16:00:00+08:00");
	check(f);
	assert_count(&f->r, 0);
}

static void test_program_bad_dates(void **state)
{
	struct program_fx *f = *state;
	f->p.starts_on = "2021-02-29";
	check(f);
	assert_only(&f->r, "programs[0].starts_on: ");
}

static void test_program_bad_zone(void **state)
{
	struct program_fx *f = *state;
	static const char *const bad[] = {"PST", "+08:00", "GMT+8", "Asia/Beijing", "asia/shanghai"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		f->p.timezone = bad[i];
		check(f);
		assert_count(&f->r, i + 1);
		assert_line_prefix(&f->r, (guint)i, "programs[0].timezone: ");
	}
	f->p.timezone = NULL;
	check(f);
	assert_count(&f->r, G_N_ELEMENTS(bad) + 1);
	assert_line_prefix(&f->r, (guint)G_N_ELEMENTS(bad), "programs[0].timezone: ");
}

static void test_program_link_zone(void **state)
{
	struct program_fx *f = *state;
	f->p.timezone = "PRC"; /* a link to Asia/Shanghai */
	check(f);
	assert_count(&f->r, 0);
}

static void test_program_unknown_host(void **state)
{
	struct program_fx *f = *state;
	f->p.host = "no-such-ministry";
	check(f);
	assert_only(&f->r, "programs[0].host: ");
}

static void test_program_bad_country_and_language(void **state)
{
	struct program_fx *f = *state;
	f->countries[1] = "UK";
	f->p.countries.n = 2;
	f->languages[1] = "en_US";
	check(f);
	assert_count(&f->r, 2);
	assert_line_prefix(&f->r, 0, "programs[0].countries[1]: ");
	assert_line_prefix(&f->r, 1, "programs[0].languages[1]: ");
}

static void test_program_duplicate_language(void **state)
{
	struct program_fx *f = *state;
	f->languages[1] = "en";
	check(f);
	assert_only(&f->r, "programs[0].languages[1]: ");
}

static void test_program_bad_phase(void **state)
{
	struct program_fx *f = *state;
	f->phases[1].status = "finished";
	check(f);
	assert_only(&f->r, "programs[0].preparation[1].status: ");
}

static void test_program_duplicate_enrolment(void **state)
{
	struct program_fx *f = *state;
	f->enrolments[4].person = "aminah";
	f->enrolments[4].status = "invited";
	check(f);
	assert_only(&f->r, "programs[0].enrolments[4].person: ");
}

static void test_program_enrolment_unknown_person(void **state)
{
	struct program_fx *f = *state;
	f->enrolments[2].person = "nobody";
	check(f);
	assert_only(&f->r, "programs[0].enrolments[2].person: ");
}

/* ---- venues ------------------------------------------------------------ */

static void test_venue_online_with_address(void **state)
{
	struct program_fx *f = *state;
	f->venues[1].address = "1 Main Street";
	check(f);
	assert_only(&f->r, "programs[0].venues[1].address: ");
}

static void test_venue_room_with_url(void **state)
{
	struct program_fx *f = *state;
	f->venues[0].url = "https://zoom.example.com/j/1";
	check(f);
	assert_only(&f->r, "programs[0].venues[0].url: ");
}

static void test_venue_http_url(void **state)
{
	struct program_fx *f = *state;
	f->venues[1].url = "http://zoom.example.com/j/1234567890";
	check(f);
	assert_only(&f->r, "programs[0].venues[1].url: ");
}

static void test_venue_url_without_host(void **state)
{
	struct program_fx *f = *state;
	f->venues[1].url = "https:///j/1234567890";
	check(f);
	assert_only(&f->r, "programs[0].venues[1].url: ");
}

static void test_venue_kind_and_capacity(void **state)
{
	struct program_fx *f = *state;
	f->venues[0].capacity.value = 0;
	check(f);
	assert_only(&f->r, "programs[0].venues[0].capacity: ");
	f->venues[0].capacity.value = 80;
	f->venues[1].kind = "hall";
	f->venues[1].url = NULL;
	check(f);
	assert_count(&f->r, 2);
	assert_line_prefix(&f->r, 1, "programs[0].venues[1].kind: ");
}

static void test_venue_duplicate_key(void **state)
{
	struct program_fx *f = *state;
	f->venues[1].key = "main-room";
	/* the sessions name only the first one */
	f->sessions[0].venues.n = 1;
	f->s1_venues[0] = "main-room";
	check(f);
	assert_only(&f->r, "programs[0].venues[1].key: ");
}

/* ---- sessions ---------------------------------------------------------- */

static void test_session_unknown_venue(void **state)
{
	struct program_fx *f = *state;
	f->s0_venues[1] = "hall-b";
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].venues[1]: ");
}

static void test_session_duplicate_venue(void **state)
{
	struct program_fx *f = *state;
	f->s0_venues[1] = "main-room";
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].venues[1]: ");
}

static void test_session_duplicate_key(void **state)
{
	struct program_fx *f = *state;
	f->sessions[1].key = "opening";
	check(f);
	assert_only(&f->r, "programs[0].sessions[1].key: ");
}

static void test_session_unknown_attendee(void **state)
{
	struct program_fx *f = *state;
	f->s0_attendees[0] = "nobody";
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].attendees[0]: ");
}

static void test_session_start_on_first_day_in_program_zone(void **state)
{
	struct program_fx *f = *state;
	/* 2021-12-08T16:00:00Z is 2021-12-09 00:00 in Asia/Shanghai: inside */
	set_instant(&f->sessions[0].starts_at, "2021-12-08T16:00:00Z");
	check(f);
	assert_count(&f->r, 0);
	/* the same instant written with another offset */
	set_instant(&f->sessions[0].starts_at, "2021-12-08T11:00:00-05:00");
	check(f);
	assert_count(&f->r, 0);
}

static void test_session_start_before_first_day(void **state)
{
	struct program_fx *f = *state;
	/* one second earlier is 2021-12-08 23:59:59 in Shanghai: outside */
	set_instant(&f->sessions[0].starts_at, "2021-12-08T15:59:59Z");
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].starts_at: ");
}

static void test_session_start_date_in_utc_is_not_the_program_date(void **state)
{
	struct program_fx *f = *state;
	/* 2021-12-09T01:00:00+09:00 is 2021-12-09 00:00 in Shanghai: inside,
	 * though its UTC date is the 8th */
	set_instant(&f->sessions[0].starts_at, "2021-12-09T01:00:00+09:00");
	check(f);
	assert_count(&f->r, 0);
	/* 2021-12-08T23:30:00+00:00 is the 9th 07:30 in Shanghai: inside,
	 * though written on the 8th */
	set_instant(&f->sessions[0].starts_at, "2021-12-08T23:30:00+00:00");
	check(f);
	assert_count(&f->r, 0);
}

static void test_session_end_at_midnight_of_last_day(void **state)
{
	struct program_fx *f = *state;
	/* 24:00 of 2021-12-10 in Shanghai is 2021-12-10T16:00:00Z: inside */
	set_instant(&f->sessions[1].ends_at, "2021-12-10T16:00:00Z");
	check(f);
	assert_count(&f->r, 0);
	set_instant(&f->sessions[1].ends_at, "2021-12-11T00:00:00+08:00");
	check(f);
	assert_count(&f->r, 0);
}

static void test_session_end_after_last_day(void **state)
{
	struct program_fx *f = *state;
	set_instant(&f->sessions[1].ends_at, "2021-12-10T16:00:01Z");
	check(f);
	assert_only(&f->r, "programs[0].sessions[1].ends_at: ");
}

static void test_session_start_after_last_day(void **state)
{
	struct program_fx *f = *state;
	set_instant(&f->sessions[1].starts_at, "2021-12-11T09:00:00+08:00");
	set_instant(&f->sessions[1].ends_at, "2021-12-11T10:00:00+08:00");
	check(f);
	/* it ends after the program, whatever else is said about its start */
	bool found = false;
	for (guint i = 0; i < f->r.lines->len; i++)
		if (g_str_has_prefix(g_ptr_array_index(f->r.lines, i), "programs[0].sessions[1].ends_at: "))
			found = true;
	if (!found) {
		report_dump(&f->r);
		fail_msg("a session on the day after the program was not reported");
	}
}

static void test_session_empty_duration(void **state)
{
	struct program_fx *f = *state;
	f->sessions[0].ends_at = f->sessions[0].starts_at;
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].ends_at: ");
}

static void test_session_ends_before_start(void **state)
{
	struct program_fx *f = *state;
	set_instant(&f->sessions[0].ends_at, "2021-12-09T08:59:59+08:00");
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].ends_at: ");
}

static void test_session_missing_instant(void **state)
{
	struct program_fx *f = *state;
	f->sessions[1].starts_at = (struct instant){false, 0};
	check(f);
	assert_only(&f->r, "programs[0].sessions[1].starts_at: ");
}

static void test_session_bad_kind(void **state)
{
	struct program_fx *f = *state;
	f->sessions[1].kind = "keynote";
	check(f);
	assert_only(&f->r, "programs[0].sessions[1].kind: ");
}

static void test_session_dst_zone(void **state)
{
	struct program_fx *f = *state;
	/* a program in Europe/Berlin on the day of the spring change (23 hours) */
	f->p.timezone = "Europe/Berlin";
	f->p.starts_on = "2021-03-28";
	f->p.ends_on = "2021-03-28";
	set_instant(&f->sessions[0].starts_at, "2021-03-28T00:00:00+01:00");
	set_instant(&f->sessions[0].ends_at, "2021-03-28T09:00:00+02:00");
	set_instant(&f->sessions[1].starts_at, "2021-03-28T22:00:00+02:00");
	set_instant(&f->sessions[1].ends_at, "2021-03-29T00:00:00+02:00");
	check(f);
	assert_count(&f->r, 0);
	/* 24:00 that day is 22:00Z, not 23:00Z */
	set_instant(&f->sessions[1].ends_at, "2021-03-28T22:00:01Z");
	check(f);
	assert_only(&f->r, "programs[0].sessions[1].ends_at: ");
}

static void test_session_program_starts_on_ambiguous_midnight(void **state)
{
	struct program_fx *f = *state;
	/*
	 * America/Havana, 2022-11-06: clocks go back from 01:00 CDT to 00:00 CST,
	 * so the day begins at 00:00-04:00 (04:00Z). A session from 00:30-04:00
	 * (local date 2022-11-06) starts on the program's first day.
	 */
	f->p.timezone = "America/Havana";
	f->p.starts_on = "2022-11-06";
	f->p.ends_on = "2022-11-07";
	set_instant(&f->sessions[0].starts_at, "2022-11-06T00:30:00-04:00");
	set_instant(&f->sessions[0].ends_at, "2022-11-06T02:00:00-05:00");
	set_instant(&f->sessions[1].starts_at, "2022-11-07T09:00:00-05:00");
	set_instant(&f->sessions[1].ends_at, "2022-11-07T10:00:00-05:00");
	check(f);
	assert_count(&f->r, 0);
}

static void test_session_times_not_judged_without_zone(void **state)
{
	(void)state;
	struct report r;
	report_init(&r);
	struct session s = {.key = "s", .title = "S", .kind = "break"};
	set_instant(&s.starts_at, "1999-01-01T00:00:00Z");
	set_instant(&s.ends_at, "1999-01-01T01:00:00Z");
	struct session_frame frame = {.zone = NULL, .starts_on = "2021-12-09", .ends_on = "2021-12-09"};
	session_check(&s, &frame, "programs[0].sessions[0]", NULL, &r);
	size_t n = r.count;
	/* starts_at < ends_at is judged even so */
	s.ends_at = s.starts_at;
	session_check(&s, &frame, "programs[0].sessions[0]", NULL, &r);
	size_t m = r.count;
	char *line = m ? g_strdup(g_ptr_array_index(r.lines, 0)) : NULL;
	report_free(&r);
	bool prefix_ok = line && g_str_has_prefix(line, "programs[0].sessions[0].ends_at: ");
	g_free(line);
	assert_int_equal(n, 0);
	assert_int_equal(m, 1);
	assert_true(prefix_ok);
}

/* ---- items ------------------------------------------------------------- */

static void test_item_on_behalf_of_unknown_person(void **state)
{
	struct program_fx *f = *state;
	f->s0_items[0].on_behalf_of = "zhang-san";
	assert_true(item_on_behalf_of_is_person(&f->s0_items[0]));
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].items[0].on_behalf_of: ");
}

static void test_item_on_behalf_of_free_text(void **state)
{
	struct program_fx *f = *state;
	static const char *const texts[] = {"all participants", "the project organizer",
					    "MOFCOM", "Ministry of Commerce", "Zhang-san"};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		f->s0_items[1].on_behalf_of = texts[i];
		if (item_on_behalf_of_is_person(&f->s0_items[1]))
			fail_msg("'%s' was taken for a person key", texts[i]);
		check(f);
		assert_count(&f->r, 0);
	}
	f->s0_items[1].on_behalf_of = NULL;
	assert_false(item_on_behalf_of_is_person(&f->s0_items[1]));
	check(f);
	assert_count(&f->r, 0);
}

static void test_item_on_behalf_of_free_text_one_line(void **state)
{
	struct program_fx *f = *state;
	f->s0_items[1].on_behalf_of = "all\nparticipants";
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].items[1].on_behalf_of: ");
}

static void test_item_unknown_speaker(void **state)
{
	struct program_fx *f = *state;
	f->s0_items[1].speaker = "nobody";
	check(f);
	assert_only(&f->r, "programs[0].sessions[0].items[1].speaker: ");
}

static void test_item_kind_and_title(void **state)
{
	struct program_fx *f = *state;
	f->s0_items[0].kind = "toast";
	f->s0_items[1].title = NULL;
	check(f);
	assert_count(&f->r, 2);
	assert_line_prefix(&f->r, 0, "programs[0].sessions[0].items[0].kind: ");
	assert_line_prefix(&f->r, 1, "programs[0].sessions[0].items[1].title: ");
}

/* ---- articles ---------------------------------------------------------- */

static void test_article_same_writer_and_reviewer(void **state)
{
	struct program_fx *f = *state;
	f->articles[0].credits.reviewed_by = "li-wei";
	check(f);
	assert_only(&f->r, "programs[0].articles[0].credits.reviewed_by: ");
}

static void test_article_draft_same_writer_and_reviewer(void **state)
{
	struct program_fx *f = *state;
	f->articles[0].status = "draft";
	f->articles[0].credits.reviewed_by = "li-wei";
	check(f);
	assert_count(&f->r, 0);
	assert_false(article_is_published(&f->articles[0]));
}

static void test_article_published_needs_reviewer(void **state)
{
	struct program_fx *f = *state;
	assert_true(article_is_published(&f->articles[0]));
	f->articles[0].credits.reviewed_by = NULL;
	check(f);
	assert_only(&f->r, "programs[0].articles[0].credits.reviewed_by: ");
}

static void test_article_missing_photo(void **state)
{
	struct program_fx *f = *state;
	f->articles[0].body_markdown = "Intro.\n\n![Opening](photo:opening)\n\n![Gone](photo:missing)\n";
	check(f);
	assert_only(&f->r, "programs[0].articles[0].body_markdown: ");
}

static void test_article_missing_photo_by_reference(void **state)
{
	struct program_fx *f = *state;
	f->articles[0].body_markdown = "![Gone][g]\n\n[g]: photo:missing\n";
	check(f);
	assert_only(&f->r, "programs[0].articles[0].body_markdown: ");
}

static void test_article_photo_links_ok(void **state)
{
	struct program_fx *f = *state;
	/* images of existing photos, other images and plain links are fine */
	f->articles[0].body_markdown = "![ok](photo:opening) ![also](photo:lecture)\n\n"
				       "![elsewhere](https://example.com/x.png)\n\n"
				       "[a link](photo:not-an-image)\n\n`![code](photo:missing)`\n";
	check(f);
	assert_count(&f->r, 0);
}

static void test_article_duplicate_photo(void **state)
{
	struct program_fx *f = *state;
	f->photos[1].key = "opening";
	f->articles[0].body_markdown = "![ok](photo:opening)\n";
	check(f);
	assert_only(&f->r, "programs[0].articles[0].photos[1].key: ");
}

static void test_article_bad_language(void **state)
{
	struct program_fx *f = *state;
	f->articles[0].language = "en_GB";
	check(f);
	assert_only(&f->r, "programs[0].articles[0].language: ");
}

static void test_article_unknown_credit(void **state)
{
	struct program_fx *f = *state;
	f->articles[0].credits.photographed_by = "nobody";
	check(f);
	assert_only(&f->r, "programs[0].articles[0].credits.photographed_by: ");
}

static void test_article_duplicate_key(void **state)
{
	struct program_fx *f = *state;
	struct article two[2] = {f->articles[0], f->articles[0]};
	f->p.articles.v = two;
	f->p.articles.n = 2;
	check(f);
	assert_only(&f->r, "programs[0].articles[1].key: ");
}

#define ORG(t) cmocka_unit_test_setup_teardown(t, org_setup, org_teardown)
#define PERSON(t) cmocka_unit_test_setup_teardown(t, person_setup, person_teardown)
#define PROGRAM(t) cmocka_unit_test_setup_teardown(t, program_setup, program_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ORG(test_org_valid),
		ORG(test_org_kind),
		ORG(test_org_parent_unknown),
		ORG(test_org_parent_cycle),
		ORG(test_org_parent_long_cycle),
		ORG(test_org_parent_chain_no_cycle),
		ORG(test_org_self_parent),
		ORG(test_org_fields),
		PERSON(test_person_valid),
		PERSON(test_person_bad_email),
		PERSON(test_person_name_length),
		PERSON(test_person_name_201_ascii),
		PERSON(test_person_references),
		PROGRAM(test_program_valid),
		PROGRAM(test_program_minimal_valid),
		PROGRAM(test_program_capacity_exceeded),
		PROGRAM(test_program_capacity_counts_confirmed_participants),
		PROGRAM(test_program_capacity_withdrawn_not_counted),
		PROGRAM(test_program_capacity_too_small),
		PROGRAM(test_program_ends_before_starts),
		PROGRAM(test_program_one_day),
		PROGRAM(test_program_bad_dates),
		PROGRAM(test_program_bad_zone),
		PROGRAM(test_program_link_zone),
		PROGRAM(test_program_unknown_host),
		PROGRAM(test_program_bad_country_and_language),
		PROGRAM(test_program_duplicate_language),
		PROGRAM(test_program_bad_phase),
		PROGRAM(test_program_duplicate_enrolment),
		PROGRAM(test_program_enrolment_unknown_person),
		PROGRAM(test_venue_online_with_address),
		PROGRAM(test_venue_room_with_url),
		PROGRAM(test_venue_http_url),
		PROGRAM(test_venue_url_without_host),
		PROGRAM(test_venue_kind_and_capacity),
		PROGRAM(test_venue_duplicate_key),
		PROGRAM(test_session_unknown_venue),
		PROGRAM(test_session_duplicate_venue),
		PROGRAM(test_session_duplicate_key),
		PROGRAM(test_session_unknown_attendee),
		PROGRAM(test_session_start_on_first_day_in_program_zone),
		PROGRAM(test_session_start_before_first_day),
		PROGRAM(test_session_start_date_in_utc_is_not_the_program_date),
		PROGRAM(test_session_end_at_midnight_of_last_day),
		PROGRAM(test_session_end_after_last_day),
		PROGRAM(test_session_start_after_last_day),
		PROGRAM(test_session_empty_duration),
		PROGRAM(test_session_ends_before_start),
		PROGRAM(test_session_missing_instant),
		PROGRAM(test_session_bad_kind),
		PROGRAM(test_session_dst_zone),
		PROGRAM(test_session_program_starts_on_ambiguous_midnight),
		cmocka_unit_test(test_session_times_not_judged_without_zone),
		PROGRAM(test_item_on_behalf_of_unknown_person),
		PROGRAM(test_item_on_behalf_of_free_text),
		PROGRAM(test_item_on_behalf_of_free_text_one_line),
		PROGRAM(test_item_unknown_speaker),
		PROGRAM(test_item_kind_and_title),
		PROGRAM(test_article_same_writer_and_reviewer),
		PROGRAM(test_article_draft_same_writer_and_reviewer),
		PROGRAM(test_article_published_needs_reviewer),
		PROGRAM(test_article_missing_photo),
		PROGRAM(test_article_missing_photo_by_reference),
		PROGRAM(test_article_photo_links_ok),
		PROGRAM(test_article_duplicate_photo),
		PROGRAM(test_article_bad_language),
		PROGRAM(test_article_unknown_credit),
		PROGRAM(test_article_duplicate_key),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
