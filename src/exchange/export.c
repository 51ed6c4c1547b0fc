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

/*
 * Every person a program names: enrolments, attendees, speakers,
 * on_behalf_of, credits; or, public_only, the people it shows in public:
 * speakers, people spoken for, credits of published articles.
 */
static void program_people(const struct program *p, GHashTable *people, bool public_only)
{
	for (size_t i = 0; i < p->enrolments.n && !public_only; i++)
		add_key(people, p->enrolments.v[i].person);
	for (size_t i = 0; i < p->sessions.n; i++) {
		const struct session *s = &p->sessions.v[i];
		for (size_t k = 0; k < s->attendees.n && !public_only; k++)
			add_key(people, s->attendees.v[k]);
		for (size_t k = 0; k < s->items.n; k++) {
			add_key(people, s->items.v[k].speaker);
			if (item_on_behalf_of_is_person(&s->items.v[k]))
				add_key(people, s->items.v[k].on_behalf_of);
		}
	}
	for (size_t i = 0; i < p->articles.n; i++) {
		if (public_only && !article_is_published(&p->articles.v[i]))
			continue;
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

/* Fills e's sets with the people program p names and their organizations, with parents. */
static int collect_named(struct store *s, struct arena *a, const struct program *p,
			 bool public_only, struct export *e)
{
	e->people = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	e->orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	program_people(p, e->people, public_only);
	add_key(e->orgs, p->host);
	add_key(e->orgs, p->organizer);
	int rc = person_store_each(s, a, collect_person_orgs, e);
	return rc == STORE_OK ? add_org_parents(s, a, e) : rc;
}

int exchange_export(struct store *s, const char *slug, FILE *out)
{
	struct arena a = ARENA_INIT;
	struct export e = {.w = {.out = out}};
	struct program one;
	strv slugs = {0};
	int rc = store_begin_read(s); /* one snapshot, whatever is written meanwhile */
	if (rc != STORE_OK)
		goto cleanup;
	if (slug) {
		rc = program_store_get(s, slug, &a, &one);
		if (rc != STORE_OK || (rc = collect_named(s, &a, &one, false, &e)) != STORE_OK)
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
	store_end_read(s);
	if (e.people)
		g_hash_table_destroy(e.people);
	if (e.orgs)
		g_hash_table_destroy(e.orgs);
	arena_free(&a);
	return rc;
}

struct public_doc {
	struct export e;
	json_t *orgs, *people;
};

static int public_org(void *ctx, const struct org *o)
{
	struct public_doc *d = ctx;
	if (g_hash_table_contains(d->e.orgs, o->key))
		json_array_append_new(d->orgs, exchange_encode(&org_shape, o));
	return STORE_OK;
}

static int public_person(void *ctx, const struct person *p)
{
	struct public_doc *d = ctx;
	if (g_hash_table_contains(d->e.people, p->key)) {
		struct person shown = *p;
		shown.email = NULL; /* personal data: never public */
		json_array_append_new(d->people, exchange_encode(&person_shape, &shown));
	}
	return STORE_OK;
}

json_t *exchange_public_program(struct store *s, const char *slug, int *rc)
{
	struct arena a = ARENA_INIT;
	struct program p;
	struct public_doc d = {.orgs = json_array(), .people = json_array()};
	json_t *doc = NULL;
	*rc = program_store_get(s, slug, &a, &p);
	if (*rc != STORE_OK)
		goto cleanup;
	/* what is not public: enrolments, attendees, join links, articles not published */
	p.enrolments.n = 0;
	for (size_t i = 0; i < p.sessions.n; i++)
		p.sessions.v[i].attendees.n = 0;
	for (size_t i = 0; i < p.venues.n; i++)
		p.venues.v[i].url = NULL;
	size_t kept = 0;
	for (size_t i = 0; i < p.articles.n; i++)
		if (article_is_published(&p.articles.v[i]))
			p.articles.v[kept++] = p.articles.v[i];
	p.articles.n = kept;
	if ((*rc = collect_named(s, &a, &p, true, &d.e)) != STORE_OK ||
	    (*rc = org_store_each(s, &a, public_org, &d)) != STORE_OK ||
	    (*rc = person_store_each(s, &a, public_person, &d)) != STORE_OK)
		goto cleanup;
	doc = json_pack("{s:s}", "format", EXCHANGE_FORMAT);
	if (json_array_size(d.orgs))
		json_object_set(doc, "organizations", d.orgs);
	if (json_array_size(d.people))
		json_object_set(doc, "people", d.people);
	json_object_set_new(doc, "programs", json_pack("[o]", exchange_encode(&program_shape, &p)));
cleanup:
	json_decref(d.orgs);
	json_decref(d.people);
	if (d.e.people)
		g_hash_table_destroy(d.e.people);
	if (d.e.orgs)
		g_hash_table_destroy(d.e.orgs);
	arena_free(&a);
	return doc;
}
