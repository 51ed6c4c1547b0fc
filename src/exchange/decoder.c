/*
 * decoder.c: the streaming decoder of podium-program/1 (decoder.h). YAJL
 * calls back for each JSON event; a stack of frames, one per open object
 * or array, says which record and field each value goes to, driven by the
 * field tables of schema.c. Paths are kept in one growing buffer and only
 * written out when a problem is reported.
 */
#include "exchange/decoder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "core/catalog.h"
#include "exchange/schema.h"

enum frame_kind {
	FRAME_RECORD,  /* an object decoded into a record of shape */
	FRAME_RECORDS, /* an array of records of shape (FIELD_LIST) */
	FRAME_STRINGS, /* an array of texts (FIELD_STRINGS) */
	FRAME_SKIP,    /* an object or array whose values go nowhere (already reported) */
	FRAME_TRANSLATIONS, /* a translations object: one version per member, keyed by tag */
	FRAME_TRANSLATION,  /* one version: texts of the fields of translatable */
	FRAME_TRANSLATION_MAP, /* a version's map member (translatable->map): texts by key */
};

enum { TEXT_MAP = -2 }; /* struct frame.text: the member is the version's map */

enum { KEYS_SCANNED = 16 }; /* past this many members, an object's keys go into a hash table */

struct frame {
	enum frame_kind kind;
	bool is_object;             /* FRAME_SKIP: an object (its keys are checked) or an array */
	const struct shape *shape;  /* RECORD: its shape; RECORDS: the elements' */
	char *record;               /* RECORD: where it is decoded */
	const struct field *field;  /* RECORD: the field of the current member, NULL when unknown */
	strv *list;                 /* RECORDS, STRINGS, TRANSLATIONS: the ARRAY being filled (any ARRAY has its layout) */
	const struct translatable *translatable; /* TRANSLATIONS, TRANSLATION: the record's fields */
	struct translation *version; /* TRANSLATION, TRANSLATION_MAP: where it is decoded */
	int text;                   /* TRANSLATION: the field of the current member, -1 when unknown, TEXT_MAP */
	size_t cap;                 /* its capacity */
	size_t path_len;            /* the path up to this container */
	/* the keys seen in an object, for duplicates: scanned when few, hashed when many */
	GPtrArray *keys;
	GHashTable *key_set;
	enum section section;       /* a top-level list, or SECTION_COUNT */
	size_t problems_before;     /* a top-level record: decoded->count when it started */
};

/*
 * Where the scan of \u escapes is: YAJL decodes a lone UTF-16 surrogate
 * (\ud800 without its pair) into '?', silently; jansson refused it, and so
 * does podium, before YAJL sees it.
 */
struct escapes {
	enum { ESC_TEXT, ESC_BACKSLASH, ESC_HEX, ESC_WANT_BACKSLASH, ESC_WANT_U } state;
	int hex_left;       /* ESC_HEX: digits still to read */
	unsigned code;      /* ESC_HEX: the code unit so far */
	bool want_low;      /* a high surrogate was read: its low half must follow */
};

struct decoder {
	const char *name;
	long long max_depth;
	struct arena *arena;
	struct document *doc;
	struct report *decoded, *malformed;
	const struct decoder_events *events;
	void *ctx;
	yajl_handle yajl;
	GArray *frames;             /* struct frame, the innermost last */
	GString *path;
	bool started, document, failed, format_seen;
	/* where the parse is, for messages: the offset of the chunk being parsed, lines before it */
	const char *chunk;
	long line, column_chars;    /* at the start of the chunk: line (from 1), characters into it */
	char utf8_carry[4];         /* the start of a character cut by the end of the last chunk */
	size_t carry_len;
	struct escapes escapes;     /* \u escapes, which YAJL would turn into '?' when lone surrogates */
};

static struct frame *top(struct decoder *d)
{
	return d->frames->len ? &g_array_index(d->frames, struct frame, d->frames->len - 1) : NULL;
}

/* Line and column (characters, from 1) of byte offset at of the chunk being parsed. */
static void position(const struct decoder *d, size_t at, long *line, long *column)
{
	*line = d->line;
	long chars = d->column_chars;
	for (size_t i = 0; i < at; i++) {
		unsigned char c = (unsigned char)d->chunk[i];
		if (c == '\n') {
			(*line)++;
			chars = 0;
		} else if ((c & 0xc0) != 0x80) {
			chars++;
		}
	}
	*column = chars + 1;
}

/*
 * Reports a malformed document at byte offset at of the chunk; decoding
 * stops. fmt (marked N_() at the call) is written in the report's language.
 */
static void malformed_at(struct decoder *d, size_t at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void malformed_at(struct decoder *d, size_t at, const char *fmt, ...)
{
	if (d->failed)
		return;
	d->failed = true;
	long line, column;
	position(d, at, &line, &column);
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(report_tr(d->malformed, fmt), ap);
	va_end(ap);
	report_add(d->malformed, NULL, NULL, "%s:%ld:%ld: %s", d->name, line, column, msg);
	g_free(msg);
}

/* The offset in the chunk YAJL has reached. */
static size_t here(const struct decoder *d)
{
	return yajl_get_bytes_consumed(d->yajl);
}

static void path_truncate(struct decoder *d, size_t len)
{
	g_string_truncate(d->path, len);
}

static void path_member(struct decoder *d, const char *name, size_t len)
{
	if (d->path->len)
		g_string_append_c(d->path, '.');
	g_string_append_len(d->path, name, (gssize)len);
}

static void path_index(struct decoder *d, size_t index)
{
	g_string_append_printf(d->path, "[%zu]", index);
}

static const char *type_name_of(int type)
{
	static const char *const names[] = {N_("an object"), N_("an array"), N_("a text"),
					    N_("an integer"), N_("a number with a fraction"),
					    N_("a boolean"), N_("null")};
	return names[type];
}

enum json_type { JT_OBJECT, JT_ARRAY, JT_TEXT, JT_INTEGER, JT_REAL, JT_BOOLEAN, JT_NULL };

/* What a field or element expects, for type messages (in English: report_type translates it). */
static const char *expected_of(const struct field *f)
{
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_ZONE:
	case FIELD_INSTANT:
		return N_("a text");
	case FIELD_INT:
		return N_("an integer");
	case FIELD_STRINGS:
	case FIELD_LIST:
		return N_("an array");
	case FIELD_OBJECT:
		return f->shape->what;
	case FIELD_TRANSLATIONS:
		return N_("an object of translations by language tag");
	}
	return N_("a value");
}

/* Reports a value of type found where expected (English, marked N_()) was. */
static void report_type(struct decoder *d, const char *expected, enum json_type found)
{
	if (found == JT_NULL)
		report_add(d->decoded, d->path->str, NULL, "null is not allowed: leave the field out, expected %s",
			   report_tr(d->decoded, expected));
	else
		report_add(d->decoded, d->path->str, NULL, "expected %s, found %s",
			   report_tr(d->decoded, expected), report_tr(d->decoded, type_name_of(found)));
}

static void push_frame(struct decoder *d, struct frame f)
{
	f.path_len = d->path->len;
	g_array_append_val(d->frames, f);
}

/* Opens a container: checks the depth, and makes the frame it decodes into. */
static bool open_container(struct decoder *d, bool is_object);

/*
 * Where the next value of the innermost frame goes: sets *field (a record's
 * member; NULL for an unknown member) or *element (an element of a list),
 * after appending the element's index to the path.
 */
enum target {
	TARGET_FIELD, TARGET_RECORD_ELEMENT, TARGET_STRING_ELEMENT, TARGET_NOWHERE, TARGET_DOCUMENT,
	TARGET_VERSION,     /* a member of a translations object: a version (its tag is pushed) */
	TARGET_VERSION_TEXT, /* a member of a version: one translated text */
	TARGET_VERSION_MAP,  /* the map member of a version: an object of texts */
	TARGET_MAP_TEXT      /* a member of a version's map: one text */
};

static enum target value_target(struct decoder *d, struct frame **f)
{
	*f = top(d);
	if (!*f)
		return TARGET_DOCUMENT;
	switch ((*f)->kind) {
	case FRAME_RECORD:
		return (*f)->field ? TARGET_FIELD : TARGET_NOWHERE;
	case FRAME_RECORDS:
		path_truncate(d, (*f)->path_len);
		path_index(d, (*f)->list->n);
		return TARGET_RECORD_ELEMENT;
	case FRAME_STRINGS:
		path_truncate(d, (*f)->path_len);
		path_index(d, (*f)->list->n);
		return TARGET_STRING_ELEMENT;
	case FRAME_SKIP:
		return TARGET_NOWHERE;
	case FRAME_TRANSLATIONS:
		return (*f)->list->n ? TARGET_VERSION : TARGET_NOWHERE;
	case FRAME_TRANSLATION:
		return (*f)->text >= 0 ? TARGET_VERSION_TEXT : (*f)->text == TEXT_MAP ? TARGET_VERSION_MAP : TARGET_NOWHERE;
	case FRAME_TRANSLATION_MAP:
		return (*f)->version->map.n ? TARGET_MAP_TEXT : TARGET_NOWHERE;
	}
	return TARGET_NOWHERE;
}

/* A new zeroed element of a list frame (an element with a wrong type keeps its place). */
static void *list_push(struct decoder *d, struct frame *f, size_t size)
{
	return arena_push(d->arena, &f->list->v, &f->list->n, &f->cap, size);
}

/* A scalar value: a text (s, len), a number (text of type JT_INTEGER or JT_REAL), a boolean, null. */
static int on_scalar(struct decoder *d, enum json_type type, const char *s, size_t len)
{
	struct frame *f;
	enum target t = value_target(d, &f);
	if (t == TARGET_DOCUMENT) {
		d->started = true;
		report_type(d, document_shape.what, type);
		return 1;
	}
	if (t == TARGET_NOWHERE)
		return 1;
	if (t == TARGET_RECORD_ELEMENT) {
		list_push(d, f, f->shape->size);
		report_type(d, f->shape->what, type);
		return 1;
	}
	if (t == TARGET_VERSION) {
		report_type(d, N_("an object of translated fields"), type);
		return 1;
	}
	if (t == TARGET_VERSION_MAP) {
		report_type(d, N_("an object of texts by key"), type);
		return 1;
	}
	const char **string_slot = NULL;
	const struct field *field = f->field;
	if (t == TARGET_STRING_ELEMENT)
		string_slot = list_push(d, f, sizeof(char *));
	else if (t == TARGET_VERSION_TEXT)
		string_slot = &f->version->text[f->text];
	else if (t == TARGET_MAP_TEXT)
		string_slot = &f->version->map.v[f->version->map.n - 1].text;
	else if (field->type == FIELD_TEXT || field->type == FIELD_ZONE || field->type == FIELD_INSTANT)
		string_slot = (const char **)(f->record + field->offset);
	if (string_slot) {
		if (type != JT_TEXT) {
			report_type(d, N_("a text"), type);
			return 1;
		}
		const char *nul = memchr(s, '\0', len);
		if (nul) {
			report_add(d->decoded, d->path->str, NULL,
				   "control character U+0000 at character %ld is not allowed",
				   g_utf8_strlen(s, nul - s) + 1);
			return 1;
		}
		const char *text = arena_strndup(d->arena, s, len);
		if (t == TARGET_FIELD && field->type == FIELD_INSTANT) {
			struct instant *at = (struct instant *)(f->record + field->offset);
			if (!(at->set = value_parse_instant(text, &at->utc)))
				report_add(d->decoded, d->path->str, NULL,
					   "'%s' is not an instant: expected YYYY-MM-DDTHH:MM:SS+HH:MM "
					   "(with seconds and an offset or Z, no fraction)", text);
			else if (!value_year_in_range(text))
				report_add(d->decoded, d->path->str, NULL,
					   "%s is outside the years Podium accepts (%d to %d)", text,
					   VALUE_YEAR_MIN, VALUE_YEAR_MAX);
			return 1;
		}
		*string_slot = text;
		return 1;
	}
	if (field->type == FIELD_INT) {
		if (type != JT_INTEGER) {
			report_type(d, N_("an integer"), type);
			return 1;
		}
		char *text = g_strndup(s, len);
		errno = 0;
		long long v = strtoll(text, NULL, 10);
		int saved = errno;
		g_free(text);
		if (saved == ERANGE) {
			malformed_at(d, here(d), N_("too big integer"));
			return 0;
		}
		*(struct opt_int *)(f->record + field->offset) = (struct opt_int){true, v};
		return 1;
	}
	report_type(d, expected_of(field), type);
	return 1;
}

static int cb_null(void *ctx)
{
	return on_scalar(ctx, JT_NULL, NULL, 0);
}

static int cb_boolean(void *ctx, int value)
{
	(void)value;
	return on_scalar(ctx, JT_BOOLEAN, NULL, 0);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	struct decoder *d = ctx;
	bool real = memchr(s, '.', len) || memchr(s, 'e', len) || memchr(s, 'E', len);
	if (!real) {
		/* an integer that does not fit is malformed JSON, wherever it stands */
		char *text = g_strndup(s, len);
		errno = 0;
		(void)strtoll(text, NULL, 10);
		int saved = errno;
		g_free(text);
		if (saved == ERANGE) {
			malformed_at(d, here(d), N_("too big integer"));
			return 0;
		}
	}
	return on_scalar(d, real ? JT_REAL : JT_INTEGER, s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return on_scalar(ctx, JT_TEXT, (const char *)s, len);
}

static bool open_container(struct decoder *d, bool is_object)
{
	if ((long long)d->frames->len + 1 > d->max_depth) {
		malformed_at(d, here(d), N_("nested deeper than import.max_depth (%lld)"), d->max_depth);
		return false;
	}
	struct frame *f;
	enum target t = value_target(d, &f);
	enum json_type found = is_object ? JT_OBJECT : JT_ARRAY;
	struct frame next = {.kind = FRAME_SKIP, .is_object = is_object, .section = SECTION_COUNT};
	switch (t) {
	case TARGET_DOCUMENT:
		d->started = true;
		if (is_object) {
			d->document = true;
			next = (struct frame){.kind = FRAME_RECORD, .is_object = true,
					      .shape = &document_shape, .record = (char *)d->doc,
					      .section = SECTION_COUNT};
		} else {
			report_type(d, document_shape.what, JT_ARRAY);
		}
		break;
	case TARGET_NOWHERE:
		break;
	case TARGET_RECORD_ELEMENT: {
		char *record = list_push(d, f, f->shape->size);
		if (is_object) {
			next = (struct frame){.kind = FRAME_RECORD, .is_object = true, .shape = f->shape,
					      .record = record, .section = f->section,
					      .problems_before = d->decoded->count};
		} else {
			report_type(d, f->shape->what, found);
		}
		break;
	}
	case TARGET_STRING_ELEMENT:
		list_push(d, f, sizeof(char *));
		report_type(d, N_("a text"), found);
		break;
	case TARGET_VERSION:
		if (is_object)
			next = (struct frame){.kind = FRAME_TRANSLATION, .is_object = true,
					      .translatable = f->translatable, .text = -1,
					      .version = (struct translation *)f->list->v + f->list->n - 1,
					      .section = SECTION_COUNT};
		else
			report_type(d, N_("an object of translated fields"), found);
		break;
	case TARGET_VERSION_TEXT:
	case TARGET_MAP_TEXT:
		report_type(d, N_("a text"), found);
		break;
	case TARGET_VERSION_MAP:
		if (is_object) {
			f->version->has_map = true;
			next = (struct frame){.kind = FRAME_TRANSLATION_MAP, .is_object = true, .version = f->version,
					      .section = SECTION_COUNT};
		} else {
			report_type(d, N_("an object of texts by key"), found);
		}
		break;
	case TARGET_FIELD: {
		const struct field *field = f->field;
		bool top_list = f->record == (char *)d->doc;
		if (is_object && field->type == FIELD_OBJECT) {
			next = (struct frame){.kind = FRAME_RECORD, .is_object = true, .shape = field->shape,
					      .record = f->record + field->offset, .section = SECTION_COUNT};
		} else if (is_object && field->type == FIELD_TRANSLATIONS) {
			translations *list = (translations *)(f->record + field->offset);
			*list = (translations){0};
			next = (struct frame){.kind = FRAME_TRANSLATIONS, .is_object = true,
					      .translatable = field->translatable, .list = (strv *)list,
					      .section = SECTION_COUNT};
		} else if (!is_object && (field->type == FIELD_LIST || field->type == FIELD_STRINGS)) {
			strv *list = (strv *)(f->record + field->offset);
			*list = (strv){0};
			next = (struct frame){.kind = field->type == FIELD_LIST ? FRAME_RECORDS : FRAME_STRINGS,
					      .shape = field->shape, .list = list,
					      .section = top_list ? (enum section)(field - document_shape.fields - 1)
								  : SECTION_COUNT};
		} else {
			report_type(d, expected_of(field), found);
		}
		break;
	}
	}
	push_frame(d, next);
	return true;
}

static int cb_start_map(void *ctx)
{
	return open_container(ctx, true);
}

static int cb_start_array(void *ctx)
{
	return open_container(ctx, false);
}

/* Records key in the object of frame f; false when the object already has it. */
static bool key_is_new(struct frame *f, const char *key, size_t len)
{
	if (!f->keys)
		f->keys = g_ptr_array_new_with_free_func(g_free);
	if (f->key_set) {
		char *copy = g_strndup(key, len);
		if (g_hash_table_contains(f->key_set, copy)) {
			g_free(copy);
			return false;
		}
		g_hash_table_add(f->key_set, copy);
		return true;
	}
	for (guint i = 0; i < f->keys->len; i++) {
		const char *seen = g_ptr_array_index(f->keys, i);
		if (strlen(seen) == len && memcmp(seen, key, len) == 0 && !memchr(key, '\0', len))
			return false;
	}
	g_ptr_array_add(f->keys, g_strndup(key, len));
	if (f->keys->len > KEYS_SCANNED) {
		f->key_set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (guint i = 0; i < f->keys->len; i++)
			g_hash_table_add(f->key_set, g_strdup(g_ptr_array_index(f->keys, i)));
	}
	return true;
}

/* A member of a translations object: a new version for the tag key. */
static int version_key(struct decoder *d, struct frame *f, const char *key, size_t len)
{
	struct translation *v = list_push(d, f, sizeof *v);
	if (memchr(key, '\0', len)) {
		report_add(d->decoded, d->path->str, NULL, "a language tag has no control character U+0000");
		v->tag = "";
	} else {
		v->tag = arena_strndup(d->arena, key, len);
	}
	return 1;
}

/* A member of a version: the translatable field it names. */
static int version_member(struct decoder *d, struct frame *f, const char *key, size_t len)
{
	f->text = -1;
	const char *map = f->translatable->map;
	if (map && strlen(map) == len && memcmp(map, key, len) == 0) {
		f->text = TEXT_MAP;
		return 1;
	}
	for (size_t i = 0; i < f->translatable->n; i++) {
		const char *name = f->translatable->names[i];
		if (strlen(name) == len && memcmp(name, key, len) == 0) {
			f->text = (int)i;
			return 1;
		}
	}
	char *names = translatable_names(f->translatable);
	report_add(d->decoded, d->path->str, NULL, "unknown field of a translation of %s (expected one of %s)",
		   report_tr(d->decoded, f->translatable->what), names);
	g_free(names);
	return 1;
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct decoder *d = ctx;
	struct frame *f = top(d);
	if (!key_is_new(f, (const char *)key, len)) {
		malformed_at(d, here(d), N_("duplicate object key"));
		return 0;
	}
	if (f->kind == FRAME_TRANSLATION_MAP) {
		path_truncate(d, f->path_len);
		path_member(d, (const char *)key, len);
		struct translated_entry *e = arena_push(d->arena, &f->version->map.v, &f->version->map.n, &f->cap,
							 sizeof *e);
		if (memchr(key, '\0', len))
			report_add(d->decoded, d->path->str, NULL, "a key has no control character U+0000");
		else
			e->key = arena_strndup(d->arena, (const char *)key, len);
		if (!e->key)
			e->key = "";
		return 1;
	}
	if (f->kind == FRAME_TRANSLATIONS || f->kind == FRAME_TRANSLATION) {
		path_truncate(d, f->path_len);
		path_member(d, (const char *)key, len);
		return f->kind == FRAME_TRANSLATIONS ? version_key(d, f, (const char *)key, len)
						     : version_member(d, f, (const char *)key, len);
	}
	if (f->kind != FRAME_RECORD)
		return 1;
	path_truncate(d, f->path_len);
	path_member(d, (const char *)key, len);
	f->field = NULL;
	for (size_t i = 0; i < f->shape->n_fields; i++) {
		const char *name = f->shape->fields[i].name;
		if (strlen(name) == len && memcmp(name, key, len) == 0) {
			f->field = &f->shape->fields[i];
			break;
		}
	}
	if (!f->field)
		report_add(d->decoded, d->path->str, NULL, "unknown field of %s (expected one of %s)",
			   report_tr(d->decoded, f->shape->what), f->shape->names);
	else if (f->record == (char *)d->doc && f->field->offset == offsetof(struct document, format))
		d->format_seen = true;
	return 1;
}

/* Closes the innermost container; tells the events of a finished top-level record or list. */
static int close_container(struct decoder *d)
{
	struct frame f = *top(d);
	g_array_set_size(d->frames, d->frames->len - 1);
	path_truncate(d, f.path_len);
	if (f.keys)
		g_ptr_array_free(f.keys, TRUE);
	if (f.key_set)
		g_hash_table_destroy(f.key_set);
	struct frame *parent = top(d);
	if (f.kind == FRAME_RECORD && f.section != SECTION_COUNT && parent && d->events->record)
		d->events->record(d->ctx, f.section, parent->list->n - 1, f.record,
				  d->decoded->count > f.problems_before);
	else if ((f.kind == FRAME_RECORDS) && f.section != SECTION_COUNT && d->events->section_end)
		d->events->section_end(d->ctx, f.section);
	return 1;
}

static int cb_end(void *ctx)
{
	return close_container(ctx);
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

static void *yajl_malloc_glib(void *ctx, size_t size)
{
	(void)ctx;
	return g_malloc(size);
}

static void *yajl_realloc_glib(void *ctx, void *p, size_t size)
{
	(void)ctx;
	return g_realloc(p, size);
}

static void yajl_free_glib(void *ctx, void *p)
{
	(void)ctx;
	g_free(p);
}

static yajl_alloc_funcs glib_allocation = {yajl_malloc_glib, yajl_realloc_glib, yajl_free_glib, NULL};

struct decoder *decoder_new(const char *name, long long max_depth, struct arena *a,
			    struct document *doc, struct report *decoded, struct report *malformed,
			    const struct decoder_events *events, void *ctx)
{
	struct decoder *d = g_new0(struct decoder, 1);
	*d = (struct decoder){.name = name, .max_depth = max_depth, .arena = a, .doc = doc,
			      .decoded = decoded, .malformed = malformed, .events = events, .ctx = ctx,
			      .line = 1};
	d->yajl = yajl_alloc(&callbacks, &glib_allocation, d);
	/* every byte was checked to be UTF-8 before YAJL sees it (check_utf8), with its position */
	yajl_config(d->yajl, yajl_dont_validate_strings, 1);
	d->frames = g_array_new(FALSE, TRUE, sizeof(struct frame));
	d->path = g_string_sized_new(256);
	return d;
}

/* Moves the position past the len bytes of the chunk just parsed. */
static void advance(struct decoder *d, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		d->line++;
		d->column_chars = 0;
		p = nl + 1;
	}
	for (; p < end; p++)
		d->column_chars += ((unsigned char)*p & 0xc0) != 0x80;
}

static void report_not_utf8(struct decoder *d, size_t at, unsigned char byte)
{
	long line, column;
	position(d, at, &line, &column);
	malformed_at(d, at, N_("not UTF-8: byte 0x%02X at %ld:%ld; save the file as UTF-8"), byte, line,
		     column);
}

/*
 * Checks that data is UTF-8, a character cut by the end of the last chunk
 * included (NUL bytes are left to the parser, which knows where they are).
 */
static bool check_utf8(struct decoder *d, const char *data, size_t len)
{
	size_t i = 0;
	while (d->carry_len && i < len) {
		d->utf8_carry[d->carry_len++] = data[i++];
		gunichar c = g_utf8_get_char_validated(d->utf8_carry, (gssize)d->carry_len);
		if (c == (gunichar)-2 && d->carry_len < 4)
			continue;
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			report_not_utf8(d, 0, (unsigned char)d->utf8_carry[0]);
			return false;
		}
		d->carry_len = 0;
	}
	const char *p = data + i, *end = data + len, *bad;
	while (!g_utf8_validate_len(p, (gsize)(end - p), &bad)) {
		if (!*bad) {
			p = bad + 1;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(bad, end - bad);
		if (c == (gunichar)-2 && end - bad < 4) {
			d->carry_len = (size_t)(end - bad);
			memcpy(d->utf8_carry, bad, d->carry_len);
			return true;
		}
		report_not_utf8(d, (size_t)(bad - data), (unsigned char)*bad);
		return false;
	}
	return true;
}

static bool bad_escape(struct decoder *d, size_t at, unsigned code)
{
	malformed_at(d, at, N_("invalid Unicode '\\u%04X': a lone half of a UTF-16 surrogate pair"), code);
	return false;
}

/* Scans data for \u escapes of lone surrogates (backslashes outside texts are YAJL's errors). */
static bool check_escapes(struct decoder *d, const char *data, size_t len)
{
	struct escapes *e = &d->escapes;
	const char *p = data, *end = data + len;
	while (p < end) {
		char c = *p;
		switch (e->state) {
		case ESC_TEXT:
			p = memchr(p, '\\', (size_t)(end - p));
			if (!p)
				return true;
			e->state = ESC_BACKSLASH;
			break;
		case ESC_BACKSLASH:
			if (c == 'u') {
				e->state = ESC_HEX;
				e->hex_left = 4;
				e->code = 0;
			} else if (e->want_low) {
				return bad_escape(d, (size_t)(p - data), 0xD800);
			} else {
				e->state = ESC_TEXT;
			}
			break;
		case ESC_HEX:
			if (!g_ascii_isxdigit(c)) {
				e->state = ESC_TEXT; /* not an escape YAJL takes: its own error */
				e->want_low = false;
				continue;
			}
			e->code = e->code * 16 + (unsigned)g_ascii_xdigit_value(c);
			if (--e->hex_left)
				break;
			if (e->code >= 0xD800 && e->code <= 0xDBFF) {
				if (e->want_low)
					return bad_escape(d, (size_t)(p - data), e->code);
				e->want_low = true;
				e->state = ESC_WANT_BACKSLASH;
			} else if (e->code >= 0xDC00 && e->code <= 0xDFFF) {
				if (!e->want_low)
					return bad_escape(d, (size_t)(p - data), e->code);
				e->want_low = false;
				e->state = ESC_TEXT;
			} else {
				if (e->want_low)
					return bad_escape(d, (size_t)(p - data), 0xD800);
				e->state = ESC_TEXT;
			}
			break;
		case ESC_WANT_BACKSLASH:
			if (c != '\\')
				return bad_escape(d, (size_t)(p - data), 0xD800);
			e->state = ESC_WANT_U;
			break;
		case ESC_WANT_U:
			if (c != 'u')
				return bad_escape(d, (size_t)(p - data), 0xD800);
			e->state = ESC_HEX;
			e->hex_left = 4;
			e->code = 0;
			break;
		}
		p++;
	}
	return true;
}

/* Reports the error YAJL stopped at (a callback that stopped it has reported already). */
static void report_yajl(struct decoder *d, yajl_status status, size_t at)
{
	if (status == yajl_status_client_canceled || d->failed)
		return;
	unsigned char *text = yajl_get_error(d->yajl, 0, NULL, 0);
	char *msg = g_strstrip(g_strdup((const char *)text));
	yajl_free_error(d->yajl, text);
	malformed_at(d, at, "%s", msg);
	g_free(msg);
}

bool decoder_feed(struct decoder *d, const char *data, size_t len)
{
	if (d->failed)
		return false;
	d->chunk = data;
	if (!check_utf8(d, data, len) || !check_escapes(d, data, len))
		return false;
	yajl_status status = yajl_parse(d->yajl, (const unsigned char *)data, len);
	if (status != yajl_status_ok) {
		report_yajl(d, status, MIN(here(d), len));
		return false;
	}
	advance(d, data, len);
	return true;
}

bool decoder_finish(struct decoder *d)
{
	if (d->failed)
		return false;
	d->chunk = "";
	if (d->carry_len) {
		report_not_utf8(d, 0, (unsigned char)d->utf8_carry[0]);
		return false;
	}
	yajl_status status = yajl_complete_parse(d->yajl);
	if (status != yajl_status_ok) {
		report_yajl(d, status, 0);
		return false;
	}
	if (!d->started) {
		malformed_at(d, 0, N_("expected a JSON document, found nothing"));
		return false;
	}
	if (d->document && !d->format_seen)
		report_add(d->decoded, "format", NULL, "required, expected \"%s\"", EXCHANGE_FORMAT);
	else if (d->doc->format && strcmp(d->doc->format, EXCHANGE_FORMAT) != 0)
		report_add(d->decoded, "format", NULL,
			   "'%s' is not a format this podium reads: expected \"%s\"", d->doc->format,
			   EXCHANGE_FORMAT);
	return true;
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	for (guint i = 0; i < d->frames->len; i++) {
		struct frame *f = &g_array_index(d->frames, struct frame, i);
		if (f->keys)
			g_ptr_array_free(f->keys, TRUE);
		if (f->key_set)
			g_hash_table_destroy(f->key_set);
	}
	g_array_free(d->frames, TRUE);
	g_string_free(d->path, TRUE);
	yajl_free(d->yajl);
	g_free(d);
}
