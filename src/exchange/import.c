/*
 * import.c: the import use case of podium-program/1 (exchange.h), all in
 * one transaction: on any problem nothing is written.
 *
 * Two threads share the work. The judge thread reads the document in
 * chunks, decodes it as it streams (decoder.c), checks each record with the
 * features' rules and compares it with the stored record of the same key
 * through a connection of its own (which sees the database as it was);
 * each record whose references are all known by then is handed on. The
 * calling thread writes what it is handed, in that order, in the
 * transaction; once any problem is found it writes no more, and at the end
 * it commits, or rolls back and reports every problem.
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "core/catalog.h"
#include "exchange/decoder.h"
#include "exchange/refs.h"
#include "exchange/schema.h"
#include "news/photo.h"
#include "settings/settings.h"

enum action { ACTION_INSERT, ACTION_SKIP, ACTION_UPDATE };
/* JUDGE_BATCH: records judged together, their stored counterparts read in a few queries */
enum { CHUNK_BYTES = 1 << 16, CONFLICT_PATHS_SHOWN = 5, JUDGE_BATCH = 256 };

/* A decoded top-level record, waiting for the records it may name. */
struct pending {
	enum section section;
	size_t index;
	void *record;
	bool problems; /* decoding reported a problem inside it */
};

/* What the writer is handed: a record and what to do with it; no record ends. */
struct write_item {
	enum section section;
	void *record;
	enum action action;
};

struct import {
	struct store *store;            /* the writer's: the transaction */
	struct store *reader;           /* the judge's: the database before the import */
	const struct import_options *opt;
	const struct import_source *source;
	const char *name;
	struct arena arena;             /* the records, decoded by the judge, read by the writer */
	struct document doc;
	/* the judge's */
	struct decoder *decoder;
	struct document_refs refs;
	GHashTable *first[SECTION_COUNT]; /* key -> index of its first record, for duplicates */
	struct report decoded, rules, conflicts, malformed;
	bool ended[SECTION_COUNT];
	GArray *pending[SECTION_COUNT]; /* struct pending */
	GArray *actions[SECTION_COUNT]; /* enum action, by index */
	bool source_failed, reader_failed;
	bool nothing_stored;            /* the database was empty: no stored record to read */
	/* between the two */
	GAsyncQueue *queue;             /* struct write_item * */
	gint problems;                  /* the judge found a problem: the writer stops writing */
	/* the writer's */
	bool write_failed;
	GPtrArray *written_orgs;        /* const struct org *, for their parents at the end */
};

static const char *const section_fields[] = {"organizations", "people", "programs"};
static const char *const section_records[] = {N_("organization"), N_("person"), N_("program")};

/* ------------------------------------------------------------ comparing with the stored record */

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
			g_string_append_printf(list, report_tr(r, " and %u more"),
					       differ->len - CONFLICT_PATHS_SHOWN);
		if (differ->len == 1)
			report_add(r, path, NULL,
				   "%s '%s' already exists with different data: %s differs (use --replace to update it)",
				   report_tr(r, what), key, list->str);
		else
			report_add(r, path, NULL,
				   "%s '%s' already exists with different data: %s differ (use --replace to update it)",
				   report_tr(r, what), key, list->str);
		g_string_free(list, TRUE);
	}
	g_ptr_array_free(differ, TRUE);
	json_decref(a);
	json_decref(b);
	return act;
}

/* ------------------------------------------------------------ the judge thread */

/* What a record of a section is: its shape, key, rule and stored counterpart. */
static const struct shape *shape_of(enum section s)
{
	return s == SECTION_ORGANIZATIONS ? &org_shape : s == SECTION_PEOPLE ? &person_shape : &program_shape;
}

static const char *key_of(enum section s, const void *record)
{
	return s == SECTION_ORGANIZATIONS ? ((const struct org *)record)->key
	     : s == SECTION_PEOPLE ? ((const struct person *)record)->key
	     : ((const struct program *)record)->slug;
}

static void check_record(struct import *im, enum section s, const void *record, const char *path)
{
	const struct refs *refs = &im->refs.stored.base;
	if (s == SECTION_ORGANIZATIONS)
		org_check(record, path, refs, &im->rules);
	else if (s == SECTION_PEOPLE)
		person_check(record, path, refs, &im->rules);
	else
		program_check(record, path, refs, &im->rules);
}

/* The stored records among keys, in found: key -> the record (a program's slug, for programs). */
static int find_stored(struct store *reader, enum section s, const char *const *keys, size_t n,
		       struct arena *a, GHashTable *found)
{
	return s == SECTION_ORGANIZATIONS ? org_store_find(reader, keys, n, a, found)
	     : s == SECTION_PEOPLE ? person_store_find(reader, keys, n, a, found)
	     : program_store_find(reader, keys, n, a, found);
}

static void record_action(struct import *im, enum section s, size_t index, enum action a)
{
	GArray *actions = im->actions[s];
	if (actions->len <= index)
		g_array_set_size(actions, index + 1);
	g_array_index(actions, enum action, index) = a;
}

static void found_problem(struct import *im)
{
	g_atomic_int_set(&im->problems, 1);
}

/*
 * Judges one record: its rules, then the stored record of its key (found
 * holds the batch's, or is NULL when they could not be read); hands it to
 * the writer when fine.
 */
static void judge(struct import *im, const struct pending *p, GHashTable *found)
{
	char path[REPORT_PATH_MAX];
	report_path_index(path, NULL, section_fields[p->section], p->index);
	size_t before = im->rules.count;
	check_record(im, p->section, p->record, path);
	bool problems = p->problems || im->rules.count > before || im->refs.stored.failed;
	enum action action = ACTION_INSERT;
	const char *key = key_of(p->section, p->record);
	if (!problems && key && !found) {
		im->reader_failed = problems = true;
	} else if (!problems && key && g_hash_table_contains(found, key)) {
		struct arena stored_arena = ARENA_INIT;
		void *stored = g_hash_table_lookup(found, key);
		int rc = STORE_OK;
		if (p->section == SECTION_PROGRAMS) { /* found holds its slug: read the whole program */
			stored = arena_alloc(&stored_arena, sizeof(struct program));
			rc = program_store_get(im->reader, key, &stored_arena, stored);
		}
		if (rc == STORE_OK) {
			size_t conflicts = im->conflicts.count;
			action = compare_stored(shape_of(p->section), p->record, stored, path,
						section_records[p->section], key, im->opt->replace,
						&im->conflicts);
			problems = im->conflicts.count > conflicts;
		} else {
			im->reader_failed = problems = true;
		}
		arena_free(&stored_arena);
	}
	record_action(im, p->section, p->index, action);
	if (problems) {
		found_problem(im);
	} else if (action != ACTION_SKIP) {
		struct write_item *item = g_new(struct write_item, 1);
		*item = (struct write_item){p->section, p->record, action};
		g_async_queue_push(im->queue, item);
	}
}

/* true when every list the records of section may name has ended. */
static bool references_known(const struct import *im, enum section s)
{
	return im->ended[SECTION_ORGANIZATIONS] && (s != SECTION_PROGRAMS || im->ended[SECTION_PEOPLE]);
}

/* Judges n records of one section, reading the stored records of their keys at once. */
static void judge_batch(struct import *im, enum section s, const struct pending *batch, size_t n)
{
	struct arena a = ARENA_INIT;
	GHashTable *found = g_hash_table_new(g_str_hash, g_str_equal);
	const char **keys = g_new(const char *, n);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!batch[i].problems && key_of(s, batch[i].record))
			keys[k++] = key_of(s, batch[i].record);
	bool read = im->nothing_stored || find_stored(im->reader, s, keys, k, &a, found) == STORE_OK;
	for (size_t i = 0; i < n; i++)
		judge(im, &batch[i], read ? found : NULL);
	g_free(keys);
	g_hash_table_destroy(found);
	arena_free(&a);
}

/*
 * Judges, in the order of their dependencies, the records whose references
 * are known now: a batch at a time, or all of them once their section ended.
 */
static void judge_pending(struct import *im)
{
	for (int s = 0; s < SECTION_COUNT; s++) {
		if (!references_known(im, s))
			continue;
		GArray *list = im->pending[s];
		if (list->len < JUDGE_BATCH && !im->ended[s])
			continue;
		for (guint i = 0; i < list->len; i += JUDGE_BATCH)
			judge_batch(im, s, &g_array_index(list, struct pending, i),
				    MIN(JUDGE_BATCH, list->len - i));
		g_array_set_size(list, 0);
	}
}

/* Reports the second occurrence of a key among the document's records of a section; registers the first. */
static void index_record(struct import *im, enum section s, size_t index, void *record)
{
	const char *key = key_of(s, record);
	if (!key)
		return;
	gpointer first;
	if (g_hash_table_lookup_extended(im->first[s], key, NULL, &first)) {
		char at[REPORT_PATH_MAX];
		report_path_index(at, NULL, section_fields[s], index);
		report_add(&im->rules, at, s == SECTION_PROGRAMS ? "slug" : "key",
			   "duplicate %s '%s' (first at %s[%zu])", report_tr(&im->rules, section_records[s]), key,
			   section_fields[s], GPOINTER_TO_SIZE(first));
		found_problem(im);
		return;
	}
	g_hash_table_insert(im->first[s], (gpointer)key, GSIZE_TO_POINTER(index));
	if (s != SECTION_PROGRAMS)
		g_hash_table_insert(s == SECTION_ORGANIZATIONS ? im->refs.orgs : im->refs.people,
				    (gpointer)key, record);
}

static void on_record(void *ctx, enum section s, size_t index, void *record, bool problems)
{
	struct import *im = ctx;
	if (problems)
		found_problem(im);
	index_record(im, s, index, record);
	struct pending p = {s, index, record, problems};
	g_array_append_val(im->pending[s], p);
	if (references_known(im, s))
		judge_pending(im);
}

static void on_section_end(void *ctx, enum section s)
{
	struct import *im = ctx;
	im->ended[s] = true;
	judge_pending(im);
}

static const struct decoder_events events = {on_record, on_section_end};

/* The judge thread: reads, decodes and judges the document, handing records to the writer. */
static gpointer judge_thread(gpointer data)
{
	struct import *im = data;
	char *chunk = g_malloc(CHUNK_BYTES);
	bool ok = true;
	for (;;) {
		size_t got = 0;
		if (im->source->read(im->source->ctx, chunk, CHUNK_BYTES, &got) != 0) {
			im->source_failed = true;
			break;
		}
		if (!got) {
			ok = decoder_finish(im->decoder);
			break;
		}
		if (!(ok = decoder_feed(im->decoder, chunk, got)))
			break;
	}
	g_free(chunk);
	if (ok && !im->source_failed) {
		for (int s = 0; s < SECTION_COUNT; s++)
			im->ended[s] = true;
		judge_pending(im);
	}
	if (!ok || im->source_failed || im->malformed.count || im->decoded.count || im->rules.count)
		found_problem(im);
	g_async_queue_push(im->queue, g_new0(struct write_item, 1)); /* the end */
	return NULL;
}

/* ------------------------------------------------------------ the writer */

static bool write_item(struct import *im, const struct write_item *item)
{
	bool update = item->action == ACTION_UPDATE;
	switch (item->section) {
	case SECTION_ORGANIZATIONS:
		g_ptr_array_add(im->written_orgs, item->record);
		return org_store_put(im->store, item->record, update) == STORE_OK;
	case SECTION_PEOPLE:
		return person_store_put(im->store, item->record, update) == STORE_OK;
	default:
		return program_store_put(im->store, item->record, update) == STORE_OK;
	}
}

/* Writes what the judge hands on until it ends; the organizations' parents last. */
static void import_write(struct import *im)
{
	for (;;) {
		struct write_item *item = g_async_queue_pop(im->queue);
		bool end = !item->record;
		if (!end && !im->write_failed && !g_atomic_int_get(&im->problems))
			im->write_failed = !write_item(im, item);
		g_free(item);
		if (end)
			break;
	}
	for (guint i = 0; i < im->written_orgs->len && !im->write_failed && !g_atomic_int_get(&im->problems); i++) {
		const struct org *o = g_ptr_array_index(im->written_orgs, i);
		im->write_failed = org_store_set_parent(im->store, o->key, o->parent) != STORE_OK;
	}
}

/* ------------------------------------------------------------ a file as a source */

int exchange_file_read(void *ctx, char *buf, size_t cap, size_t *got)
{
	struct file_source *f = ctx;
	*got = fread(buf, 1, cap, f->in);
	f->total += (long long)*got;
	if (f->total > f->max) {
		f->too_large = true;
		return -1;
	}
	if (*got == 0 && ferror(f->in)) {
		f->error = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ the whole */

/* Counts what was written, per kind. */
static void import_summarize(const struct import *im, struct import_summary *sum)
{
	struct import_counts *counts[SECTION_COUNT] = {&sum->organizations, &sum->people, &sum->programs};
	for (int s = 0; s < SECTION_COUNT; s++)
		for (guint i = 0; i < im->actions[s]->len; i++) {
			enum action a = g_array_index(im->actions[s], enum action, i);
			counts[s]->added += a == ACTION_INSERT;
			counts[s]->updated += a == ACTION_UPDATE;
			counts[s]->unchanged += a == ACTION_SKIP;
		}
	size_t cap = 0;
	for (size_t i = 0; i < im->doc.programs.n; i++)
		*ARRAY_PUSH(sum->arena, sum->slugs, &cap) = arena_strdup(sum->arena, im->doc.programs.v[i].slug);
}

/*
 * The problems to show: a malformed document's only; else decoding's, the
 * rules' that decoding did not already report at their path, and conflicts
 * when the records decoded cleanly (else comparing them would mislead).
 */
static void import_problems(struct import *im, struct report *r)
{
	if (im->malformed.count) {
		report_merge(r, NULL, &im->malformed);
		return;
	}
	report_merge(r, im->name, &im->decoded);
	GHashTable *decoded_paths = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < im->decoded.paths->len; i++)
		g_hash_table_add(decoded_paths, g_ptr_array_index(im->decoded.paths, i));
	struct report kept;
	report_init_like(&kept, r);
	for (guint i = 0; i < im->rules.lines->len; i++)
		if (!g_hash_table_contains(decoded_paths, g_ptr_array_index(im->rules.paths, i))) {
			g_ptr_array_add(kept.lines, g_strdup(g_ptr_array_index(im->rules.lines, i)));
			g_ptr_array_add(kept.paths, g_strdup(g_ptr_array_index(im->rules.paths, i)));
			kept.count++;
		}
	kept.count += im->rules.count - im->rules.lines->len;
	report_merge(r, im->name, &kept);
	if (!im->decoded.count)
		report_merge(r, im->name, &im->conflicts);
	report_free(&kept);
	g_hash_table_destroy(decoded_paths);
}

/* r: the caller's report, whose language the import's own reports take */
static void import_init(struct import *im, const struct report *r)
{
	report_init_like(&im->decoded, r);
	report_init_like(&im->rules, r);
	report_init_like(&im->conflicts, r);
	report_init_like(&im->malformed, r);
	for (int s = 0; s < SECTION_COUNT; s++) {
		im->first[s] = g_hash_table_new(g_str_hash, g_str_equal);
		im->pending[s] = g_array_new(FALSE, FALSE, sizeof(struct pending));
		im->actions[s] = g_array_new(FALSE, TRUE, sizeof(enum action));
	}
	im->queue = g_async_queue_new();
	im->written_orgs = g_ptr_array_new();
	im->decoder = decoder_new(im->name, im->opt->max_depth, &im->arena, &im->doc, &im->decoded,
				  &im->malformed, &events, im);
}

static void import_free(struct import *im)
{
	decoder_free(im->decoder);
	if (im->reader)
		document_refs_free(&im->refs);
	store_close(im->reader);
	for (int s = 0; s < SECTION_COUNT; s++) {
		g_hash_table_destroy(im->first[s]);
		g_array_free(im->pending[s], TRUE);
		g_array_free(im->actions[s], TRUE);
	}
	g_async_queue_unref(im->queue);
	g_ptr_array_free(im->written_orgs, TRUE);
	report_free(&im->decoded);
	report_free(&im->rules);
	report_free(&im->conflicts);
	report_free(&im->malformed);
	arena_free(&im->arena);
}

/* Asks opt->may_write about each program of the document; the refusals go to r. */
static bool import_allowed(struct import *im, struct report *r)
{
	if (!im->opt->may_write)
		return true;
	bool allowed = true;
	for (size_t i = 0; i < im->doc.programs.n; i++) {
		const struct program *p = &im->doc.programs.v[i];
		bool exists = g_array_index(im->actions[SECTION_PROGRAMS], enum action, i) != ACTION_INSERT;
		const char *why = im->opt->may_write(im->opt->ctx, p, exists);
		if (why) {
			char path[REPORT_PATH_MAX];
			report_add(r, report_path_index(path, NULL, "programs", i), NULL, "%s", why);
			allowed = false;
		}
	}
	return allowed;
}

/*
 * Keeps the file of one photo (at path) that is not stored: read from dir
 * as HASH.EXT, its bytes hashing to its name, proved an image and given its
 * renditions. Problems go to r; STORE_ERROR when the store failed.
 */
static int import_photo_file(struct import *im, const char *dir, const char *hash, const char *path,
			     const struct photo_limits *limits, struct report *r)
{
	static const char *const extensions[] = {"jpg", "png", "webp"};
	char *file = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(extensions) && !file; i++) {
		char *name = g_strdup_printf("%s.%s", hash, extensions[i]);
		file = g_build_filename(dir, name, NULL);
		g_free(name);
		if (!g_file_test(file, G_FILE_TEST_IS_REGULAR))
			g_clear_pointer(&file, g_free);
	}
	if (!file) {
		char *missing = g_build_filename(dir, hash, NULL);
		report_add(r, path, "file", report_tr(r, N_("the file %s.jpg (or .png, .webp) is missing")), missing);
		g_free(missing);
		return STORE_OK;
	}
	int rc = STORE_OK;
	/* read in parts, never whole: hashed, then decoded, then stored from the file */
	FILE *f = fopen(file, "rb");
	char actual[PHOTO_HASH_HEX + 1];
	uint64_t len = 0;
	if (!f || !photo_hash_file(f, actual, &len)) {
		const char *why = g_strerror(errno); /* before anything else may set errno */
		report_add(r, path, "file", report_tr(r, N_("the file %s cannot be read: %s")), file, why);
		goto cleanup;
	}
	if (strcmp(actual, hash) != 0) {
		report_add(r, path, "file", report_tr(r, N_("the bytes of %s do not match its name (their SHA-256 is %s)")),
			   file, actual);
		goto cleanup;
	}
	struct photo_made m;
	const char *problem = NULL;
	if (photo_adopt(f, len, actual, limits, &m, &problem) != 0) {
		report_add(r, path, "file", "the file %s is refused: %s", file, report_tr(r, problem));
		goto cleanup;
	}
	rc = photo_store_keep_made(im->store, &m);
	photo_made_clear(&m);
cleanup:
	if (f)
		fclose(f);
	g_free(file);
	return rc;
}

/* Finds the file of every photo of the document stored, or keeps it from opt->files_dir. */
static int import_photo_files(struct import *im, struct report *r)
{
	long long bytes, pixels;
	if (settings_get(im->store, "photos.max_bytes", &bytes) != STORE_OK ||
	    settings_get(im->store, "photos.max_pixels", &pixels) != STORE_OK)
		return STORE_ERROR;
	struct photo_limits limits = {(uint64_t)bytes, (uint64_t)pixels};
	for (size_t i = 0; i < im->doc.programs.n; i++) {
		const struct program *p = &im->doc.programs.v[i];
		char at_program[REPORT_PATH_MAX], at_article[REPORT_PATH_MAX], at[REPORT_PATH_MAX];
		report_path_index(at_program, NULL, "programs", i);
		for (size_t j = 0; j < p->articles.n; j++) {
			const struct article *a = &p->articles.v[j];
			report_path_index(at_article, at_program, "articles", j);
			for (size_t k = 0; k < a->photos.n; k++) {
				const char *hash = a->photos.v[k].file;
				bool has;
				if (!hash)
					continue;
				if (photo_store_has(im->store, hash, &has) != STORE_OK)
					return STORE_ERROR;
				if (has)
					continue;
				report_path_index(at, at_article, "photos", k);
				if (!im->opt->files_dir)
					report_add(r, at, "file",
						   "%s", report_tr(r, N_("names a file this database does not have: "
									 "import it with --files DIR")));
				else if (import_photo_file(im, im->opt->files_dir, hash, at, &limits, r) != STORE_OK)
					return STORE_ERROR;
			}
		}
	}
	return STORE_OK;
}

/* Writes the audit entry of each program the import wrote, in its transaction. */
static int import_audit(struct import *im)
{
	if (!im->opt->audit_actor)
		return STORE_OK;
	struct arena a = ARENA_INIT;
	struct import_summary sum = {.arena = &a};
	import_summarize(im, &sum);
	int rc = STORE_OK;
	for (size_t i = 0; i < im->doc.programs.n && rc == STORE_OK; i++) {
		enum action act = g_array_index(im->actions[SECTION_PROGRAMS], enum action, i);
		json_t *fields = json_pack("{s:s,s:s,s:b,s:{s:I,s:I,s:I},s:{s:I,s:I,s:I}}", "via", im->opt->audit_via,
					   "program", act == ACTION_INSERT ? "added" : act == ACTION_UPDATE ? "updated"
												: "unchanged",
					   "replace", im->opt->replace, "people", "added", (json_int_t)sum.people.added,
					   "updated", (json_int_t)sum.people.updated, "unchanged",
					   (json_int_t)sum.people.unchanged, "organizations", "added",
					   (json_int_t)sum.organizations.added, "updated",
					   (json_int_t)sum.organizations.updated, "unchanged",
					   (json_int_t)sum.organizations.unchanged);
		char *text = json_dumps(fields, JSON_COMPACT);
		json_decref(fields);
		const char *slug = im->doc.programs.v[i].slug;
		struct audit_entry e = {.at = g_get_real_time() / G_USEC_PER_SEC, .actor = im->opt->audit_actor,
					.program = slug, .action = "import",
					.record = arena_printf(&a, "program %s", slug), .fields = text};
		rc = audit_store_add(im->store, &e);
		free(text);
	}
	if (!im->doc.programs.n) { /* people and organizations only */
		char *text = g_strdup_printf("{\"via\":\"%s\",\"people\":%zu,\"organizations\":%zu}",
					     im->opt->audit_via, im->doc.people.n, im->doc.organizations.n);
		struct audit_entry e = {.at = g_get_real_time() / G_USEC_PER_SEC, .actor = im->opt->audit_actor,
					.action = "import", .record = "people and organizations", .fields = text};
		rc = audit_store_add(im->store, &e);
		g_free(text);
	}
	arena_free(&a);
	return rc;
}

enum import_result exchange_import(struct store *s, const char *name, const struct import_source *source,
				   const struct import_options *opt, struct report *r,
				   struct import_summary *sum)
{
	struct import im = {.store = s, .opt = opt, .source = source, .name = name};
	import_init(&im, r);
	enum import_result result = IMPORT_STORE_ERROR;
	char *error = NULL;
	im.reader = store_open_another(s, &error);
	if (!im.reader) {
		store_note_error(s, error);
		g_free(error);
		import_free(&im);
		return IMPORT_STORE_ERROR;
	}
	/*
	 * Into an empty database (asked under the writers' lock, so no other
	 * import can fill it meanwhile) the writer takes the tables for itself:
	 * the judge then reads nothing from the store, which has nothing.
	 */
	bool empty = false;
	if (store_begin_bulk(s) != STORE_OK || store_is_empty(s, &empty) != STORE_OK ||
	    (empty && store_bulk_take_tables(s) != STORE_OK)) {
		store_rollback(s);
		document_refs_init(&im.refs, NULL, &im.arena);
		import_free(&im);
		return IMPORT_STORE_ERROR;
	}
	im.nothing_stored = empty;
	document_refs_init(&im.refs, empty ? NULL : im.reader, &im.arena);
	GThread *judge = g_thread_new("import-judge", judge_thread, &im);
	import_write(&im);
	g_thread_join(judge);
	if (im.source_failed) {
		result = IMPORT_SOURCE_ERROR;
	} else if (im.reader_failed || im.refs.stored.failed) {
		store_copy_error(s, im.reader);
	} else if (!im.write_failed) {
		import_problems(&im, r);
		result = IMPORT_INVALID;
		if (!r->count && !import_allowed(&im, r))
			result = IMPORT_FORBIDDEN;
		else if (!r->count && import_photo_files(&im, r) != STORE_OK)
			result = IMPORT_STORE_ERROR;
		else if (!r->count)
			result = import_audit(&im) == STORE_OK &&
						 (!opt->before_commit || opt->before_commit(opt->commit_ctx, s) == STORE_OK) &&
						 store_commit(s) == STORE_OK
					 ? IMPORT_OK
					 : IMPORT_STORE_ERROR;
	}
	if (result != IMPORT_OK)
		store_rollback(s);
	else if (sum)
		import_summarize(&im, sum);
	import_free(&im);
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

enum { SLUGS_NAMED = 3 };

char *exchange_summary_line(const struct import_summary *sum)
{
	GString *line = g_string_new("imported");
	for (size_t i = 0; i < sum->slugs.n && i < SLUGS_NAMED; i++)
		g_string_append_printf(line, "%s%s", i ? ", " : " ", sum->slugs.v[i]);
	if (sum->slugs.n > SLUGS_NAMED)
		g_string_append_printf(line, " and %zu more", sum->slugs.n - SLUGS_NAMED);
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
