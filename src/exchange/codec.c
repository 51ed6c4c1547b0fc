/*
 * codec.c: records -> canonical JSON, driven by the field tables of
 * schema.c (decoding is decoder.c's, streaming).
 */
#include <string.h>

#include "core/tz.h"
#include "exchange/schema.h"

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
	case FIELD_TRANSLATIONS:
		return translations_encode(slot, f->translatable);
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
