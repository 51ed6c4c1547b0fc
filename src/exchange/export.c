/*
 * export.c: the export use case: the canonical podium-program/1 document
 * of the whole store or of one program, streamed record by record so
 * memory stays bounded by the largest program (exchange.h). The calling
 * thread reads records from the store; a writer thread encodes, dumps and
 * writes them, in order, at most WRITER_AHEAD records behind.
 */
#include <stdlib.h>
#include <string.h>

#include "exchange/schema.h"

enum { WRITER_AHEAD = 64 };

/* One record for the writer thread; a NULL section ends the stream. */
struct element {
	const char *section;
	const struct shape *shape;
	union {
		struct org org;
		struct person person;
		struct program program;
	} record;            /* its strings live in the reader's arena, or in arena */
	struct arena *arena; /* freed by the writer once the record is written, or NULL */
};

struct writer {
	FILE *out;
	GAsyncQueue *elements; /* struct element *, from the reading thread to the writer */
	GAsyncQueue *room;     /* tokens: the reader takes one per element, the writer gives it back */
	GThread *thread;
	/* the writer thread's own, read by the caller only after writer_finish */
	const char *section;   /* the array being written, NULL when none is open */
	bool failed;
	char *buffer;          /* where jansson dumps an element, reused (g_free) */
	size_t size;
};

/* Dumps value into w->buffer, growing it as needed; returns the length, 0 on failure. */
static size_t writer_dump(struct writer *w, json_t *value, size_t flags)
{
	for (;;) {
		size_t n = json_dumpb(value, w->buffer, w->size, flags);
		if (n == 0 || n <= w->size)
			return n;
		w->size = MAX(n, w->size * 2);
		w->buffer = g_realloc(w->buffer, w->size);
	}
}

/*
 * Writes one element of the array section. A pretty element is spread over
 * lines indented as in the whole document: it is dumped inside a wrapper
 * {"x": [element]} whose first and last lines are left out.
 */
static void writer_write(struct writer *w, const char *section, json_t *value, bool pretty)
{
	if (!w->section || strcmp(w->section, section) != 0) {
		if (w->section)
			fputs("\n  ]", w->out);
		fprintf(w->out, ",\n  \"%s\": [\n    ", section);
		w->section = section;
	} else {
		fputs(",\n    ", w->out);
	}
	size_t len;
	if (pretty) {
		json_t *wrapper = json_pack("{s:[O]}", "x", value);
		len = wrapper ? writer_dump(w, wrapper, JSON_INDENT(2)) : 0;
		json_decref(wrapper);
	} else {
		len = writer_dump(w, value, 0);
	}
	json_decref(value);
	if (!len) {
		w->failed = true;
		return;
	}
	/* pretty: skip "{\n  \"x\": [\n    " and drop "\n  ]\n}" */
	static const char head[] = "{\n  \"x\": [\n    ", tail[] = "\n  ]\n}";
	size_t from = 0;
	if (pretty) {
		g_assert(len > sizeof head + sizeof tail && memcmp(w->buffer, head, sizeof head - 1) == 0);
		from = sizeof head - 1;
		len -= sizeof tail - 1;
	}
	if (fwrite(w->buffer + from, 1, len - from, w->out) != len - from)
		w->failed = true;
}

static gpointer writer_run(gpointer data)
{
	struct writer *w = data;
	for (;;) {
		struct element *el = g_async_queue_pop(w->elements);
		if (!el->section) {
			g_free(el);
			return NULL;
		}
		writer_write(w, el->section, exchange_encode(el->shape, &el->record),
			     el->shape == &program_shape);
		if (el->arena) {
			arena_free(el->arena);
			g_free(el->arena);
		}
		g_free(el);
		g_async_queue_push(w->room, GINT_TO_POINTER(1));
	}
}

static void writer_start(struct writer *w)
{
	w->elements = g_async_queue_new();
	w->room = g_async_queue_new();
	for (int i = 0; i < WRITER_AHEAD; i++)
		g_async_queue_push(w->room, GINT_TO_POINTER(1));
	w->thread = g_thread_new("export-writer", writer_run, w);
}

/*
 * Hands one record of shape to the writer thread, waiting while it is far
 * behind. The record's strings must live until writer_finish, or in arena,
 * which the writer then frees (a g_new'd arena).
 */
static void writer_element(struct writer *w, const char *section, const struct shape *shape,
			   const void *record, size_t size, struct arena *arena)
{
	g_async_queue_pop(w->room);
	struct element *el = g_new0(struct element, 1);
	el->section = section;
	el->shape = shape;
	memcpy(&el->record, record, size);
	el->arena = arena;
	g_async_queue_push(w->elements, el);
}

/* Lets the writer thread write what it was given and end; after it, w->section and w->failed are the final ones. */
static void writer_finish(struct writer *w)
{
	if (!w->thread)
		return;
	g_async_queue_push(w->elements, g_new0(struct element, 1));
	g_thread_join(w->thread);
	w->thread = NULL;
	g_async_queue_unref(w->elements);
	g_async_queue_unref(w->room);
}

struct export {
	struct writer w;
	GHashTable *orgs, *people; /* keys to write; NULL writes all */
};

static int export_org(void *ctx, const struct org *o)
{
	struct export *e = ctx;
	if (!e->orgs || g_hash_table_contains(e->orgs, o->key))
		writer_element(&e->w, "organizations", &org_shape, o, sizeof *o, NULL);
	return STORE_OK;
}

static int export_person(void *ctx, const struct person *p)
{
	struct export *e = ctx;
	if (!e->people || g_hash_table_contains(e->people, p->key))
		writer_element(&e->w, "people", &person_shape, p, sizeof *p, NULL);
	return STORE_OK;
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

/* Fills e's sets with the people program p names and their organizations, with parents. */
static int collect_named(struct store *s, struct arena *a, const struct program *p,
			 struct export *e)
{
	e->people = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	e->orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	program_people(p, e->people);
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
		if (rc != STORE_OK || (rc = collect_named(s, &a, &one, &e)) != STORE_OK)
			goto cleanup;
	} else if ((rc = program_store_slugs(s, &a, &slugs)) != STORE_OK) {
		goto cleanup;
	}
	fputs("{\n  \"format\": \"" EXCHANGE_FORMAT "\"", out);
	writer_start(&e.w);
	if ((rc = org_store_each(s, &a, export_org, &e)) != STORE_OK ||
	    (rc = person_store_each(s, &a, export_person, &e)) != STORE_OK)
		goto cleanup;
	if (slug) {
		writer_element(&e.w, "programs", &program_shape, &one, sizeof one, NULL);
	} else {
		for (size_t i = 0; i < slugs.n && rc == STORE_OK; i++) {
			struct arena *pa = g_new0(struct arena, 1);
			struct program p;
			rc = program_store_get(s, slugs.v[i], pa, &p);
			if (rc == STORE_OK) {
				writer_element(&e.w, "programs", &program_shape, &p, sizeof p, pa);
			} else {
				arena_free(pa);
				g_free(pa);
			}
		}
		if (rc != STORE_OK)
			goto cleanup;
	}
	writer_finish(&e.w);
	fputs(e.w.section ? "\n  ]\n}\n" : "\n}\n", out);
	rc = e.w.failed ? STORE_ERROR : STORE_OK;
cleanup:
	writer_finish(&e.w);
	store_end_read(s);
	g_free(e.w.buffer);
	if (e.people)
		g_hash_table_destroy(e.people);
	if (e.orgs)
		g_hash_table_destroy(e.orgs);
	arena_free(&a);
	return rc;
}

/* Adds organization key and its parents (as dir has them) to keep. */
static void keep_org_chain(GHashTable *keep, const struct directory *dir, const char *key)
{
	for (const struct org *o = directory_org(dir, key); o && !g_hash_table_contains(keep, o->key);
	     o = directory_org(dir, o->parent))
		g_hash_table_add(keep, (gpointer)o->key);
}

json_t *exchange_public_program(struct program_view *pv)
{
	struct program *p = &pv->program;
	program_hide_private(p);
	/* the organizations it names: host, organizer and its public people's, with their parents */
	GHashTable *keep = g_hash_table_new(g_str_hash, g_str_equal);
	keep_org_chain(keep, &pv->directory, p->host);
	keep_org_chain(keep, &pv->directory, p->organizer);
	json_t *people = json_array(), *orgs = json_array();
	for (size_t i = 0; i < pv->directory.people.n; i++) {
		struct person shown = pv->directory.people.v[i];
		shown.email = NULL; /* personal data: never public */
		keep_org_chain(keep, &pv->directory, shown.organization);
		json_array_append_new(people, exchange_encode(&person_shape, &shown));
	}
	for (size_t i = 0; i < pv->directory.orgs.n; i++)
		if (g_hash_table_contains(keep, pv->directory.orgs.v[i].key))
			json_array_append_new(orgs, exchange_encode(&org_shape, &pv->directory.orgs.v[i]));
	g_hash_table_destroy(keep);
	json_t *doc = json_pack("{s:s}", "format", EXCHANGE_FORMAT);
	if (json_array_size(orgs))
		json_object_set(doc, "organizations", orgs);
	if (json_array_size(people))
		json_object_set(doc, "people", people);
	json_object_set_new(doc, "programs", json_pack("[o]", exchange_encode(&program_shape, p)));
	json_decref(orgs);
	json_decref(people);
	return doc;
}
