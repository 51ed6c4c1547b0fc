/*
 * roster.c: the rules of a roster's rows (roster.h): which person each row
 * names, which organization, what it adds and changes; every value judged
 * by person_check, org_check and program_check (the enrolments' roles and
 * statuses, the capacity), their problems located at the row's line and
 * column.
 */
#include "roster/roster.h"

#include "core/catalog.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/intl.h"
#include "core/values.h"

/* A made key's words, leaving room for a suffix ("-2") within a key's 64 characters. */
enum { KEY_WORDS_MAX = 56, KEY_MAX = 64 };

/* References as they will be: what the roster adds, else what is stored. */
struct plan_refs {
	struct refs base;
	const struct refs *stored;
	GHashTable *people; /* key -> struct person *, added by the roster */
	GHashTable *orgs;   /* key -> struct org *, added by the roster */
};

static bool plan_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	const struct plan_refs *pr = (const struct plan_refs *)self;
	return g_hash_table_contains(kind == REF_ORGANIZATION ? pr->orgs : pr->people, key) ||
	       pr->stored->exists(pr->stored, kind, key);
}

static const char *plan_org_parent(const struct refs *self, const char *key)
{
	const struct plan_refs *pr = (const struct plan_refs *)self;
	if (g_hash_table_contains(pr->orgs, key))
		return NULL; /* the roster adds organizations without parents */
	return pr->stored->org_parent(pr->stored, key);
}

struct planner {
	const struct roster *roster;
	const struct directory *known;
	struct arena *a;
	struct report *r;
	struct roster_plan *out;
	struct plan_refs refs;
	GHashTable *stored_emails;  /* folded e-mail -> GPtrArray of const struct person *, of known */
	GHashTable *stored_names;   /* name or short name -> GPtrArray of const struct org *, of known */
	GHashTable *named_keys;     /* the keys of the key column: made keys keep clear of them */
	GHashTable *row_of_person;  /* person key -> line of the row that names them */
	GHashTable *row_of_email;   /* folded e-mail -> line of the row whose person has it */
	GHashTable *added_names;    /* name -> struct org *, added by the roster */
	GHashTable *enrolment_of;   /* person key -> index in out->program.enrolments */
	GArray *enrolment_lines;    /* size_t: the row of each enrolment, 0 for one no row names */
	GHashTable *failed_lines;   /* lines whose rows have a problem */
	size_t steps_cap, enrolments_cap;
};

/* s with its ASCII letters in lower case, in a: e-mails compare so. */
static const char *fold(struct arena *a, const char *s)
{
	char *f = arena_strdup(a, s);
	for (char *p = f; *p; p++)
		*p = g_ascii_tolower(*p);
	return f;
}

/* Adds value to the list under key in table (a table of GPtrArrays), once. */
static void index_add(GHashTable *table, const char *key, const void *value)
{
	GPtrArray *list = g_hash_table_lookup(table, key);
	if (!list) {
		list = g_ptr_array_new();
		g_hash_table_insert(table, (gpointer)key, list);
	}
	for (guint i = 0; i < list->len; i++)
		if (g_ptr_array_index(list, i) == value)
			return;
	g_ptr_array_add(list, (gpointer)value);
}

static void free_list(gpointer list)
{
	g_ptr_array_free(list, TRUE);
}

/* ------------------------------------------------------------ problems */

static void problem(struct planner *pl, size_t line, enum roster_column column, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static void problem(struct planner *pl, size_t line, enum roster_column column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	roster_report(pl->r, pl->roster->name, line, roster_columns[column], "%s", message);
	g_hash_table_add(pl->failed_lines, GSIZE_TO_POINTER(line));
	g_free(message);
}

/*
 * Moves the problems of a rule that reported at bare field names (path
 * NULL) to the row's line, each field at the column column_of gives it
 * (-1: left out, another check reports the same cell).
 */
static void report_fields(struct planner *pl, size_t line, const struct report *fields,
			  int (*column_of)(const char *field))
{
	for (guint i = 0; i < fields->lines->len; i++) {
		const char *field = g_ptr_array_index(fields->paths, i);
		const char *text = g_ptr_array_index(fields->lines, i);
		int column = column_of(field);
		if (column < 0)
			continue;
		const char *message = *field ? text + strlen(field) + 2 : text;
		problem(pl, line, column, "%s", message);
	}
	pl->r->count += fields->count - fields->lines->len;
}

static int column_named(const char *field)
{
	for (int c = 0; c < ROSTER_COLUMNS; c++)
		if (strcmp(field, roster_columns[c]) == 0)
			return c;
	return ROSTER_KEY;
}

/* A new organization's fields are the organization cell, but its country: the person's check tells. */
static int org_column(const char *field)
{
	return strcmp(field, "country") == 0 ? -1 : ROSTER_ORGANIZATION;
}

/* ------------------------------------------------------------ keys */

static bool key_taken(struct planner *pl, enum ref_kind kind, const char *key)
{
	return (kind == REF_PERSON && g_hash_table_contains(pl->named_keys, key)) ||
	       plan_exists(&pl->refs.base, kind, key);
}

/* A key for a new record named text: its words in ASCII, then -2, -3... until no record has it. */
static const char *make_key(struct planner *pl, enum ref_kind kind, const char *text)
{
	char words[KEY_WORDS_MAX + 1], key[KEY_MAX + 1];
	intl_ascii_words(text ? text : "", words, sizeof words);
	if (!*words)
		g_strlcpy(words, kind == REF_PERSON ? "person" : "organization", sizeof words);
	g_strlcpy(key, words, sizeof key);
	for (unsigned n = 2; key_taken(pl, kind, key); n++)
		g_snprintf(key, sizeof key, "%s-%u", words, n);
	return arena_strdup(pl->a, key);
}

/* ------------------------------------------------------------ a row */

/*
 * The key of the organization the row's cell names: a key (stored, or
 * added by an earlier row), else a stored organization's name or short
 * name, else the name of one the roster adds. NULL after a problem.
 */
static const char *row_org(struct planner *pl, const struct roster_row *row, struct roster_step *step)
{
	const char *v = row->cell[ROSTER_ORGANIZATION];
	if (value_is_key(v)) {
		if (directory_org(pl->known, v) || plan_exists(&pl->refs.base, REF_ORGANIZATION, v))
			return v;
		problem(pl, row->line, ROSTER_ORGANIZATION,
			report_tr(pl->r, "unknown organization '%s': a value written as a key names a stored "
					   "organization; write its name to add a new one"),
			v);
		return NULL;
	}
	GPtrArray *named = g_hash_table_lookup(pl->stored_names, v);
	if (named && named->len == 1)
		return ((const struct org *)g_ptr_array_index(named, 0))->key;
	if (named) {
		GString *keys = g_string_new(NULL);
		for (guint i = 0; i < named->len; i++)
			g_string_append_printf(keys, "%s%s", i ? ", " : "",
					       ((const struct org *)g_ptr_array_index(named, i))->key);
		problem(pl, row->line, ROSTER_ORGANIZATION,
			report_tr(pl->r, "'%s' names %u organizations (%s): write the key of the one meant"), v,
			named->len,
			keys->str);
		g_string_free(keys, TRUE);
		return NULL;
	}
	struct org *added = g_hash_table_lookup(pl->added_names, v);
	if (added)
		return added->key;
	added = arena_alloc(pl->a, sizeof *added);
	added->key = make_key(pl, REF_ORGANIZATION, v);
	added->name = v;
	added->country = row->cell[ROSTER_COUNTRY];
	struct report fields;
	report_init_like(&fields, pl->r);
	org_check(added, NULL, &pl->refs.base, &fields);
	report_fields(pl, row->line, &fields, org_column);
	report_free(&fields);
	g_hash_table_insert(pl->refs.orgs, (gpointer)added->key, added);
	g_hash_table_insert(pl->added_names, (gpointer)added->name, added);
	step->new_org = added;
	pl->out->counts.orgs_added++;
	return added->key;
}

/* The line of an earlier row that names the same person, or 0. */
static size_t earlier_row(struct planner *pl, const char *key, const char *email)
{
	gpointer line = NULL;
	if (key)
		line = g_hash_table_lookup(pl->row_of_person, key);
	if (!line && email)
		line = g_hash_table_lookup(pl->row_of_email, fold(pl->a, email));
	return GPOINTER_TO_SIZE(line);
}

/*
 * The stored person the row names by its key, else by its e-mail; NULL
 * for a new one. false after a problem.
 */
static bool row_match(struct planner *pl, const struct roster_row *row, struct roster_step *step)
{
	const char *key = row->cell[ROSTER_KEY], *email = row->cell[ROSTER_EMAIL];
	step->match = ROSTER_ADDED;
	if (key) {
		step->stored = directory_person(pl->known, key);
		step->match = step->stored ? ROSTER_BY_KEY : ROSTER_ADDED;
		return true;
	}
	GPtrArray *same = email ? g_hash_table_lookup(pl->stored_emails, fold(pl->a, email)) : NULL;
	if (same && same->len > 1) {
		GString *keys = g_string_new(NULL);
		for (guint i = 0; i < same->len; i++)
			g_string_append_printf(keys, "%s%s", i ? ", " : "",
					       ((const struct person *)g_ptr_array_index(same, i))->key);
		problem(pl, row->line, ROSTER_EMAIL,
			report_tr(pl->r, "'%s' is the e-mail of %u people (%s): write the key of the one meant "
					   "in a key column"),
			email, same->len, keys->str);
		g_string_free(keys, TRUE);
		return false;
	}
	if (same) {
		step->stored = g_ptr_array_index(same, 0);
		step->match = ROSTER_BY_EMAIL;
	}
	return true;
}

/* Sets *field to the row's cell of column, when there is one: an empty cell keeps what is stored. */
static void take(const char **field, const struct roster_row *row, enum roster_column column)
{
	if (row->cell[column])
		*field = row->cell[column];
}

static bool person_differs(const struct person *a, const struct person *b)
{
	return g_strcmp0(a->honorific, b->honorific) || g_strcmp0(a->name, b->name) ||
	       g_strcmp0(a->position, b->position) || g_strcmp0(a->organization, b->organization) ||
	       g_strcmp0(a->country, b->country) || g_strcmp0(a->email, b->email);
}

/* The enrolment of the row's person: made, or the stored one updated with the row's role and status. */
static void row_enrolment(struct planner *pl, const struct roster_row *row, struct roster_step *step)
{
	struct program *p = &pl->out->program;
	gpointer at;
	size_t index;
	if (g_hash_table_lookup_extended(pl->enrolment_of, step->person.key, NULL, &at)) {
		index = GPOINTER_TO_SIZE(at);
		struct enrolment *e = &p->enrolments.v[index];
		step->before = *e;
		take(&e->role, row, ROSTER_ROLE);
		take(&e->status, row, ROSTER_STATUS);
		bool same = g_strcmp0(e->role, step->before.role) == 0 &&
			    g_strcmp0(e->status, step->before.status) == 0;
		step->enrol = same ? ROSTER_ENROLMENT_SAME : ROSTER_ENROLMENT_UPDATED;
		step->enrolment = *e;
	} else {
		index = p->enrolments.n;
		struct enrolment *e = ARRAY_PUSH(pl->a, p->enrolments, &pl->enrolments_cap);
		e->person = step->person.key;
		e->role = row->cell[ROSTER_ROLE] ? row->cell[ROSTER_ROLE] : "participant";
		e->status = row->cell[ROSTER_STATUS] ? row->cell[ROSTER_STATUS] : "invited";
		g_hash_table_insert(pl->enrolment_of, (gpointer)e->person, GSIZE_TO_POINTER(index));
		step->enrol = ROSTER_ENROLLED;
		step->enrolment = *e;
	}
	if (pl->enrolment_lines->len <= index)
		g_array_set_size(pl->enrolment_lines, index + 1);
	g_array_index(pl->enrolment_lines, size_t, index) = row->line;
}

static void plan_row(struct planner *pl, const struct roster_row *row)
{
	struct roster_plan *out = pl->out;
	struct roster_step step = {.line = row->line};
	if (!row_match(pl, row, &step))
		return;
	const char *key = step.stored ? step.stored->key : row->cell[ROSTER_KEY];
	/* a row with a key may share its e-mail with another person (a delegation's office, say) */
	size_t earlier = earlier_row(pl, key, row->cell[ROSTER_KEY] ? NULL : row->cell[ROSTER_EMAIL]);
	if (earlier) {
		enum roster_column by = row->cell[ROSTER_KEY] ? ROSTER_KEY : ROSTER_EMAIL;
		problem(pl, row->line, by,
			report_tr(pl->r, "'%s' names the person of line %zu again: one row per person"),
			row->cell[by], earlier);
		return;
	}
	struct person *p = &step.person;
	if (step.stored)
		*p = *step.stored;
	else
		p->key = key ? key : make_key(pl, REF_PERSON, row->cell[ROSTER_NAME]);
	take(&p->honorific, row, ROSTER_HONORIFIC);
	take(&p->name, row, ROSTER_NAME);
	take(&p->position, row, ROSTER_POSITION);
	take(&p->country, row, ROSTER_COUNTRY);
	take(&p->email, row, ROSTER_EMAIL);
	if (row->cell[ROSTER_ORGANIZATION]) {
		const char *org = row_org(pl, row, &step);
		if (org)
			p->organization = org;
	}
	struct report fields;
	report_init_like(&fields, pl->r);
	person_check(p, NULL, &pl->refs.base, &fields);
	report_fields(pl, row->line, &fields, column_named);
	report_free(&fields);
	step.changed = !step.stored || person_differs(step.stored, p);
	g_hash_table_insert(pl->row_of_person, (gpointer)p->key, GSIZE_TO_POINTER(row->line));
	if (p->email)
		g_hash_table_insert(pl->row_of_email, (gpointer)fold(pl->a, p->email),
				    GSIZE_TO_POINTER(row->line));
	row_enrolment(pl, row, &step);
	struct roster_counts *c = &out->counts;
	c->people_added += !step.stored;
	c->people_matched += step.stored != NULL;
	c->people_changed += step.stored && step.changed;
	c->enrolled += step.enrol == ROSTER_ENROLLED;
	c->enrolments_updated += step.enrol == ROSTER_ENROLMENT_UPDATED;
	c->enrolments_same += step.enrol == ROSTER_ENROLMENT_SAME;
	*ARRAY_PUSH(pl->a, out->steps, &pl->steps_cap) = step;
	/* the person stays where the step is: the refs and the enrolment point at its copy */
	struct roster_step *kept = &out->steps.v[out->steps.n - 1];
	if (!step.stored)
		g_hash_table_insert(pl->refs.people, (gpointer)kept->person.key, &kept->person);
}

/* ------------------------------------------------------------ the program's rules */

/* The line of the row whose confirmed participant goes past the capacity, or 0. */
static size_t capacity_line(struct planner *pl)
{
	const struct program *p = &pl->out->program;
	size_t confirmed = 0;
	for (size_t i = 0; i < p->enrolments.n; i++) {
		const struct enrolment *e = &p->enrolments.v[i];
		confirmed += strcmp(e->role, "participant") == 0 && strcmp(e->status, "confirmed") == 0;
		if (p->capacity.set && confirmed > (size_t)p->capacity.value)
			return i < pl->enrolment_lines->len ? g_array_index(pl->enrolment_lines, size_t, i) : 0;
	}
	return 0;
}

/*
 * Judges the program with its enrolments as they will be: their roles and
 * statuses, the capacity, and every other rule (a stored program passes
 * them; one that no longer does is named as it is).
 */
static void judge_program(struct planner *pl)
{
	struct report program;
	report_init_like(&program, pl->r);
	program_check(&pl->out->program, NULL, &pl->refs.base, &program);
	for (guint i = 0; i < program.lines->len; i++) {
		const char *path = g_ptr_array_index(program.paths, i);
		const char *text = g_ptr_array_index(program.lines, i);
		const char *message = *path ? text + strlen(path) + 2 : text;
		char *end;
		size_t index, line = 0;
		if (g_str_has_prefix(path, "enrolments[") &&
		    (index = strtoul(path + strlen("enrolments["), &end, 10), g_str_has_prefix(end, "]."))) {
			line = index < pl->enrolment_lines->len ? g_array_index(pl->enrolment_lines, size_t, index) : 0;
			const char *field = end + 2;
			/* a person the row could not make: its own check told why */
			if (line && strcmp(field, "person") == 0 &&
			    g_hash_table_contains(pl->failed_lines, GSIZE_TO_POINTER(line)))
				continue;
			if (line) {
				problem(pl, line, strcmp(field, "status") == 0 ? ROSTER_STATUS
						 : strcmp(field, "role") == 0 ? ROSTER_ROLE : ROSTER_KEY,
					"%s", message);
				continue;
			}
		} else if (strcmp(path, "capacity") == 0 && (line = capacity_line(pl))) {
			problem(pl, line, ROSTER_STATUS, "%s", message);
			continue;
		}
		report_add(pl->r, pl->roster->name, NULL, "program '%s': %s", pl->out->program.slug, text);
	}
	pl->r->count += program.count - program.lines->len;
	report_free(&program);
}

/* ------------------------------------------------------------ the plan */

struct numbered {
	size_t line;
	guint index;
};

static gint by_line(gconstpointer a, gconstpointer b)
{
	const struct numbered *x = a, *y = b;
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->index < y->index ? -1 : 1);
}

/* Adds the problems of from to to, by the line they name ("NAME:LINE..."); those of no line last. */
static void merge_by_line(struct report *to, const struct report *from, const char *name)
{
	GArray *order = g_array_new(FALSE, FALSE, sizeof(struct numbered));
	size_t skip = strlen(name);
	for (guint i = 0; i < from->lines->len; i++) {
		const char *path = g_ptr_array_index(from->paths, i);
		struct numbered n = {G_MAXSIZE, i};
		if (strlen(path) > skip && path[skip] == ':')
			n.line = strtoul(path + skip + 1, NULL, 10);
		g_array_append_val(order, n);
	}
	g_array_sort(order, by_line);
	struct report sorted;
	report_init_like(&sorted, to);
	for (guint i = 0; i < order->len; i++) {
		guint k = g_array_index(order, struct numbered, i).index;
		g_ptr_array_add(sorted.lines, g_strdup(g_ptr_array_index(from->lines, k)));
		g_ptr_array_add(sorted.paths, g_strdup(g_ptr_array_index(from->paths, k)));
	}
	sorted.count = from->count;
	report_merge(to, NULL, &sorted);
	report_free(&sorted);
	g_array_free(order, TRUE);
}

static void planner_init(struct planner *pl)
{
	pl->refs.people = g_hash_table_new(g_str_hash, g_str_equal);
	pl->refs.orgs = g_hash_table_new(g_str_hash, g_str_equal);
	pl->stored_emails = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_list);
	pl->stored_names = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_list);
	pl->named_keys = g_hash_table_new(g_str_hash, g_str_equal);
	pl->row_of_person = g_hash_table_new(g_str_hash, g_str_equal);
	pl->row_of_email = g_hash_table_new(g_str_hash, g_str_equal);
	pl->added_names = g_hash_table_new(g_str_hash, g_str_equal);
	pl->enrolment_of = g_hash_table_new(g_str_hash, g_str_equal);
	pl->enrolment_lines = g_array_new(FALSE, TRUE, sizeof(size_t));
	pl->failed_lines = g_hash_table_new(NULL, NULL);
	const struct directory *k = pl->known;
	for (size_t i = 0; i < k->people.n; i++)
		if (k->people.v[i].email)
			index_add(pl->stored_emails, fold(pl->a, k->people.v[i].email), &k->people.v[i]);
	for (size_t i = 0; i < k->orgs.n; i++) {
		index_add(pl->stored_names, k->orgs.v[i].name, &k->orgs.v[i]);
		if (k->orgs.v[i].short_name)
			index_add(pl->stored_names, k->orgs.v[i].short_name, &k->orgs.v[i]);
	}
	for (size_t i = 0; i < pl->roster->rows.n; i++)
		if (pl->roster->rows.v[i].cell[ROSTER_KEY])
			g_hash_table_add(pl->named_keys, (gpointer)pl->roster->rows.v[i].cell[ROSTER_KEY]);
}

static void planner_free(struct planner *pl)
{
	g_hash_table_destroy(pl->refs.people);
	g_hash_table_destroy(pl->refs.orgs);
	g_hash_table_destroy(pl->stored_emails);
	g_hash_table_destroy(pl->stored_names);
	g_hash_table_destroy(pl->named_keys);
	g_hash_table_destroy(pl->row_of_person);
	g_hash_table_destroy(pl->row_of_email);
	g_hash_table_destroy(pl->added_names);
	g_hash_table_destroy(pl->enrolment_of);
	g_array_free(pl->enrolment_lines, TRUE);
	g_hash_table_destroy(pl->failed_lines);
}

bool roster_plan(const struct roster *roster, const struct program *program,
		 const struct directory *known, const struct refs *refs, struct arena *a,
		 struct roster_plan *out, struct report *r)
{
	*out = (struct roster_plan){.program = *program};
	out->counts.rows = roster->rows.n;
	struct planner pl = {
		.roster = roster,
		.known = known,
		.a = a,
		.r = r,
		.out = out,
		.refs = {.base = {plan_exists, plan_org_parent, NULL}, .stored = refs},
	};
	struct report found; /* in the order found, rows then the program: told by line */
	report_init_like(&found, r);
	pl.r = &found;
	planner_init(&pl);
	/* the enrolments as they will be: a copy of the stored ones, which rows update or extend */
	struct program *p = &out->program;
	p->enrolments.v = NULL;
	p->enrolments.n = 0;
	for (size_t i = 0; i < program->enrolments.n; i++) {
		*ARRAY_PUSH(a, p->enrolments, &pl.enrolments_cap) = program->enrolments.v[i];
		g_hash_table_insert(pl.enrolment_of, (gpointer)program->enrolments.v[i].person,
				    GSIZE_TO_POINTER(i));
	}
	/* the steps keep their place: people added point into them */
	out->steps.v = arena_alloc(a, (roster->rows.n + 1) * sizeof *out->steps.v);
	pl.steps_cap = roster->rows.n + 1;
	for (size_t i = 0; i < roster->rows.n; i++)
		plan_row(&pl, &roster->rows.v[i]);
	judge_program(&pl);
	planner_free(&pl);
	bool fine = found.count == 0;
	merge_by_line(r, &found, roster->name);
	report_free(&found);
	return fine;
}

/* ------------------------------------------------------------ what it says */

char *roster_step_line(const struct roster_step *step, const struct catalog *c)
{
	GString *line = g_string_new(NULL);
	const struct person *p = &step->person;
	g_string_append_printf(line, catalog_text(c, "line %zu: "), step->line);
	if (step->new_org)
		g_string_append_printf(line, catalog_text(c, "add organization %s (%s), "), step->new_org->key,
				       step->new_org->name);
	if (step->match == ROSTER_ADDED) {
		g_string_append_printf(line, catalog_text(c, "add person %s (%s)"), p->key, p->name ? p->name : "");
	} else {
		const struct person *s = step->stored;
		g_string_append_printf(line, catalog_text(c, "match person %s (%s) by %s"), p->key, s->name,
				       catalog_text(c, step->match == ROSTER_BY_KEY ? N_("key") : N_("email")));
		const struct {
			const char *name, *before, *after;
		} fields[] = {
			{"honorific", s->honorific, p->honorific}, {"name", s->name, p->name},
			{"position", s->position, p->position},
			{"organization", s->organization, p->organization},
			{"country", s->country, p->country}, {"email", s->email, p->email},
		};
		const char *sep = catalog_text(c, ", change ");
		for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
			if (g_strcmp0(fields[i].before, fields[i].after) != 0) {
				g_string_append_printf(line, "%s%s", sep, fields[i].name);
				sep = catalog_text(c, ", ");
			}
		if (!step->changed)
			g_string_append(line, catalog_text(c, ", unchanged"));
	}
	const struct enrolment *e = &step->enrolment, *b = &step->before;
	if (step->enrol == ROSTER_ENROLLED)
		g_string_append_printf(line, catalog_text(c, ", enrol as %s (%s)"), e->role, e->status);
	else if (step->enrol == ROSTER_ENROLMENT_UPDATED)
		g_string_append_printf(line, catalog_text(c, ", update enrolment from %s (%s) to %s (%s)"), b->role,
				       b->status, e->role, e->status);
	else
		g_string_append_printf(line, catalog_text(c, ", already enrolled as %s (%s)"), e->role, e->status);
	char *escaped = text_escape_line(line->str);
	g_string_free(line, TRUE);
	return escaped;
}

/* Appends count (a catalog_plural form of "%zu ...") for n to out, after a separator when out has a part already; nothing when n is 0 but always. */
static void append_count(GString *out, const struct catalog *c, const char *count, size_t n, bool always)
{
	if (!n && !always)
		return;
	if (out->len)
		g_string_append(out, catalog_text(c, ", "));
	g_string_append_printf(out, count, n);
}

char *roster_summary_line(const char *slug, const struct roster_counts *k, bool dry_run, const struct catalog *c)
{
	GString *line = g_string_new(NULL);
	g_string_append_printf(line, catalog_text(c, "roster %s: "), slug);
	g_string_append_printf(line, catalog_plural(c, "%zu row: ", "%zu rows: ", (long)k->rows), k->rows);
	if (!k->rows) {
		g_string_append(line, catalog_text(c, "nothing to do"));
	} else {
		GString *part = g_string_new(NULL);
		long n;
		n = (long)k->people_added;
		append_count(part, c, catalog_plural(c, "%zu person added", "%zu people added", n), k->people_added, false);
		n = (long)k->people_matched;
		append_count(part, c, catalog_plural(c, "%zu matched", "%zu matched", n), k->people_matched, false);
		n = (long)k->people_changed;
		append_count(part, c, catalog_plural(c, "%zu changed", "%zu changed", n), k->people_changed,
			     k->people_matched > 0);
		n = (long)k->orgs_added;
		append_count(part, c, catalog_plural(c, "%zu organization added", "%zu organizations added", n),
			     k->orgs_added, false);
		g_string_append_printf(line, catalog_text(c, "%s; "), part->str);
		g_string_truncate(part, 0);
		n = (long)k->enrolled;
		append_count(part, c, catalog_plural(c, "%zu enrolled", "%zu enrolled", n), k->enrolled, false);
		n = (long)k->enrolments_updated;
		append_count(part, c, catalog_plural(c, "%zu enrolment updated", "%zu enrolments updated", n),
			     k->enrolments_updated, false);
		n = (long)k->enrolments_same;
		append_count(part, c, catalog_plural(c, "%zu already enrolled", "%zu already enrolled", n),
			     k->enrolments_same, false);
		g_string_append(line, part->str);
		g_string_free(part, TRUE);
	}
	if (dry_run)
		g_string_append(line, catalog_text(c, " (dry run: nothing written)"));
	return g_string_free(line, FALSE);
}
