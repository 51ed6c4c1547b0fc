/*
 * import.c: the import use case of podium-program/1 (exchange.h), in
 * stages: parse (jansson), decode (the field tables), judge (the features'
 * rules, references, conflicts with stored records) and write, all in one
 * transaction: on any problem nothing is written.
 */
#include <string.h>

#include "exchange/refs.h"
#include "exchange/schema.h"

enum action { ACTION_INSERT, ACTION_SKIP, ACTION_UPDATE };

struct import {
	struct store *store;
	const struct import_options *opt;
	const char *name;              /* the document's name in messages */
	json_t *root;
	struct document doc;
	struct arena arena;
	struct document_refs refs;
	enum action *org_actions, *person_actions, *program_actions;
	struct report decoded, rules;  /* type problems; rule problems and conflicts */
	GHashTable *decoded_paths;     /* paths of the decoded report: rules there are not repeated */
};

/* Line and column (in characters, from 1) of byte offset at in data. */
static void position_of(const char *data, size_t at, int *line, long *column)
{
	*line = 1;
	size_t start = 0;
	for (size_t i = 0; i < at; i++)
		if (data[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	*column = 1;
	for (size_t i = start; i < at; i++)
		*column += ((unsigned char)data[i] & 0xc0) != 0x80;
}

/* Reports the first byte of data that is not UTF-8 (NUL bytes are left to the parser). */
static bool check_utf8(struct import *im, const char *data, size_t len, struct report *r)
{
	const char *p = data, *end = data + len, *bad;
	while (!g_utf8_validate_len(p, (gsize)(end - p), &bad)) {
		if (*bad) {
			int line;
			long column;
			position_of(data, (size_t)(bad - data), &line, &column);
			report_add(r, NULL, NULL,
				   "%s:%d:%ld: not UTF-8: byte 0x%02X at %d:%ld; save the file as UTF-8",
				   im->name, line, column, (unsigned char)*bad, line, column);
			return false;
		}
		p = bad + 1;
	}
	return true;
}

/* Nesting depth of a JSON value (a scalar 0, an array or object 1 more than its deepest member), up to limit. */
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

/* Parses the bytes into im->root; false with the problem reported. */
static bool import_parse(struct import *im, const char *data, size_t len, struct report *r)
{
	if (!check_utf8(im, data, len, r))
		return false;
	json_error_t err;
	im->root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!im->root) {
		int column = MAX(err.column, 1); /* an empty document is column 1, not 0 */
		if (strstr(err.text, "maximum parsing depth"))
			report_add(r, NULL, NULL, "%s:%d:%d: nested deeper than import.max_depth (%lld)",
				   im->name, MAX(err.line, 1), column, im->opt->max_depth);
		else
			report_add(r, NULL, NULL, "%s:%d:%d: %s", im->name, MAX(err.line, 1), column,
				   err.text);
		return false;
	}
	if (json_depth(im->root, im->opt->max_depth + 1) > im->opt->max_depth) {
		report_add(r, NULL, NULL, "%s: document is nested deeper than import.max_depth (%lld)",
			   im->name, im->opt->max_depth);
		return false;
	}
	return true;
}

/* Decodes the document into records, reporting type problems in im->decoded. */
static bool import_decode(struct import *im)
{
	exchange_decode(&document_shape, im->root, &im->doc, "", &im->arena, &im->decoded);
	if (!json_is_object(im->root))
		return false;
	if (!im->doc.format && !json_object_get(im->root, "format"))
		report_add(&im->decoded, "format", NULL, "required, expected \"" EXCHANGE_FORMAT "\"");
	else if (im->doc.format && strcmp(im->doc.format, EXCHANGE_FORMAT) != 0)
		report_add(&im->decoded, "format", NULL,
			   "'%s' is not a format this podium reads: expected \"" EXCHANGE_FORMAT "\"",
			   im->doc.format);
	for (guint i = 0; i < im->decoded.paths->len; i++)
		g_hash_table_add(im->decoded_paths, g_strdup(g_ptr_array_index(im->decoded.paths, i)));
	return true;
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
			char at[REPORT_PATH_MAX];
			report_path_index(at, NULL, field, i);
			report_add(r, at, member, "duplicate %s '%s' (first at %s[%zu])", what, key, field,
				   (size_t)((const char *)first - (const char *)base) / size);
		} else {
			g_hash_table_insert(index, (gpointer)key, (gpointer)record);
		}
	}
}

/* The member that names an element of an array of records, or NULL when elements are named by index. */
static const char *identity_member(json_t *a, json_t *b)
{
	static const char *const members[] = {"key", "slug", "person"};
	json_t *first = json_array_size(a) ? json_array_get(a, 0) : json_array_get(b, 0);
	for (size_t m = 0; m < G_N_ELEMENTS(members); m++) {
		if (!json_is_string(json_object_get(first, members[m])))
			continue;
		bool all = true;
		for (size_t i = 0; all && i < json_array_size(a); i++)
			all = json_is_string(json_object_get(json_array_get(a, i), members[m]));
		for (size_t i = 0; all && i < json_array_size(b); i++)
			all = json_is_string(json_object_get(json_array_get(b, i), members[m]));
		if (all)
			return members[m];
	}
	return NULL;
}

static json_t *element_named(json_t *array, const char *member, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(array, i, e)
		if (strcmp(json_string_value(json_object_get(e, member)), name) == 0)
			return e;
	return NULL;
}

/*
 * Appends to differ the paths where a (the document's) and b (the stored
 * record's canonical JSON) differ: members by name, records of an array by
 * their key ("sessions['opening']"), other elements by index.
 */
static void json_differences(json_t *a, json_t *b, const char *path, GPtrArray *differ)
{
	if (a == b || (a && b && json_equal(a, b)))
		return;
	if (json_is_object(a) && json_is_object(b)) {
		const char *k;
		json_t *v;
		json_object_foreach(a, k, v) {
			char *at = report_path(path, k);
			json_differences(v, json_object_get(b, k), at, differ);
			g_free(at);
		}
		json_object_foreach(b, k, v) {
			if (json_object_get(a, k))
				continue;
			char *at = report_path(path, k);
			json_differences(NULL, v, at, differ);
			g_free(at);
		}
		return;
	}
	const char *member = json_is_array(a) && json_is_array(b) ? identity_member(a, b) : NULL;
	if (member) {
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e) {
			const char *name = json_string_value(json_object_get(e, member));
			char *at = g_strdup_printf("%s['%s']", path, name);
			json_differences(e, element_named(b, member, name), at, differ);
			g_free(at);
		}
		json_array_foreach(b, i, e) {
			const char *name = json_string_value(json_object_get(e, member));
			if (!element_named(a, member, name))
				g_ptr_array_add(differ, g_strdup_printf("%s['%s']", path, name));
		}
		return;
	}
	if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b) &&
	    json_array_size(a) && (json_is_object(json_array_get(a, 0)) || json_is_array(json_array_get(a, 0)))) {
		for (size_t i = 0; i < json_array_size(a); i++) {
			char *at = g_strdup_printf("%s[%zu]", path, i);
			json_differences(json_array_get(a, i), json_array_get(b, i), at, differ);
			g_free(at);
		}
		return;
	}
	g_ptr_array_add(differ, g_strdup(path));
}

enum { CONFLICT_PATHS_SHOWN = 5 };

/*
 * Compares a record of the document with the stored one of the same key
 * through their canonical JSON; reports a conflict naming where they
 * differ, unless replace.
 */
static enum action compare_stored(const struct shape *shape, const void *incoming,
				  const void *stored, const char *path, const char *what,
				  const char *key, bool replace, struct report *r)
{
	json_t *a = exchange_encode(shape, incoming), *b = exchange_encode(shape, stored);
	GPtrArray *differ = g_ptr_array_new_with_free_func(g_free);
	json_differences(a, b, "", differ);
	enum action act = differ->len == 0 ? ACTION_SKIP : replace ? ACTION_UPDATE : ACTION_INSERT;
	if (differ->len && !replace) {
		GString *list = g_string_new(NULL);
		for (guint i = 0; i < differ->len && i < CONFLICT_PATHS_SHOWN; i++)
			g_string_append_printf(list, "%s%s", i ? ", " : "",
					       (const char *)g_ptr_array_index(differ, i));
		if (differ->len > CONFLICT_PATHS_SHOWN)
			g_string_append_printf(list, " and %u more", differ->len - CONFLICT_PATHS_SHOWN);
		report_add(r, path, NULL,
			   "%s '%s' already exists with different data: %s differ%s (use --replace to update it)",
			   what, key, list->str, differ->len == 1 ? "s" : "");
		g_string_free(list, TRUE);
	}
	g_ptr_array_free(differ, TRUE);
	json_decref(a);
	json_decref(b);
	return act;
}

/* true when a problem was reported at path or inside it ("people[0]", "people[0].country"). */
static bool has_problem_within(const struct report *r, const char *path)
{
	size_t n = strlen(path);
	for (guint i = 0; i < r->paths->len; i++) {
		const char *p = g_ptr_array_index(r->paths, i);
		if (strncmp(p, path, n) == 0 && (p[n] == '\0' || p[n] == '.' || p[n] == '['))
			return true;
	}
	return false;
}

/*
 * The records of one kind: their rules, then the comparison with the
 * stored record of the same key, unless a problem was found in the record
 * (a bad reference is not also a conflict).
 */
struct kind {
	const char *field, *what;
	const struct shape *shape;
	const void *base;
	size_t n, size, key_offset;
	void (*check)(const void *record, const char *path, const struct refs *refs, struct report *r);
	int (*get)(struct store *s, const char *key, struct arena *a, void *out);
	enum action *actions;
};

static void check_org_record(const void *o, const char *path, const struct refs *refs, struct report *r)
{
	org_check(o, path, refs, r);
}
static void check_person_record(const void *p, const char *path, const struct refs *refs, struct report *r)
{
	person_check(p, path, refs, r);
}
static void check_program_record(const void *p, const char *path, const struct refs *refs, struct report *r)
{
	program_check(p, path, refs, r);
}
static int get_org(struct store *s, const char *key, struct arena *a, void *out)
{
	return org_store_get(s, key, a, out);
}
static int get_person(struct store *s, const char *key, struct arena *a, void *out)
{
	return person_store_get(s, key, a, out);
}
static int get_program(struct store *s, const char *key, struct arena *a, void *out)
{
	return program_store_get(s, key, a, out);
}

/* Judges the records of kind k; false on a store error. */
static bool judge_kind(struct import *im, const struct kind *k, bool compare)
{
	for (size_t i = 0; i < k->n; i++) {
		const char *record = (const char *)k->base + i * k->size;
		char at[REPORT_PATH_MAX];
		report_path_index(at, NULL, k->field, i);
		k->check(record, at, &im->refs.stored.base, &im->rules);
	}
	for (size_t i = 0; compare && i < k->n; i++) {
		const char *record = (const char *)k->base + i * k->size;
		const char *key = *(const char *const *)(record + k->key_offset);
		char at[REPORT_PATH_MAX];
		report_path_index(at, NULL, k->field, i);
		if (!key || has_problem_within(&im->rules, at) || has_problem_within(&im->decoded, at))
			continue;
		struct arena stored_arena = ARENA_INIT;
		char *stored = g_malloc0(k->shape->size);
		int rc = k->get(im->store, key, &stored_arena, stored);
		if (rc == STORE_OK)
			k->actions[i] = compare_stored(k->shape, record, stored, at, k->what, key,
						       im->opt->replace, &im->rules);
		g_free(stored);
		arena_free(&stored_arena);
		if (rc == STORE_ERROR)
			return false;
	}
	return true;
}

/* Judges every record; fills the actions. Returns false on a store error. */
static bool import_judge(struct import *im)
{
	struct document *doc = &im->doc;
	index_records(im->refs.orgs, doc->organizations.v, doc->organizations.n, sizeof(struct org),
		      offsetof(struct org, key), "organizations", "key", "organization", &im->rules);
	index_records(im->refs.people, doc->people.v, doc->people.n, sizeof(struct person),
		      offsetof(struct person, key), "people", "key", "person", &im->rules);
	GHashTable *programs = g_hash_table_new(g_str_hash, g_str_equal);
	index_records(programs, doc->programs.v, doc->programs.n, sizeof(struct program),
		      offsetof(struct program, slug), "programs", "slug", "program", &im->rules);
	g_hash_table_destroy(programs);
	im->org_actions = arena_alloc(&im->arena, sizeof(enum action) * (doc->organizations.n + 1));
	im->person_actions = arena_alloc(&im->arena, sizeof(enum action) * (doc->people.n + 1));
	im->program_actions = arena_alloc(&im->arena, sizeof(enum action) * (doc->programs.n + 1));
	const struct kind kinds[] = {
		{"organizations", "organization", &org_shape, doc->organizations.v, doc->organizations.n,
		 sizeof(struct org), offsetof(struct org, key), check_org_record, get_org, im->org_actions},
		{"people", "person", &person_shape, doc->people.v, doc->people.n, sizeof(struct person),
		 offsetof(struct person, key), check_person_record, get_person, im->person_actions},
		{"programs", "program", &program_shape, doc->programs.v, doc->programs.n,
		 sizeof(struct program), offsetof(struct program, slug), check_program_record,
		 get_program, im->program_actions},
	};
	/* with type errors the records are incomplete: comparing them with stored ones would mislead */
	bool compare = im->decoded.count == 0;
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (!judge_kind(im, &kinds[i], compare))
			return false;
	return !im->refs.stored.failed;
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

/* Counts what the write did, per kind. */
static void import_summarize(const struct import *im, struct import_summary *sum)
{
	const struct {
		const enum action *actions;
		size_t n;
		struct import_counts *counts;
	} kinds[] = {
		{im->org_actions, im->doc.organizations.n, &sum->organizations},
		{im->person_actions, im->doc.people.n, &sum->people},
		{im->program_actions, im->doc.programs.n, &sum->programs},
	};
	for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++)
		for (size_t i = 0; i < kinds[k].n; i++) {
			enum action a = kinds[k].actions[i];
			kinds[k].counts->added += a == ACTION_INSERT;
			kinds[k].counts->updated += a == ACTION_UPDATE;
			kinds[k].counts->unchanged += a == ACTION_SKIP;
		}
	size_t cap = 0;
	for (size_t i = 0; i < im->doc.programs.n; i++)
		*ARRAY_PUSH(sum->arena, sum->slugs, &cap) = arena_strdup(sum->arena, im->doc.programs.v[i].slug);
}

/* The problems to show: decoding's, then the rules' that decoding did not already report at their path. */
static void import_problems(struct import *im, struct report *r)
{
	report_merge(r, im->name, &im->decoded);
	for (guint i = 0; i < im->rules.lines->len; i++) {
		if (g_hash_table_contains(im->decoded_paths, g_ptr_array_index(im->rules.paths, i)))
			continue;
		r->count++;
		if (r->lines->len < REPORT_MAX_LINES) {
			g_ptr_array_add(r->lines, g_strconcat(im->name, ": ",
							      (const char *)g_ptr_array_index(im->rules.lines, i), NULL));
			g_ptr_array_add(r->paths, g_strdup(g_ptr_array_index(im->rules.paths, i)));
		}
	}
	r->count += im->rules.count - im->rules.lines->len;
}

/* Judges and writes the decoded document in one transaction. */
static enum import_result import_transaction(struct import *im, struct report *r,
					     struct import_summary *sum)
{
	if (store_prepare_bulk_write(im->store) != STORE_OK || store_begin(im->store) != STORE_OK)
		return IMPORT_STORE_ERROR;
	enum import_result result = IMPORT_OK;
	if (!import_judge(im)) {
		result = IMPORT_STORE_ERROR;
	} else {
		import_problems(im, r);
		if (r->count)
			result = IMPORT_INVALID;
		else if (!import_write(im) || store_commit(im->store) != STORE_OK)
			result = IMPORT_STORE_ERROR;
	}
	if (result != IMPORT_OK)
		store_rollback(im->store);
	else if (sum)
		import_summarize(im, sum);
	return result;
}

enum import_result exchange_import(struct store *s, const char *name, const char *data,
				   size_t len, const struct import_options *opt, struct report *r,
				   struct import_summary *sum)
{
	struct import im = {.store = s, .opt = opt, .name = name};
	report_init(&im.decoded);
	report_init(&im.rules);
	im.decoded_paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	document_refs_init(&im.refs, s, &im.arena);
	enum import_result result = IMPORT_INVALID;
	if (import_parse(&im, data, len, r)) {
		if (import_decode(&im))
			result = import_transaction(&im, r, sum);
		else
			report_merge(r, name, &im.decoded);
	}
	document_refs_free(&im.refs);
	g_hash_table_destroy(im.decoded_paths);
	report_free(&im.decoded);
	report_free(&im.rules);
	arena_free(&im.arena);
	json_decref(im.root);
	return result;
}

/* Appends "1 program, 11 people, 4 organizations" of the counts chosen by which to out. */
static bool append_counts(GString *out, const struct import_summary *sum,
			  size_t (*which)(const struct import_counts *c))
{
	const struct {
		const struct import_counts *c;
		const char *one, *many;
	} kinds[] = {
		{&sum->programs, "program", "programs"},
		{&sum->people, "person", "people"},
		{&sum->organizations, "organization", "organizations"},
	};
	bool any = false;
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		size_t n = which(kinds[i].c);
		if (!n)
			continue;
		g_string_append_printf(out, "%s%zu %s", any ? ", " : "", n,
				       n == 1 ? kinds[i].one : kinds[i].many);
		any = true;
	}
	return any;
}

static size_t added_of(const struct import_counts *c)
{
	return c->added;
}

static size_t updated_of(const struct import_counts *c)
{
	return c->updated;
}

char *exchange_summary_line(const struct import_summary *sum)
{
	GString *line = g_string_new("imported");
	for (size_t i = 0; i < sum->slugs.n; i++)
		g_string_append_printf(line, "%s%s", i ? ", " : " ", sum->slugs.v[i]);
	g_string_append(line, ": ");
	size_t start = line->len;
	if (append_counts(line, sum, added_of))
		g_string_append(line, " added");
	size_t mark = line->len;
	if (mark > start)
		g_string_append(line, ", ");
	if (append_counts(line, sum, updated_of))
		g_string_append(line, " updated");
	else
		g_string_truncate(line, mark);
	size_t unchanged = sum->programs.unchanged + sum->people.unchanged + sum->organizations.unchanged;
	if (line->len == start)
		g_string_append_printf(line, "nothing changed (%zu unchanged)", unchanged);
	else if (unchanged)
		g_string_append_printf(line, ", %zu unchanged", unchanged);
	return g_string_free(line, FALSE);
}
