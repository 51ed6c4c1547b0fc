/*
 * fuzz_roster.c: a roster's file (roster_csv.c), read as UTF-8 or, when
 * its first byte is 0x01 or 0x02, converted from GBK or Windows-1252; its
 * rows judged (roster.c) against a small program with one stored person
 * and two organizations; a plan without problems written back
 * (roster_write) must read back to the very cells it wrote.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roster/roster.h"

static const char *const stored_people[] = {"lim-kai-hau", NULL};
static const char *const stored_orgs[] = {"mofcom", "sbs", NULL};

static bool fuzz_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	(void)self;
	return value_in(key, kind == REF_PERSON ? stored_people : stored_orgs);
}

static const char *fuzz_parent(const struct refs *self, const char *key)
{
	(void)self;
	(void)key;
	return NULL;
}

/* The cell roster_write writes for column c of enrolment e of person p. */
static const char *written(const struct person *p, const struct enrolment *e, int c)
{
	const char *cells[ROSTER_COLUMNS] = {p->key, p->honorific, p->name, p->position,
					     p->organization, p->country, p->email, e->role, e->status};
	return cells[c];
}

/* Writes the plan's roster and reads it back: every cell must come back as it was. */
static void round_trip(const struct roster_plan *plan, const struct person *lim)
{
	struct arena a = ARENA_INIT;
	struct directory dir = {0};
	size_t cap = 0;
	*ARRAY_PUSH(&a, dir.people, &cap) = *lim;
	for (size_t i = 0; i < plan->steps.n; i++)
		if (!plan->steps.v[i].stored)
			*ARRAY_PUSH(&a, dir.people, &cap) = plan->steps.v[i].person;
		else
			dir.people.v[0] = plan->steps.v[i].person;
	directory_sort(&dir);
	GString *csv = g_string_new(NULL);
	roster_write(csv, &plan->program, &dir);
	struct roster back;
	struct report r;
	report_init(&r);
	if (roster_read("back", csv->str, csv->len, NULL, &a, &back, &r) != ROSTER_READ_OK ||
	    back.rows.n != plan->program.enrolments.n)
		abort();
	for (size_t i = 0; i < back.rows.n; i++) {
		const struct enrolment *e = &plan->program.enrolments.v[i];
		const struct person *p = directory_person(&dir, e->person);
		for (int c = 0; c < ROSTER_COLUMNS; c++) {
			const char *want = written(p, e, c);
			if (g_strcmp0(want && *want ? want : NULL, back.rows.v[i].cell[c]) != 0)
				abort();
		}
	}
	report_free(&r);
	g_string_free(csv, TRUE);
	arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *encoding = NULL;
	if (size && (data[0] == 1 || data[0] == 2)) {
		encoding = data[0] == 1 ? "GBK" : "WINDOWS-1252";
		data++;
		size--;
	}
	struct arena a = ARENA_INIT;
	struct report r;
	report_init(&r);
	struct roster roster;
	if (roster_read("fuzz.csv", (const char *)data, size, encoding, &a, &roster, &r) == ROSTER_READ_OK) {
		static const struct person lim = {
			.key = "lim-kai-hau", .name = "Lim Kai Hau", .organization = "mofcom",
			.country = "MY", .email = "Lim.KH@example.my",
		};
		struct org orgs[] = {
			{.key = "mofcom", .name = "Ministry of Commerce", .short_name = "MOFCOM", .country = "CN"},
			{.key = "sbs", .name = "Shanghai Business School", .short_name = "SBS"},
		};
		struct person people[] = {lim};
		struct directory known = {.people = {people, 1}, .orgs = {orgs, 2}};
		struct enrolment enrolled[] = {{"lim-kai-hau", "participant", "confirmed"}};
		struct program program = {
			.slug = "fuzz", .title = "Fuzz", .kind = "seminar", .mode = "online",
			.timezone = "Etc/UTC", .starts_on = "2021-12-09", .ends_on = "2021-12-22",
			.host = "mofcom", .organizer = "sbs", .capacity = {true, 3},
			.enrolments = {enrolled, 1},
		};
		struct refs refs = {fuzz_exists, fuzz_parent, NULL};
		struct roster_plan plan;
		if (roster_plan(&roster, &program, &known, &refs, &a, &plan, &r))
			round_trip(&plan, &lim);
		for (size_t i = 0; i < plan.steps.n; i++)
			g_free(roster_step_line(&plan.steps.v[i], NULL));
		g_free(roster_summary_line("fuzz", &plan.counts, true, NULL));
	}
	report_free(&r);
	arena_free(&a);
	return 0;
}
