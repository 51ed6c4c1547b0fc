/* translation.c: the rules and the JSON of records' translations (translation.h). */
#include "core/translation.h"

#include <string.h>

void check_translations(struct report *r, const char *path, const translations *t,
			const struct translatable *f, const char *const originals[])
{
	char *at = report_path(path, "translations");
	for (size_t i = 0; i < t->n; i++) {
		const struct translation *v = &t->v[i];
		if (!check_language(r, at, NULL, v->tag, true))
			continue;
		char *version = report_path(at, v->tag);
		for (size_t j = 0; j < i; j++)
			if (g_ascii_strcasecmp(t->v[j].tag, v->tag) == 0) {
				report_add(r, version, NULL,
					   "the same language as %s: tags are not case-sensitive, give each once",
					   t->v[j].tag);
				break;
			}
		bool any = false;
		for (size_t k = 0; k < f->n; k++) {
			const char *s = v->text[k];
			if (!s)
				continue;
			any = true;
			if (!originals[k])
				report_add(r, version, f->names[k], "nothing to translate: the %s itself is absent",
					   f->names[k]);
			else if (!*s)
				report_add(r, version, f->names[k], "is empty: leave it out instead");
			else
				check_text(r, version, f->names[k], s, f->kinds[k], false);
		}
		if (f->map && v->has_map) {
			any = true;
			char *map = report_path(version, f->map);
			for (size_t k = 0; k < v->map.n; k++) {
				const struct translated_entry *e = &v->map.v[k];
				if (!e->text) /* not a text: the decoder said so */
					continue;
				if (!*e->text)
					report_add(r, map, e->key, "is empty: leave it out instead");
				else
					check_text(r, map, e->key, e->text, f->map_kind, false);
			}
			g_free(map);
		}
		if (!any) {
			char *names = translatable_names(f);
			report_add(r, version, NULL, "is empty: expected at least one of %s", names);
			g_free(names);
		}
		g_free(version);
	}
	g_free(at);
}

const struct translation *translation_find(const translations *t, const char *tag)
{
	for (size_t i = 0; i < t->n; i++)
		if (g_ascii_strcasecmp(t->v[i].tag, tag) == 0)
			return &t->v[i];
	return NULL;
}

const char *translation_map_text(const struct translation *v, const char *key)
{
	for (size_t i = 0; v && i < v->map.n; i++)
		if (strcmp(v->map.v[i].key, key) == 0)
			return v->map.v[i].text;
	return NULL;
}

char *translatable_names(const struct translatable *f)
{
	GString *names = g_string_new(NULL);
	for (size_t k = 0; k < f->n; k++)
		g_string_append_printf(names, "%s%s", k ? ", " : "", f->names[k]);
	if (f->map)
		g_string_append_printf(names, ", %s", f->map);
	return g_string_free(names, FALSE);
}

bool language_same(const char *a, const char *b)
{
	size_t n = strcspn(a, "-");
	return n == strcspn(b, "-") && g_ascii_strncasecmp(a, b, n) == 0;
}

const char *translated(const struct reading *rd, const translations *t, size_t k, const char *original,
		       const char **tag)
{
	const char *text = original, *language = rd->original;
	if (original && rd->lang && !language_same(rd->lang, rd->original)) {
		const struct translation *v = translation_find(t, rd->lang);
		for (size_t i = 0; (!v || !v->text[k]) && i < t->n; i++)
			if (t->v[i].text[k] && language_same(t->v[i].tag, rd->lang))
				v = &t->v[i];
		if (v && v->text[k]) {
			text = v->text[k];
			language = v->tag;
		}
	}
	*tag = text && g_ascii_strcasecmp(language, rd->page) != 0 ? language : NULL;
	return text;
}

static int by_tag(const void *a, const void *b)
{
	return strcmp((*(const struct translation *const *)a)->tag, (*(const struct translation *const *)b)->tag);
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(const struct translated_entry *const *)a)->key,
		      (*(const struct translated_entry *const *)b)->key);
}

json_t *translations_encode(const translations *t, const struct translatable *f)
{
	if (t->n == 0)
		return NULL;
	const struct translation **sorted = g_new(const struct translation *, t->n);
	for (size_t i = 0; i < t->n; i++)
		sorted[i] = &t->v[i];
	qsort(sorted, t->n, sizeof *sorted, by_tag);
	json_t *all = json_object();
	for (size_t i = 0; i < t->n; i++) {
		json_t *version = json_object();
		for (size_t k = 0; k < f->n; k++)
			if (sorted[i]->text[k])
				json_object_set_new_nocheck(version, f->names[k], json_string_nocheck(sorted[i]->text[k]));
		if (f->map && sorted[i]->map.n) { /* an empty map is the same as none */
			/* keys sorted, like tags: one canonical text */
			const struct translated_entry **keys = g_new(const struct translated_entry *, sorted[i]->map.n + 1);
			for (size_t k = 0; k < sorted[i]->map.n; k++)
				keys[k] = &sorted[i]->map.v[k];
			qsort(keys, sorted[i]->map.n, sizeof *keys, by_key);
			json_t *map = json_object();
			for (size_t k = 0; k < sorted[i]->map.n; k++)
				json_object_set_new_nocheck(map, keys[k]->key, json_string_nocheck(keys[k]->text));
			g_free(keys);
			json_object_set_new_nocheck(version, f->map, map);
		}
		json_object_set_new_nocheck(all, sorted[i]->tag, version);
	}
	g_free(sorted);
	return all;
}

char *translations_dump(const translations *t, const struct translatable *f)
{
	json_t *all = translations_encode(t, f);
	if (!all)
		return NULL;
	char *text = json_dumps(all, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(all);
	char *copy = g_strdup(text);
	free(text);
	return copy;
}

bool translations_load(const char *json, const struct translatable *f, struct arena *a, translations *out)
{
	*out = (translations){0};
	if (!json)
		return true;
	json_t *all = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(all)) {
		json_decref(all);
		return false;
	}
	struct translation *v = arena_alloc(a, json_object_size(all) * sizeof *v);
	size_t n = 0;
	const char *tag;
	json_t *version;
	bool ok = true;
	json_object_foreach(all, tag, version) {
		if (!json_is_object(version)) {
			ok = false;
			break;
		}
		v[n].tag = arena_strdup(a, tag);
		const char *name;
		json_t *text;
		json_object_foreach(version, name, text) {
			if (f->map && strcmp(name, f->map) == 0 && json_is_object(text)) {
				v[n].has_map = true;
				v[n].map.v = arena_alloc(a, (json_object_size(text) + 1) * sizeof *v[n].map.v);
				const char *key;
				json_t *caption;
				json_object_foreach(text, key, caption) {
					if (!json_is_string(caption)) {
						ok = false;
						break;
					}
					v[n].map.v[v[n].map.n++] = (struct translated_entry){
						arena_strdup(a, key),
						arena_strndup(a, json_string_value(caption), json_string_length(caption))};
				}
				continue;
			}
			size_t k = 0;
			while (k < f->n && strcmp(f->names[k], name) != 0)
				k++;
			if (k == f->n || !json_is_string(text)) {
				ok = false;
				break;
			}
			v[n].text[k] = arena_strndup(a, json_string_value(text), json_string_length(text));
		}
		n++;
	}
	json_decref(all);
	if (ok)
		*out = (translations){v, n};
	return ok;
}
