/*
 * catalog.c: the embedded message catalogs (catalog.h). The MO files are
 * the build's own output (msgfmt), read in place: a header of 32-bit
 * words, a table of (length, offset) pairs of the original strings in
 * sorted order and one of their translations. Each is checked whole
 * once, at load, so that a lookup is a binary search and nothing more.
 */
#include "core/catalog.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

#include "core/embedded.h"
#include "catalog_files.h"

enum { MO_MAGIC = 0x950412de, PLURAL_FORMS_MAX = 6 };

struct mo_string {
	const char *text; /* NUL-terminated in the embedded bytes */
	size_t len;       /* a plural's: its forms, each NUL-terminated */
};

struct catalog {
	char lang[16];
	size_t count;
	struct mo_string *originals, *translations;
	UPluralRules *rules;
	int forms;                                   /* how many plural forms */
	char categories[PLURAL_FORMS_MAX][8];        /* form i's CLDR category */
};

static const char *const cldr_order[PLURAL_FORMS_MAX] = {"zero", "one", "two", "few", "many", "other"};

static struct catalog english = {.lang = "en"};
static struct catalog *catalogs; /* the embedded ones, catalog_files_count of them */
static bool loaded;

static uint32_t word(const unsigned char *p, bool swap)
{
	uint32_t w;
	memcpy(&w, p, sizeof w);
	return swap ? GUINT32_SWAP_LE_BE(w) : w;
}

/* The CLDR categories of c's language in cldr_order, from ICU; false when ICU has none. */
static bool plural_rules_open(struct catalog *c)
{
	UErrorCode status = U_ZERO_ERROR;
	c->rules = uplrules_open(c->lang, &status);
	if (U_FAILURE(status))
		return false;
	UEnumeration *keywords = uplrules_getKeywords(c->rules, &status);
	if (U_FAILURE(status))
		return false;
	bool has[PLURAL_FORMS_MAX] = {false};
	const char *k;
	while ((k = uenum_next(keywords, NULL, &status)) && U_SUCCESS(status))
		for (int i = 0; i < PLURAL_FORMS_MAX; i++)
			has[i] |= strcmp(k, cldr_order[i]) == 0;
	uenum_close(keywords);
	c->forms = 0;
	for (int i = 0; i < PLURAL_FORMS_MAX; i++)
		if (has[i])
			g_strlcpy(c->categories[c->forms++], cldr_order[i], sizeof c->categories[0]);
	return U_SUCCESS(status) && c->forms > 0;
}

/* Reads table n entries at offset into out; false when one leaves the file or lacks its NUL. */
static bool read_table(const unsigned char *data, size_t size, bool swap, uint32_t offset, size_t n,
		       struct mo_string *out)
{
	if (offset > size || n > (size - offset) / 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint32_t len = word(data + offset + 8 * i, swap), at = word(data + offset + 8 * i + 4, swap);
		if (at > size || len >= size - at || data[at + len] != '\0')
			return false;
		out[i] = (struct mo_string){(const char *)data + at, len};
	}
	return true;
}

/* The value of "nplurals=" in the catalog's header (its translation of ""), or -1. */
static int header_nplurals(const struct catalog *c)
{
	if (!c->count || c->originals[0].len != 0)
		return -1;
	const char *forms = strstr(c->translations[0].text, "Plural-Forms:");
	const char *n = forms ? strstr(forms, "nplurals=") : NULL;
	return n ? atoi(n + strlen("nplurals=")) : -1;
}

static bool catalog_read(struct catalog *c, const struct embedded_file *f, char **error)
{
	const unsigned char *data = (const unsigned char *)f->data;
	const char *dot = strchr(f->name, '.');
	g_strlcpy(c->lang, f->name, MIN(sizeof c->lang, (size_t)(dot ? dot - f->name : 0) + 1));
	bool swap = f->size >= 28 && word(data, false) != MO_MAGIC;
	if (f->size < 28 || word(data, swap) != MO_MAGIC || word(data + 4, swap) >> 16 > 1) {
		*error = g_strdup_printf("catalog %s: not a GNU MO file", f->name);
		return false;
	}
	c->count = word(data + 8, swap);
	c->originals = g_new0(struct mo_string, c->count + 1);
	c->translations = g_new0(struct mo_string, c->count + 1);
	if (!read_table(data, f->size, swap, word(data + 12, swap), c->count, c->originals) ||
	    !read_table(data, f->size, swap, word(data + 16, swap), c->count, c->translations)) {
		*error = g_strdup_printf("catalog %s: a string table leaves the file", f->name);
		return false;
	}
	for (size_t i = 1; i < c->count; i++)
		if (strcmp(c->originals[i - 1].text, c->originals[i].text) >= 0) {
			*error = g_strdup_printf("catalog %s: messages are not sorted", f->name);
			return false;
		}
	if (!plural_rules_open(c)) {
		*error = g_strdup_printf("catalog %s: ICU has no plural rules for %s", f->name, c->lang);
		return false;
	}
	if (header_nplurals(c) != c->forms) {
		*error = g_strdup_printf("catalog %s: Plural-Forms says nplurals=%d, but %s has %d CLDR plural "
					 "categories (ICU)",
					 f->name, header_nplurals(c), c->lang, c->forms);
		return false;
	}
	return true;
}

/* English's plural rules, opened once on first use (also by programs that load no catalog). */
static const struct catalog *english_rules(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		if (!plural_rules_open(&english))
			english.forms = 0; /* ICU without English: plural_index falls back to one and other */
		g_once_init_leave(&done, 1);
	}
	return &english;
}

bool catalog_load_all(char **error)
{
	if (loaded)
		return true;
	if (!english_rules()->forms) {
		*error = g_strdup("ICU has no plural rules for English");
		return false;
	}
	catalogs = g_new0(struct catalog, catalog_files_count + 1);
	for (size_t i = 0; i < catalog_files_count; i++)
		if (!catalog_read(&catalogs[i], &catalog_files[i], error))
			return false;
	loaded = true;
	return true;
}

/* Whether tag's primary language subtag is lang (case-insensitive). */
static bool language_is(const char *tag, const char *lang)
{
	size_t n = strcspn(tag, "-_");
	return n == strlen(lang) && g_ascii_strncasecmp(tag, lang, n) == 0;
}

const struct catalog *catalog_for(const char *tag)
{
	for (size_t i = 0; tag && loaded && i < catalog_files_count; i++)
		if (language_is(tag, catalogs[i].lang))
			return &catalogs[i];
	return &english;
}

const char *catalog_language(const struct catalog *c)
{
	return c ? c->lang : english.lang;
}

bool catalog_exists(const char *tag)
{
	return language_is(tag, english.lang) || catalog_for(tag) != &english;
}

/* The translation of msgid in c, or NULL. */
static const struct mo_string *lookup(const struct catalog *c, const char *msgid)
{
	size_t lo = 0, hi = c ? c->count : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, c->originals[mid].text);
		if (cmp == 0)
			return &c->translations[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *catalog_text(const struct catalog *c, const char *msgid)
{
	const struct mo_string *t = *msgid ? lookup(c, msgid) : NULL; /* "" is the header's */
	return t && t->len ? t->text : msgid;
}

/* The index of n's plural category among c's forms. */
static int plural_index(const struct catalog *c, long n)
{
	UChar keyword[16];
	char name[16];
	UErrorCode status = U_ZERO_ERROR;
	if (!c->rules)
		return 0;
	uplrules_select(c->rules, (double)n, keyword, G_N_ELEMENTS(keyword), &status);
	if (U_FAILURE(status))
		return c->forms - 1;
	u_austrncpy(name, keyword, sizeof name - 1);
	name[sizeof name - 1] = '\0';
	for (int i = 0; i < c->forms; i++)
		if (strcmp(name, c->categories[i]) == 0)
			return i;
	return c->forms - 1;
}

const char *catalog_plural(const struct catalog *c, const char *singular, const char *plural, long n)
{
	const struct mo_string *t = c && c != &english ? lookup(c, singular) : NULL;
	if (t && t->len) {
		int index = plural_index(c, n);
		const char *form = t->text, *end = t->text + t->len;
		for (int i = 0; i < index && form < end; i++)
			form += strlen(form) + 1;
		if (form < end && *form)
			return form;
	}
	const struct catalog *en = english_rules();
	return (en->forms ? plural_index(en, n) == 0 : n == 1) ? singular : plural;
}
