/*
 * codec.c: JSON <-> records, driven by the field tables of schema.c.
 * Decoding checks types only; values are judged by the features' rules.
 */
#include <string.h>

#include "core/tz.h"
#include "exchange/schema.h"

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a text";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

static void report_type(struct report *r, const char *path, const char *expected, const json_t *v)
{
	if (json_is_null(v))
		report_add(r, path, NULL, "null is not allowed: leave the field out, expected %s", expected);
	else
		report_add(r, path, NULL, "expected %s, found %s", expected, json_type_name(v));
}

/* A text value, or NULL with the problem reported (wrong type, NUL character). */
static const char *decode_text(json_t *v, const char *path, struct report *r)
{
	if (!json_is_string(v)) {
		report_type(r, path, "a text", v);
		return NULL;
	}
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		report_add(r, path, NULL, "control character U+0000 at character %ld is not allowed",
			   g_utf8_strlen(s, -1) + 1);
		return NULL;
	}
	return s;
}

static void decode_field(const struct field *f, json_t *v, char *out, const char *path,
			 struct arena *a, struct report *r)
{
	void *slot = out + f->offset;
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_ZONE:
		*(const char **)slot = decode_text(v, path, r);
		break;
	case FIELD_INT:
		if (json_is_integer(v))
			*(struct opt_int *)slot = (struct opt_int){true, json_integer_value(v)};
		else
			report_type(r, path, "an integer", v);
		break;
	case FIELD_INSTANT: {
		const char *s = decode_text(v, path, r);
		struct instant *t = slot;
		if (s && !(t->set = value_parse_instant(s, &t->utc)))
			report_add(r, path, NULL,
				   "'%s' is not an instant: expected YYYY-MM-DDTHH:MM:SS+HH:MM "
				   "(with seconds and an offset or Z, no fraction)", s);
		break;
	}
	case FIELD_STRINGS:
	case FIELD_LIST: {
		if (!json_is_array(v)) {
			report_type(r, path, "an array", v);
			break;
		}
		strv *list = slot; /* any ARRAY(T) has this layout */
		size_t n = json_array_size(v), size = f->type == FIELD_LIST ? f->shape->size : sizeof(char *);
		char *items = n ? arena_alloc(a, n * size) : NULL;
		for (size_t i = 0; i < n; i++) {
			char at[REPORT_PATH_MAX];
			report_path_index(at, path, NULL, i);
			if (f->type == FIELD_LIST)
				exchange_decode(f->shape, json_array_get(v, i), items + i * size, at, a, r);
			else
				((const char **)items)[i] = decode_text(json_array_get(v, i), at, r);
		}
		list->v = (const char **)items;
		list->n = n;
		break;
	}
	case FIELD_OBJECT:
		exchange_decode(f->shape, v, slot, path, a, r);
		break;
	}
}

void exchange_decode(const struct shape *shape, json_t *value, void *out, const char *path,
		     struct arena *a, struct report *r)
{
	if (!json_is_object(value)) {
		report_type(r, path, shape->what, value);
		return;
	}
	const char *name;
	json_t *v;
	json_object_foreach(value, name, v) {
		char at[REPORT_PATH_MAX];
		g_snprintf(at, sizeof at, "%s%s%s", path, *path ? "." : "", name);
		size_t i = 0;
		while (i < shape->n_fields && strcmp(shape->fields[i].name, name) != 0)
			i++;
		if (i == shape->n_fields)
			report_add(r, at, NULL, "unknown field of %s (expected one of %s)", shape->what,
				   shape->names);
		else
			decode_field(&shape->fields[i], v, out, at, a, r);
	}
}

static json_t *encode(const struct shape *shape, const char *in, GTimeZone *zone);

static json_t *encode_field(const struct field *f, const char *in, GTimeZone **zone)
{
	const void *slot = in + f->offset;
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_ZONE: {
		const char *s = *(const char *const *)slot;
		if (f->type == FIELD_ZONE)
			*zone = tz_zone(s);
		return s ? json_string_nocheck(s) : NULL;
	}
	case FIELD_INT: {
		const struct opt_int *v = slot;
		return v->set ? json_integer(v->value) : NULL;
	}
	case FIELD_INSTANT: {
		const struct instant *t = slot;
		if (!t->set)
			return NULL;
		char text[32];
		if (*zone)
			tz_format_instant(*zone, t->utc, text);
		else
			tz_format_instant(tz_zone("Etc/UTC"), t->utc, text);
		return json_string_nocheck(text);
	}
	case FIELD_STRINGS:
	case FIELD_LIST: {
		const strv *list = slot;
		if (list->n == 0)
			return NULL;
		json_t *array = json_array();
		for (size_t i = 0; i < list->n; i++) {
			json_t *item = f->type == FIELD_LIST
					       ? encode(f->shape, (const char *)list->v + i * f->shape->size, *zone)
					       : json_string_nocheck(list->v[i]);
			json_array_append_new(array, item);
		}
		return array;
	}
	case FIELD_OBJECT: {
		json_t *obj = encode(f->shape, slot, *zone);
		if (json_object_size(obj) == 0) {
			json_decref(obj);
			return NULL;
		}
		return obj;
	}
	}
	return NULL;
}

static json_t *encode(const struct shape *shape, const char *in, GTimeZone *zone)
{
	json_t *obj = json_object();
	for (size_t i = 0; i < shape->n_fields; i++) {
		json_t *v = encode_field(&shape->fields[i], in, &zone);
		if (v)
			json_object_set_new_nocheck(obj, shape->fields[i].name, v);
	}
	return obj;
}

json_t *exchange_encode(const struct shape *shape, const void *in)
{
	return encode(shape, in, NULL);
}
