/*
 * export.c: the export use case: the canonical podium-program/1 document
 * of the whole store or of one program, streamed record by record so
 * memory stays bounded by the largest program (exchange.h).
 */
#include <stdlib.h>
#include <string.h>

#include "exchange/schema.h"

struct writer {
	FILE *out;
	const char *section; /* the array being written, NULL when none is open */
	bool first;          /* no element of it written yet */
	bool failed;
};

/*
 * Writes one element of the array section. A pretty element is spread over
 * lines indented as in the whole document: it is dumped inside a wrapper
 * {"x": [element]} whose first and last lines are left out.
 */
static void writer_element(struct writer *w, const char *section, json_t *value, bool pretty)
{
	if (!w->section || strcmp(w->section, section) != 0) {
		if (w->section)
			fputs("\n  ]", w->out);
		fprintf(w->out, ",\n  \"%s\": [\n    ", section);
		w->section = section;
	} else {
		fputs(",\n    ", w->out);
	}
	char *text;
	if (pretty) {
		json_t *wrapper = json_pack("{s:[O]}", "x", value);
		text = wrapper ? json_dumps(wrapper, JSON_INDENT(2)) : NULL;
		json_decref(wrapper);
	} else {
		text = json_dumps(value, 0);
	}
	json_decref(value);
	if (!text) {
		w->failed = true;
		return;
	}
	/* pretty: skip "{\n  \"x\": [\n    " and drop "\n  ]\n}" */
	static const char head[] = "{\n  \"x\": [\n    ", tail[] = "\n  ]\n}";
	size_t len = strlen(text), from = 0;
	if (pretty) {
		g_assert(len > sizeof head + sizeof tail && memcmp(text, head, sizeof head - 1) == 0);
		from = sizeof head - 1;
		len -= sizeof tail - 1;
	}
	if (fwrite(text + from, 1, len - from, w->out) != len - from)
		w->failed = true;
	free(text);
}

struct export {
	struct writer w;
	GHashTable *orgs, *people; /* keys to write; NULL writes all */
};

static int export_org(void *ctx, const struct org *o)
{
	struct export *e = ctx;
	if (!e->orgs || g_hash_table_contains(e->orgs, o->key))
		writer_element(&e->w, "organizations", exchange_encode(&org_shape, o), false);
	return e->w.failed ? STORE_ERROR : STORE_OK;
}

static int export_person(void *ctx, const struct person *p)
{
	struct export *e = ctx;
	if (!e->people || g_hash_table_contains(e->people, p->key))
		writer_element(&e->w, "people", exchange_encode(&person_shape, p), false);
	return e->w.failed ? STORE_ERROR : STORE_OK;
}

static void add_key(GHashTable *set, const char *key)
{
	if (key)
		g_hash_table_add(set, g_strdup(key));
}

/* Every person a program names: enrolments, attendees, speakers, on_behalf_of, credits. */
static void program_people(const struct program *p, GHashTable *people)
{
	for (size_t i = 0; i < p->enrolments.n; i++)
		add_key(people, p->enrolments.v[i].person);
	for (size_t i = 0; i < p->sessions.n; i++) {
		const struct session *s = &p->sessions.v[i];
		for (size_t k = 0; k < s->attendees.n; k++)
			add_key(people, s->attendees.v[k]);
		for (size_t k = 0; k < s->items.n; k++) {
			add_key(people, s->items.v[k].speaker);
			if (item_on_behalf_of_is_person(&s->items.v[k]))
				add_key(people, s->items.v[k].on_behalf_of);
		}
	}
	for (size_t i = 0; i < p->articles.n; i++) {
		add_key(people, p->articles.v[i].credits.written_by);
		add_key(people, p->articles.v[i].credits.photographed_by);
		add_key(people, p->articles.v[i].credits.reviewed_by);
	}
}

static int collect_person_orgs(void *ctx, const struct person *p)
{
	struct export *e = ctx;
	if (g_hash_table_contains(e->people, p->key))
		add_key(e->orgs, p->organization);
	return STORE_OK;
}

static int collect_parent(void *ctx, const struct org *o)
{
	GHashTable *parents = ctx;
	if (o->parent)
		g_hash_table_insert(parents, g_strdup(o->key), g_strdup(o->parent));
	return STORE_OK;
}

/* Adds the parents of every organization of e->orgs, up to the top. */
static int add_org_parents(struct store *s, struct arena *a, struct export *e)
{
	GHashTable *parents = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int rc = org_store_each(s, a, collect_parent, parents);
	GPtrArray *todo = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init(&iter, e->orgs);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(todo, key);
	for (guint i = 0; rc == STORE_OK && i < todo->len; i++) {
		const char *parent = g_hash_table_lookup(parents, g_ptr_array_index(todo, i));
		if (parent && !g_hash_table_contains(e->orgs, parent)) {
			add_key(e->orgs, parent);
			g_ptr_array_add(todo, (gpointer)parent);
		}
	}
	g_ptr_array_free(todo, TRUE);
	g_hash_table_destroy(parents);
	return rc;
}

int exchange_export(struct store *s, const char *slug, FILE *out)
{
	struct arena a = ARENA_INIT;
	struct export e = {.w = {.out = out}};
	struct program one;
	int rc = STORE_OK;
	strv slugs = {0};
	if (slug) {
		rc = program_store_get(s, slug, &a, &one);
		if (rc != STORE_OK)
			goto cleanup;
		e.people = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		e.orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		program_people(&one, e.people);
		add_key(e.orgs, one.host);
		add_key(e.orgs, one.organizer);
		if ((rc = person_store_each(s, &a, collect_person_orgs, &e)) != STORE_OK ||
		    (rc = add_org_parents(s, &a, &e)) != STORE_OK)
			goto cleanup;
	} else if ((rc = program_store_slugs(s, &a, &slugs)) != STORE_OK) {
		goto cleanup;
	}
	fputs("{\n  \"format\": \"" EXCHANGE_FORMAT "\"", out);
	if ((rc = org_store_each(s, &a, export_org, &e)) != STORE_OK ||
	    (rc = person_store_each(s, &a, export_person, &e)) != STORE_OK)
		goto cleanup;
	if (slug) {
		writer_element(&e.w, "programs", exchange_encode(&program_shape, &one), true);
	} else {
		for (size_t i = 0; i < slugs.n && rc == STORE_OK; i++) {
			struct arena pa = ARENA_INIT;
			struct program p;
			rc = program_store_get(s, slugs.v[i], &pa, &p);
			if (rc == STORE_OK)
				writer_element(&e.w, "programs", exchange_encode(&program_shape, &p), true);
			arena_free(&pa);
		}
		if (rc != STORE_OK)
			goto cleanup;
	}
	fputs(e.w.section ? "\n  ]\n}\n" : "\n}\n", out);
	rc = e.w.failed ? STORE_ERROR : STORE_OK;
cleanup:
	if (e.people)
		g_hash_table_destroy(e.people);
	if (e.orgs)
		g_hash_table_destroy(e.orgs);
	arena_free(&a);
	return rc;
}
