/*
 * intl.h: countries and language tags from ICU. ICU never decides a time
 * zone offset here (see tz.h).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* true when code is an assigned ISO 3166-1 alpha-2 code in upper case */
bool intl_is_country(const char *code);
/* true when tag is a well-formed BCP 47 language tag */
bool intl_is_language(const char *tag);

/*
 * The first of available (BCP 47 tags, NULL-ended) that an HTTP
 * Accept-Language header asks for, by its q-values, through ICU's
 * matcher; any Chinese (zh-TW, zh-Hant-HK...) takes an available "zh".
 * NULL when the header asks for none of them (or is not one ICU reads).
 */
const char *intl_accept_language(const char *header, const char *const *available);
/* Writes the name of country code in language lang ("Malaysia", "马来西亚") into out; the code itself when unknown. */
void intl_country_name(const char *code, const char *lang, char *out, size_t size);
/* Writes the name of language tag in language lang ("English", "Chinese (Traditional)", "英语") into out. */
void intl_language_name(const char *tag, const char *lang, char *out, size_t size);
/* Writes the name of language tag in that language ("English", "中文") into out. */
void intl_language_own_name(const char *tag, char *out, size_t size);
/*
 * Writes into out the language and likely region of language tag in the
 * CLDR form that Open Graph's og:locale takes: "en" gives "en_US", "zh"
 * "zh_CN", "zh-Hant" "zh_TW", "pt-BR" "pt_BR" (ICU's likely subtags);
 * "und" when ICU cannot read tag.
 */
void intl_language_region(const char *tag, char *out, size_t size);
/*
 * Writes into out (size bytes, at least 2) the words of text in lower-case
 * ASCII letters and digits joined by '-', through ICU's transliterator
 * "Any-Latin; Latin-ASCII; Lower" ("Lǐ Dàwěi" and "李大伟" give "li-dawei"
 * and "li-da-wei"): the makings of a key. Cut at a word's end to fit; empty
 * when text has no letter or digit that ICU can write in ASCII. Only the
 * first 100 characters of text are read.
 */
void intl_ascii_words(const char *text, char *out, size_t size);
/*
 * Compares UTF-8 texts a and b in the order of language lang's ICU
 * collation (Chinese: by pinyin; accents after letters), as strcmp does;
 * texts the collation holds equal are ordered by their bytes.
 */
int intl_collate(const char *lang, const char *a, const char *b);
/*
 * Writes date YYYY-MM-DD (valid) in the CLDR long form of language lang:
 * British English for "en" ("9 December 2021"), "2021年12月9日" for "zh".
 */
void intl_format_date(const char *date, const char *lang, char *out, size_t size);
/* The same in the CLDR full form, with the weekday ("Thursday 9 December 2021", "2021年12月9日星期四"). */
void intl_format_day(const char *date, const char *lang, char *out, size_t size);
