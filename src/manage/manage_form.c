/* manage_form.c: forms made from tables of fields (manage_form.h). */
#include "manage/manage_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/translation.h"
#include "core/tz.h"
#include "settings/settings.h"

enum { ROWS_MAX = 1000 };

/* A form value trimmed, or NULL when empty (arena copy). */
static const char *value_of(struct request *r, const char *name)
{
	const char *v = request_form(r, name);
	if (!v)
		return NULL;
	char *t = g_strstrip(arena_strdup(&r->arena, v));
	return *t ? t : NULL;
}

static json_t *typed(const struct field_spec *f, const char *text, GTimeZone *zone)
{
	switch (f->input) {
	case INPUT_INT: {
		char *end;
		long long n = strtoll(text, &end, 10);
		return *end || strlen(text) > 18 ? json_string(text) : json_integer(n);
	}
	case INPUT_LIST: {
		json_t *list = json_array();
		gchar **parts = g_strsplit_set(text, ",\n", -1);
		for (gchar **p = parts; *p; p++) {
			char *one = g_strstrip(*p);
			if (*one)
				json_array_append_new(list, json_string(one));
		}
		g_strfreev(parts);
		return list;
	}
	case INPUT_TIME: {
		int64_t utc;
		if (!zone || !tz_parse_local(zone, text, &utc))
			return json_string(text); /* the decoder says what an instant must look like */
		char out[32];
		tz_format_instant(zone, utc, out);
		return json_string(out);
	}
	default:
		return json_string(text);
	}
}

const char *const *form_languages(struct request *r)
{
	size_t n = 0;
	while (site_languages[n])
		n++;
	const char **list = arena_alloc(&r->arena, (n + 1) * sizeof *list);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!r->reading.original || !language_same(site_languages[i], r->reading.original))
			list[k++] = site_languages[i];
	list[k] = NULL;
	return list;
}

/* The form's field name of the translation into tag of field (g_free). */
static char *translation_field(const char *prefix, const char *tag, const char *field)
{
	return g_strconcat(prefix, "translations-", tag, "-", field, NULL);
}

/* Whether texts names field. */
static bool is_text(const struct translatable *texts, const char *field)
{
	for (size_t k = 0; texts && k < texts->n; k++)
		if (strcmp(texts->names[k], field) == 0)
			return true;
	return false;
}

json_t *form_record(struct request *r, const char *prefix, const struct field_spec *spec,
		    const struct translatable *texts, GTimeZone *zone)
{
	json_t *record = json_object(), *typed_texts = json_object();
	for (const struct field_spec *f = spec; f->name; f++) {
		char *name = g_strconcat(prefix, f->name, NULL);
		const char *v = value_of(r, name);
		if (v)
			json_object_set_new(record, f->name, typed(f, v, zone));
		g_free(name);
		for (const char *const *tag = form_languages(r); is_text(texts, f->name) && *tag; tag++) {
			char *field = translation_field(prefix, *tag, f->name);
			const char *text = value_of(r, field);
			g_free(field);
			if (!text)
				continue;
			if (!json_object_get(typed_texts, *tag))
				json_object_set_new(typed_texts, *tag, json_object());
			json_object_set_new(json_object_get(typed_texts, *tag), f->name, json_string(text));
		}
	}
	if (json_object_size(typed_texts))
		json_object_set(record, "translations", typed_texts);
	json_decref(typed_texts);
	return record;
}

struct row {
	long long order;
	int index;
	json_t *record;
};

static int row_order(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->order != y->order ? (x->order < y->order ? -1 : 1) : x->index - y->index;
}

void form_keep_translations(struct request *r, const char *prefix, json_t *record, json_t *stored)
{
	json_t *typed = json_object_get(record, "translations");
	json_t *all = typed ? json_deep_copy(typed) : json_object();
	const char *tag, *name;
	json_t *version, *text;
	json_object_foreach (json_is_object(stored) ? stored : NULL, tag, version) {
		json_object_foreach (version, name, text) {
			char *field = translation_field(prefix, tag, name);
			bool typed_here = request_form(r, field) != NULL; /* the form decides, emptied or not */
			g_free(field);
			if (typed_here || !json_object_get(record, name))
				continue;
			if (!json_object_get(all, tag))
				json_object_set_new(all, tag, json_object());
			json_object_set(json_object_get(all, tag), name, text);
		}
	}
	if (json_object_size(all))
		json_object_set(record, "translations", all);
	else
		json_object_del(record, "translations");
	json_decref(all);
}

void form_keep_rows_translations(struct request *r, const char *prefix, json_t *rows, json_t *stored_rows,
				 GArray *kept)
{
	for (guint i = 0; i < kept->len && i < json_array_size(rows); i++) {
		int number = g_array_index(kept, int, i);
		json_t *stored = json_array_get(stored_rows, (size_t)number);
		char *base = g_strdup_printf("%s-%d-", prefix, number);
		form_keep_translations(r, base, json_array_get(rows, i), json_object_get(stored, "translations"));
		g_free(base);
	}
}

json_t *form_rows(struct request *r, const char *prefix, const struct field_spec *spec,
		  const struct translatable *texts, GTimeZone *zone, GArray *kept)
{
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct row));
	for (int i = 0; i < ROWS_MAX; i++) {
		char *base = g_strdup_printf("%s-%d-", prefix, i);
		char *order = g_strconcat(base, "order", NULL), *remove = g_strconcat(base, "remove", NULL);
		bool present = request_form(r, order) != NULL;
		for (const struct field_spec *f = spec; !present && f->name; f++) {
			char *name = g_strconcat(base, f->name, NULL);
			present = request_form(r, name) != NULL;
			g_free(name);
		}
		if (present && !request_form(r, remove)) {
			json_t *record = form_record(r, base, spec, texts, zone);
			const char *o = value_of(r, order);
			struct row row = {o ? strtoll(o, NULL, 10) : i + 1, i, record};
			if (json_object_size(record))
				g_array_append_val(rows, row);
			else
				json_decref(record);
		}
		g_free(order);
		g_free(remove);
		g_free(base);
		if (!present)
			break;
	}
	g_array_sort(rows, row_order);
	json_t *list = json_array();
	for (guint i = 0; i < rows->len; i++) {
		struct row *row = &g_array_index(rows, struct row, i);
		json_array_append_new(list, row->record);
		if (kept)
			g_array_append_val(kept, row->index);
	}
	g_array_free(rows, TRUE);
	return list;
}

/* A JSON value as a form shows it. */
static char *shown(const struct field_spec *f, json_t *v)
{
	if (!v)
		return g_strdup("");
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		/* an instant of the exchange format, as a datetime-local value in its own zone */
		if (f->input == INPUT_TIME && strlen(s) >= 16 && s[10] == 'T')
			return g_strndup(s, 16);
		return g_strdup(s);
	}
	if (json_is_integer(v))
		return g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_array(v)) {
		GString *out = g_string_new(NULL);
		size_t i;
		json_t *e;
		json_array_foreach (v, i, e)
			g_string_append_printf(out, "%s%s", i ? ", " : "", json_is_string(e) ? json_string_value(e) : "?");
		return g_string_free(out, FALSE);
	}
	return g_strdup("");
}

static const char *html_type(enum input in)
{
	switch (in) {
	case INPUT_INT: return "number";
	case INPUT_DATE: return "date";
	case INPUT_TIME: return "datetime-local";
	case INPUT_EMAIL: return "email";
	case INPUT_URL: return "url";
	default: return "text";
	}
}

/* The view of field f named name, its value from record's member (value: NULL when absent). */
static json_t *field_view(const struct field_spec *f, const char *name, json_t *value, json_t *errors)
{
	char *text = shown(f, value);
	json_t *error = errors ? json_object_get(errors, name) : NULL;
	json_t *field = json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:O?}", "id", name, "name", name, "label", f->label,
				  "required", f->required, "value", text, "type", html_type(f->input), "error", error);
	if (error) /* shown here: not again at the top (form_leftover) */
		json_object_del(errors, name);
	if (f->input == INPUT_SELECT) {
		json_t *options = json_array();
		if (!f->required)
			json_array_append_new(options, json_pack("{s:s,s:s,s:b}", "value", "", "label", "—",
								  "selected", !*text));
		bool known = !*text;
		for (const char *const *c = f->choices; *c; c++) {
			known |= strcmp(*c, text) == 0;
			json_array_append_new(options, json_pack("{s:s,s:s,s:b}", "value", *c, "label", *c,
								  "selected", strcmp(*c, text) == 0));
		}
		if (!known) /* what was typed elsewhere stays visible, to be judged */
			json_array_append_new(options, json_pack("{s:s,s:s,s:b}", "value", text, "label", text,
								  "selected", true));
		json_object_set_new(field, "select", options);
	} else if (f->input == INPUT_TEXTAREA) {
		json_object_set_new(field, "textarea", json_true());
	} else {
		json_object_set_new(field, "input", json_true());
	}
	g_free(text);
	return field;
}

json_t *form_view(const char *prefix, const struct field_spec *spec, const struct translatable *texts,
		  const char *const *languages, json_t *record, json_t *errors)
{
	json_t *fields = json_array();
	json_t *texts_of = record ? json_object_get(record, "translations") : NULL;
	for (const struct field_spec *f = spec; f->name; f++) {
		char *name = g_strconcat(prefix, f->name, NULL);
		json_array_append_new(fields, field_view(f, name, record ? json_object_get(record, f->name) : NULL,
							 errors));
		g_free(name);
		for (const char *const *tag = languages; is_text(texts, f->name) && tag && *tag; tag++) {
			struct field_spec text = {f->name, f->label, f->input, NULL, false};
			char *field = translation_field(prefix, *tag, f->name);
			json_t *v = field_view(&text, field,
					       json_object_get(json_object_get(texts_of, *tag), f->name), errors);
			json_object_set_new(v, "translated_into", json_string(*tag));
			json_array_append_new(fields, v);
			g_free(field);
		}
	}
	return fields;
}

json_t *form_errors(const struct report *rep, const char *name, const char *base)
{
	json_t *errors = json_object();
	for (guint i = 0; i < rep->lines->len; i++) {
		const char *path = g_ptr_array_index(rep->paths, i), *message = report_message(rep, i, name);
		GString *field = g_string_new(NULL);
		if (g_str_has_prefix(path, base)) {
			for (const char *p = path + strlen(base); *p; p++) {
				if (*p == '[' || *p == '.')
					g_string_append_c(field, '-');
				else if (*p != ']')
					g_string_append_c(field, *p);
			}
		}
		/* an element of a list field (countries[1]) belongs to the field */
		gsize len = field->len;
		while (len && g_ascii_isdigit(field->str[len - 1]))
			len--;
		if (len < field->len && len && field->str[len - 1] == '-')
			g_string_truncate(field, len - 1);
		/* the first problem of a field is shown beside it; the others of no field at the top */
		json_t *have = json_object_get(errors, field->str);
		if (!have) {
			json_object_set_new(errors, field->str, json_string(message));
		} else if (!field->len) {
			char *both = g_strdup_printf("%s; %s", json_string_value(have), message);
			json_object_set_new(errors, "", json_string(both));
			g_free(both);
		}
		g_string_free(field, TRUE);
	}
	return errors;
}

const char *form_leftover(struct request *r, json_t *errors)
{
	if (!errors || !json_object_size(errors))
		return NULL;
	GString *all = g_string_new(NULL);
	const char *key;
	json_t *v;
	json_object_foreach (errors, key, v)
		g_string_append_printf(all, "%s%s%s%s", all->len ? "; " : "", key, *key ? ": " : "", json_string_value(v));
	const char *text = arena_strdup(&r->arena, all->str);
	g_string_free(all, TRUE);
	return text;
}

char *form_version(json_t *record)
{
	char *text = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text ? text : "", -1);
	free(text);
	return sum;
}

enum import_result form_import(struct request *r, json_t *doc, struct report *rep)
{
	return form_import_then(r, doc, rep, NULL, NULL);
}

enum import_result form_import_then(struct request *r, json_t *doc, struct report *rep,
				    int (*before_commit)(void *ctx, struct store *s), void *ctx)
{
	json_object_set_new(doc, "format", json_string(EXCHANGE_FORMAT));
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return IMPORT_SOURCE_ERROR;
	long long depth;
	if (settings_get(r->store, "import.max_depth", &depth) != STORE_OK) {
		free(text);
		return IMPORT_STORE_ERROR;
	}
	FILE *in = fmemopen(text, strlen(text), "r");
	if (!in) {
		free(text);
		return IMPORT_SOURCE_ERROR;
	}
	struct file_source f = {.in = in, .max = (long long)strlen(text) + 1};
	struct import_source source = {exchange_file_read, &f};
	struct import_options opt = {.replace = true, .max_depth = depth, .audit_actor = r->caller.email,
				     .audit_via = "form", .before_commit = before_commit, .commit_ctx = ctx};
	enum import_result result = exchange_import(r->store, "form", &source, &opt, rep, NULL);
	fclose(in);
	free(text);
	return result;
}
