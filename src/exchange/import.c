/*
 * import.c: the import use case of podium-program/1: parse, decode, judge
 * with the features' rules, find conflicts with stored records, and write,
 * all in one transaction (exchange.h).
 */
#include <string.h>

#include "exchange/schema.h"

/* References resolve in the document first, then in the store. */
struct import_refs {
	struct refs base;
	struct store *store;
	GHashTable *orgs;   /* key -> const struct org * of the document */
	GHashTable *people; /* key -> const struct person * of the document */
	struct arena *arena;
	bool failed;        /* a store error happened during a lookup */
};

static bool import_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	struct import_refs *ir = (struct import_refs *)self;
	GHashTable *local = kind == REF_ORGANIZATION ? ir->orgs : ir->people;
	if (g_hash_table_contains(local, key))
		return true;
	bool exists = false;
	int rc = kind == REF_ORGANIZATION ? org_store_exists(ir->store, key, &exists)
					  : person_store_exists(ir->store, key, &exists);
	ir->failed |= rc == STORE_ERROR;
	return exists;
}

static const char *import_org_parent(const struct refs *self, const char *key)
{
	struct import_refs *ir = (struct import_refs *)self;
	const struct org *o = g_hash_table_lookup(ir->orgs, key);
	if (o)
		return o->parent;
	const char *parent = NULL;
	ir->failed |= org_store_parent(ir->store, key, ir->arena, &parent) == STORE_ERROR;
	return parent;
}

/* Reports the second occurrence of a key among the document's records of one kind. */
static void index_records(GHashTable *index, const void *base, size_t n, size_t size,
			  size_t key_offset, const char *field, const char *member, const char *what,
			  struct report *r)
{
	for (size_t i = 0; i < n; i++) {
		const char *record = (const char *)base + i * size;
		const char *key = *(const char *const *)(record + key_offset);
		if (!key)
			continue;
		gpointer first = g_hash_table_lookup(index, key);
		if (first) {
			char *at = g_strdup_printf("%s[%zu]", field, i);
			report_add(r, at, member, "duplicate %s '%s' (first at %s[%zu])", what, key, field,
				   (size_t)((const char *)first - (const char *)base) / size);
			g_free(at);
		} else {
			g_hash_table_insert(index, (gpointer)key, (gpointer)record);
		}
	}
}

/*
 * Nesting depth of a JSON value: an array or object counts 1 more than its
 * deepest member, a scalar 0. Stops descending past limit.
 */
static long long json_depth(json_t *v, long long limit)
{
	if (!json_is_object(v) && !json_is_array(v))
		return 0;
	long long deepest = 0;
	if (limit > 0 && json_is_object(v)) {
		const char *k;
		json_t *m;
		json_object_foreach(v, k, m) {
			long long d = json_depth(m, limit - 1); /* once: MAX evaluates twice */
			deepest = MAX(deepest, d);
		}
	} else if (limit > 0) {
		size_t i;
		json_t *m;
		json_array_foreach(v, i, m) {
			long long d = json_depth(m, limit - 1);
			deepest = MAX(deepest, d);
		}
	}
	return deepest + 1;
}

enum action { ACTION_INSERT, ACTION_SKIP, ACTION_UPDATE };

/*
 * Compares a record of the document with the stored one of the same key
 * through their canonical JSON; reports a conflict unless replace.
 */
static enum action compare_stored(const struct shape *shape, const void *incoming,
				  const void *stored, const char *path, const char *what,
				  const char *key, bool replace, struct report *r)
{
	json_t *a = exchange_encode(shape, incoming), *b = exchange_encode(shape, stored);
	GString *differ = g_string_new(NULL);
	for (size_t i = 0; i < shape->n_fields; i++) {
		const char *name = shape->fields[i].name;
		json_t *x = json_object_get(a, name), *y = json_object_get(b, name);
		if (!(x == y || (x && y && json_equal(x, y))))
			g_string_append_printf(differ, "%s%s", differ->len ? ", " : "", name);
	}
	enum action act = differ->len == 0 ? ACTION_SKIP : replace ? ACTION_UPDATE : ACTION_INSERT;
	if (differ->len && !replace)
		report_add(r, path, NULL,
			   "%s '%s' already exists with different data: %s (use --replace to update it)",
			   what, key, differ->str);
	g_string_free(differ, TRUE);
	json_decref(a);
	json_decref(b);
	return act;
}

/* Keeps the lines of rules whose path is not already reported by decoding. */
static void merge_rule_lines(struct report *r, struct report *rules, GHashTable *decoded_paths)
{
	for (guint i = 0; i < rules->lines->len; i++) {
		const char *line = g_ptr_array_index(rules->lines, i);
		const char *colon = strstr(line, ": ");
		char *path = colon ? g_strndup(line, (size_t)(colon - line)) : g_strdup("");
		if (!g_hash_table_contains(decoded_paths, path))
			report_add(r, NULL, NULL, "%s", line);
		g_free(path);
	}
	r->count += rules->count - rules->lines->len;
}

struct import {
	struct store *store;
	const struct import_options *opt;
	struct document doc;
	struct arena arena;
	struct import_refs refs;
	enum action *org_actions, *person_actions, *program_actions;
};

/* Judges every record; fills the actions. Returns false on a store error. */
static bool import_judge(struct import *im, bool decoded_cleanly, struct report *r)
{
	struct document *doc = &im->doc;
	index_records(im->refs.orgs, doc->organizations.v, doc->organizations.n, sizeof(struct org),
		      offsetof(struct org, key), "organizations", "key", "organization", r);
	index_records(im->refs.people, doc->people.v, doc->people.n, sizeof(struct person),
		      offsetof(struct person, key), "people", "key", "person", r);
	GHashTable *programs = g_hash_table_new(g_str_hash, g_str_equal);
	index_records(programs, doc->programs.v, doc->programs.n, sizeof(struct program),
		      offsetof(struct program, slug), "programs", "slug", "program", r);
	g_hash_table_destroy(programs);

	const struct refs *refs = &im->refs.base;
	im->org_actions = arena_alloc(&im->arena, sizeof(enum action) * (doc->organizations.n + 1));
	im->person_actions = arena_alloc(&im->arena, sizeof(enum action) * (doc->people.n + 1));
	im->program_actions = arena_alloc(&im->arena, sizeof(enum action) * (doc->programs.n + 1));
	bool replace = im->opt->replace;
	/* with type errors the records are incomplete: comparing them with stored ones would mislead */
	struct report ignored;
	report_init(&ignored);
	struct report *conflicts = decoded_cleanly ? r : &ignored;
	for (size_t i = 0; i < doc->organizations.n; i++) {
		const struct org *o = &doc->organizations.v[i];
		char *at = g_strdup_printf("organizations[%zu]", i);
		org_check(o, at, refs, r);
		struct org stored;
		int rc = o->key ? org_store_get(im->store, o->key, &im->arena, &stored) : STORE_NOT_FOUND;
		if (rc == STORE_ERROR)
			return g_free(at), report_free(&ignored), false;
		if (rc == STORE_OK)
			im->org_actions[i] = compare_stored(&org_shape, o, &stored, at, "organization",
							    o->key, replace, conflicts);
		g_free(at);
	}
	for (size_t i = 0; i < doc->people.n; i++) {
		const struct person *p = &doc->people.v[i];
		char *at = g_strdup_printf("people[%zu]", i);
		person_check(p, at, refs, r);
		struct person stored;
		int rc = p->key ? person_store_get(im->store, p->key, &im->arena, &stored) : STORE_NOT_FOUND;
		if (rc == STORE_ERROR)
			return g_free(at), report_free(&ignored), false;
		if (rc == STORE_OK)
			im->person_actions[i] = compare_stored(&person_shape, p, &stored, at, "person",
							       p->key, replace, conflicts);
		g_free(at);
	}
	for (size_t i = 0; i < doc->programs.n; i++) {
		const struct program *p = &doc->programs.v[i];
		char *at = g_strdup_printf("programs[%zu]", i);
		program_check(p, at, refs, r);
		struct arena stored_arena = ARENA_INIT;
		struct program stored;
		int rc = p->slug ? program_store_get(im->store, p->slug, &stored_arena, &stored)
				 : STORE_NOT_FOUND;
		if (rc == STORE_OK)
			im->program_actions[i] = compare_stored(&program_shape, p, &stored, at, "program",
								p->slug, replace, conflicts);
		arena_free(&stored_arena);
		g_free(at);
		if (rc == STORE_ERROR)
			return report_free(&ignored), false;
	}
	report_free(&ignored);
	return !im->refs.failed;
}

static bool import_write(struct import *im)
{
	struct document *doc = &im->doc;
	for (size_t i = 0; i < doc->organizations.n; i++)
		if (im->org_actions[i] != ACTION_SKIP &&
		    org_store_put(im->store, &doc->organizations.v[i],
				  im->org_actions[i] == ACTION_UPDATE) != STORE_OK)
			return false;
	for (size_t i = 0; i < doc->organizations.n; i++)
		if (im->org_actions[i] != ACTION_SKIP &&
		    org_store_set_parent(im->store, doc->organizations.v[i].key,
					 doc->organizations.v[i].parent) != STORE_OK)
			return false;
	for (size_t i = 0; i < doc->people.n; i++)
		if (im->person_actions[i] != ACTION_SKIP &&
		    person_store_put(im->store, &doc->people.v[i], im->person_actions[i] == ACTION_UPDATE) !=
			    STORE_OK)
			return false;
	for (size_t i = 0; i < doc->programs.n; i++)
		if (im->program_actions[i] != ACTION_SKIP &&
		    program_store_put(im->store, &doc->programs.v[i],
				      im->program_actions[i] == ACTION_UPDATE) != STORE_OK)
			return false;
	return true;
}

/* Prefixes every line of from with "name: " into to. */
static void report_lines_named(struct report *to, const char *name, struct report *from)
{
	for (guint i = 0; i < from->lines->len; i++)
		report_add(to, NULL, NULL, "%s: %s", name, (const char *)g_ptr_array_index(from->lines, i));
	to->count += from->count - from->lines->len;
}

enum import_result exchange_import(struct store *s, const char *name, const char *data,
				   size_t len, const struct import_options *opt, struct report *r)
{
	json_error_t err;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!root) {
		if (strstr(err.text, "maximum parsing depth"))
			report_add(r, NULL, NULL, "%s:%d:%d: nested deeper than import.max_depth (%lld)",
				   name, err.line, err.column, opt->max_depth);
		else
			report_add(r, NULL, NULL, "%s:%d:%d: %s", name, err.line, err.column, err.text);
		return IMPORT_INVALID;
	}
	if (json_depth(root, opt->max_depth + 1) > opt->max_depth) {
		report_add(r, NULL, NULL, "%s: document is nested deeper than import.max_depth (%lld)",
			   name, opt->max_depth);
		json_decref(root);
		return IMPORT_INVALID;
	}
	struct import im = {.store = s, .opt = opt};
	struct report decoded, rules, found;
	report_init(&decoded);
	report_init(&rules);
	report_init(&found);
	exchange_decode(&document_shape, root, &im.doc, "", &im.arena, &decoded);
	if (json_is_object(root) && !im.doc.format &&
	    !json_object_get(root, "format"))
		report_add(&decoded, "format", NULL, "required, expected \"" EXCHANGE_FORMAT "\"");
	else if (im.doc.format && strcmp(im.doc.format, EXCHANGE_FORMAT) != 0)
		report_add(&decoded, "format", NULL, "'%s' is not a format this podium reads: expected \"" EXCHANGE_FORMAT "\"",
			   im.doc.format);

	enum import_result result = IMPORT_OK;
	GHashTable *decoded_paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < decoded.lines->len; i++) {
		const char *line = g_ptr_array_index(decoded.lines, i);
		const char *colon = strstr(line, ": ");
		g_hash_table_add(decoded_paths, colon ? g_strndup(line, (size_t)(colon - line)) : g_strdup(""));
	}
	im.refs = (struct import_refs){
		.base = {import_exists, import_org_parent},
		.store = s,
		.orgs = g_hash_table_new(g_str_hash, g_str_equal),
		.people = g_hash_table_new(g_str_hash, g_str_equal),
		.arena = &im.arena,
	};
	if (json_is_object(root) && store_prepare_bulk_write(s) == STORE_OK && store_begin(s) == STORE_OK) {
		if (!import_judge(&im, decoded.count == 0, &rules)) {
			result = IMPORT_STORE_ERROR;
		} else {
			report_lines_named(&found, name, &decoded);
			struct report merged;
			report_init(&merged);
			merge_rule_lines(&merged, &rules, decoded_paths);
			report_lines_named(&found, name, &merged);
			report_free(&merged);
			if (found.count)
				result = IMPORT_INVALID;
			else if (!import_write(&im) || store_commit(s) != STORE_OK)
				result = IMPORT_STORE_ERROR;
		}
		if (result != IMPORT_OK)
			store_rollback(s);
	} else if (json_is_object(root)) {
		result = IMPORT_STORE_ERROR;
	} else {
		report_lines_named(&found, name, &decoded);
		result = IMPORT_INVALID;
	}
	for (guint i = 0; i < found.lines->len; i++)
		report_add(r, NULL, NULL, "%s", (const char *)g_ptr_array_index(found.lines, i));
	r->count += found.count - found.lines->len;
	g_hash_table_destroy(decoded_paths);
	g_hash_table_destroy(im.refs.orgs);
	g_hash_table_destroy(im.refs.people);
	report_free(&decoded);
	report_free(&rules);
	report_free(&found);
	arena_free(&im.arena);
	json_decref(root);
	return result;
}
