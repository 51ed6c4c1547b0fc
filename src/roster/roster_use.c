/*
 * roster_use.c: a roster against the store (roster_use.h): what its rows
 * may name read in a few queries, the rows judged by roster.c, what they
 * add and change written through the people's, organizations' and
 * program's stores, in one transaction.
 */
#include "roster/roster_use.h"

#include <string.h>

#include "exchange/refs.h"

/* Adds each value of table (key -> record of size bytes) to the list (*v, *n), in a. */
static void table_to_list(GHashTable *table, struct arena *a, void *v, size_t *n, size_t size)
{
	size_t cap = *n;
	GHashTableIter it;
	gpointer record;
	g_hash_table_iter_init(&it, table);
	while (g_hash_table_iter_next(&it, NULL, &record))
		memcpy(arena_push(a, v, n, &cap, size), record, size);
}

/*
 * The stored people and organizations the rows may name, in known (sorted):
 * people by key and by e-mail, organizations by key, name and short name.
 */
static int roster_known(struct store *s, const struct roster *roster, struct arena *a,
			struct directory *known)
{
	size_t n = roster->rows.n;
	const char **keys = g_new(const char *, n + 1), **emails = g_new(const char *, n + 1),
		   **orgs = g_new(const char *, n + 1);
	size_t k = 0, e = 0, o = 0;
	for (size_t i = 0; i < n; i++) {
		const struct roster_row *row = &roster->rows.v[i];
		if (row->cell[ROSTER_KEY])
			keys[k++] = row->cell[ROSTER_KEY];
		if (row->cell[ROSTER_EMAIL])
			emails[e++] = row->cell[ROSTER_EMAIL];
		if (row->cell[ROSTER_ORGANIZATION])
			orgs[o++] = row->cell[ROSTER_ORGANIZATION];
	}
	GHashTable *people = g_hash_table_new(g_str_hash, g_str_equal),
		   *found_orgs = g_hash_table_new(g_str_hash, g_str_equal);
	int rc = STORE_ERROR;
	if (person_store_find(s, keys, k, a, people) == STORE_OK &&
	    person_store_with_emails(s, emails, e, a, people) == STORE_OK &&
	    org_store_find(s, orgs, o, a, found_orgs) == STORE_OK &&
	    org_store_named(s, orgs, o, a, found_orgs) == STORE_OK) {
		*known = (struct directory){0};
		table_to_list(people, a, &known->people.v, &known->people.n, sizeof *known->people.v);
		table_to_list(found_orgs, a, &known->orgs.v, &known->orgs.n, sizeof *known->orgs.v);
		directory_sort(known);
		rc = STORE_OK;
	}
	g_hash_table_destroy(people);
	g_hash_table_destroy(found_orgs);
	g_free(keys);
	g_free(emails);
	g_free(orgs);
	return rc;
}

/* Writes what plan adds and changes: the new organizations, then the people, then the enrolments. */
static int roster_store_plan(struct store *s, const struct roster_plan *plan)
{
	for (size_t i = 0; i < plan->steps.n; i++)
		if (plan->steps.v[i].new_org && org_store_put(s, plan->steps.v[i].new_org, false) != STORE_OK)
			return STORE_ERROR;
	for (size_t i = 0; i < plan->steps.n; i++) {
		const struct roster_step *step = &plan->steps.v[i];
		if (step->changed && person_store_put(s, &step->person, step->stored != NULL) != STORE_OK)
			return STORE_ERROR;
	}
	const struct roster_counts *c = &plan->counts;
	if ((c->enrolled || c->enrolments_updated) &&
	    program_store_put_enrolments(s, &plan->program) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

/* true when plan writes anything. */
static bool plan_writes(const struct roster_plan *plan)
{
	const struct roster_counts *c = &plan->counts;
	return c->people_added || c->people_changed || c->orgs_added || c->enrolled ||
	       c->enrolments_updated;
}

/* The audit entry of an import that writes: who, and what it added and changed. */
static int roster_audit(struct store *s, const char *slug, const char *actor, const char *via,
			const struct roster_plan *plan, struct arena *a)
{
	const struct roster_counts *c = &plan->counts;
	char *fields = g_strdup_printf("{\"via\":\"%s\",\"rows\":%zu,\"people_added\":%zu,"
				       "\"people_changed\":%zu,\"organizations_added\":%zu,\"enrolled\":%zu,"
				       "\"enrolments_updated\":%zu}",
				       via, c->rows, c->people_added, c->people_changed, c->orgs_added, c->enrolled,
				       c->enrolments_updated);
	struct audit_entry e = {.at = g_get_real_time() / G_USEC_PER_SEC, .actor = actor, .program = slug,
				.action = "roster import", .record = arena_printf(a, "program %s", slug),
				.fields = fields};
	int rc = audit_store_add(s, &e);
	g_free(fields);
	return rc;
}

enum roster_result roster_import(struct store *s, const char *slug, const struct roster *roster,
				 bool dry_run, const char *actor, const char *via, struct arena *a,
				 struct roster_plan *plan, struct report *r)
{
	if ((dry_run ? store_begin_read(s) : store_begin(s)) != STORE_OK)
		return ROSTER_STORE_ERROR;
	struct store_refs refs;
	store_refs_init(&refs, s, a);
	enum roster_result result = ROSTER_STORE_ERROR;
	struct program program;
	struct directory known;
	int rc = program_store_get(s, slug, a, &program);
	if (rc == STORE_NOT_FOUND) {
		result = ROSTER_NO_PROGRAM;
	} else if (rc == STORE_OK && roster_known(s, roster, a, &known) == STORE_OK) {
		bool fine = roster_plan(roster, &program, &known, &refs.base, a, plan, r);
		if (refs.failed) /* a question the rules asked found the store failing */
			result = ROSTER_STORE_ERROR;
		else if (!fine)
			result = ROSTER_INVALID;
		else if (dry_run || roster_store_plan(s, plan) == STORE_OK)
			result = ROSTER_OK;
	}
	bool committed = false;
	if (!dry_run && result == ROSTER_OK && plan_writes(plan)) {
		committed = roster_audit(s, slug, actor, via, plan, a) == STORE_OK && store_commit(s) == STORE_OK;
		if (!committed)
			result = ROSTER_STORE_ERROR;
	}
	if (dry_run)
		store_end_read(s);
	else if (!committed)
		store_rollback(s); /* also when nothing changes: the data version stays as it is */
	store_refs_free(&refs);
	return result;
}

int roster_export(struct store *s, const char *slug, GString *out)
{
	if (store_begin_read(s) != STORE_OK)
		return STORE_ERROR;
	struct arena a = ARENA_INIT;
	struct program program;
	int rc = program_store_get(s, slug, &a, &program);
	if (rc == STORE_OK) {
		const char **keys = g_new(const char *, program.enrolments.n + 1);
		for (size_t i = 0; i < program.enrolments.n; i++)
			keys[i] = program.enrolments.v[i].person;
		GHashTable *people = g_hash_table_new(g_str_hash, g_str_equal);
		rc = person_store_find(s, keys, program.enrolments.n, &a, people);
		if (rc == STORE_OK) {
			struct directory enrolled = {0};
			table_to_list(people, &a, &enrolled.people.v, &enrolled.people.n,
				      sizeof *enrolled.people.v);
			directory_sort(&enrolled);
			roster_write(out, &program, &enrolled);
		}
		g_hash_table_destroy(people);
		g_free(keys);
	}
	store_end_read(s);
	arena_free(&a);
	return rc;
}
