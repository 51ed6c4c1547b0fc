/*
 * translation.h: a record's texts in other languages (the `translations`
 * member of podium-program/1): for each BCP 47 tag, some of the record's
 * translatable fields. Which fields those are is the record's feature's
 * (struct translatable); their rules, their canonical JSON and the JSON
 * the store keeps of them are here, so that import, export, forms and the
 * store agree.
 */
#pragma once
#include <jansson.h>

#include "core/arena.h"
#include "core/report.h"
#include "core/values.h"

enum { TRANSLATION_FIELDS_MAX = 4 };

/* One text of a version's map member (an article's caption of one photo). */
struct translated_entry {
	const char *key, *text;
};

/* One language's version of a record's translatable fields; text[i] is NULL when not given. */
struct translation {
	const char *tag;
	const char *text[TRANSLATION_FIELDS_MAX];
	ARRAY(struct translated_entry) map; /* the map member's texts by key (struct translatable.map) */
	bool has_map;                       /* the map member was given (possibly empty) */
};
typedef ARRAY(struct translation) translations;

/* The translatable fields of a kind of record, in canonical order, with the kinds of their originals. */
struct translatable {
	const char *what; /* "an organization", for messages */
	size_t n;
	const char *names[TRANSLATION_FIELDS_MAX];
	enum text_kind kinds[TRANSLATION_FIELDS_MAX];
	/*
	 * A member of each version that maps keys to texts of map_kind (an
	 * article's "captions", by photo key), or NULL; its keys are judged by
	 * the record's feature, which knows what they name.
	 */
	const char *map;
	enum text_kind map_kind;
};

/* "name, short_name": the field names of f, for messages (g_free). */
char *translatable_names(const struct translatable *f);
/* true when tags a and b name the same language (their first subtags), whatever their case */
bool language_same(const char *a, const char *b);

/*
 * Checks the translations of one record at path (its `translations` member
 * is path.translations): every tag a well-formed BCP 47 tag, no tag twice
 * (tags compare case-insensitively), no empty version, every text non-empty
 * and within the limits of its original, and no translation of a field
 * whose original (originals[i], in the order of f) is absent.
 */
void check_translations(struct report *r, const char *path, const translations *t,
			const struct translatable *f, const char *const originals[]);

/* The text of key in version v's map member, or NULL. */
const char *translation_map_text(const struct translation *v, const char *key);

/* The version of tag (compared case-insensitively), or NULL. */
const struct translation *translation_find(const translations *t, const char *tag);

/*
 * What a page is read in: lang, the reader's language for texts (a BCP 47
 * tag); page, the language the page is written in (its <html lang>);
 * original, the language of the records' own texts (the site's).
 */
struct reading {
	const char *lang, *page, *original;
};

/*
 * Field k of a record in the reader's language: the translation of the
 * reader's tag, else of a tag of the same language ("zh" reads "zh-Hans"),
 * else original. *tag gets the language of what is returned when it is not
 * the page's (for a lang attribute), else NULL. NULL when original is.
 */
const char *translated(const struct reading *rd, const translations *t, size_t k, const char *original,
		       const char **tag);

/*
 * The canonical JSON object of t (a new reference): tags sorted, fields in
 * the order of f, absent texts left out; NULL when t is empty.
 */
json_t *translations_encode(const translations *t, const struct translatable *f);
/* The canonical JSON text of t (g_free), as the store keeps it; NULL when t is empty. */
char *translations_dump(const translations *t, const struct translatable *f);
/*
 * Reads the text translations_dump wrote into out, its strings and array
 * in a. NULL json gives no translations. False (out left empty) when json
 * is not such a text.
 */
bool translations_load(const char *json, const struct translatable *f, struct arena *a, translations *out);
