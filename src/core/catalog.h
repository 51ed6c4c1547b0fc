/*
 * catalog.h: the interface's message catalogs. Each language other than
 * English (the language of the sources) has a GNU gettext catalog,
 * po/LANG.po, that the build checks with msgfmt --check, compiles to the
 * MO format and embeds in the binary: nothing is read from disk, no
 * process locale is set, and a lookup is safe from any thread.
 *
 * Plural forms: a catalog's msgstr[i] follow the CLDR plural categories
 * of its language that ICU knows, in the order zero, one, two, few, many,
 * other (English: one, other; Chinese: other alone). ICU's plural rules
 * pick the category of a count; a catalog whose Plural-Forms names
 * another number of forms is refused when the catalogs are loaded.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct catalog;

/* Marks a string for the catalog's extraction without translating it (a table's entries). */
#define N_(text) (text)

/*
 * Loads the embedded catalogs. Returns false with *error (g_free) naming
 * the catalog and its problem. Call once before looking up another
 * language than English (the command line, which writes English, need
 * not); not thread-safe, the lookups afterwards are. Calling it again does
 * nothing.
 */
bool catalog_load_all(char **error);

/*
 * The catalog of language tag's language ("zh-Hans-CN" takes zh), or
 * English's (which translates nothing) when no catalog has it.
 */
const struct catalog *catalog_for(const char *tag);
/* The language of c ("en", "zh"). */
const char *catalog_language(const struct catalog *c);
/* Whether a catalog of tag's language exists (English always does). */
bool catalog_exists(const char *tag);

/* msgid in c's language: its translation, else msgid itself. c may be NULL (English). */
const char *catalog_text(const struct catalog *c, const char *msgid) __attribute__((format_arg(2)));
/*
 * The form of a message with a count n in c's language: singular or
 * plural (English's two forms) or the catalog's form for n's plural category.
 */
const char *catalog_plural(const struct catalog *c, const char *singular, const char *plural, long n)
	__attribute__((format_arg(2))) __attribute__((format_arg(3)));
