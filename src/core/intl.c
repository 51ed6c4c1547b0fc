/* intl.c: ISO 3166-1 countries and BCP 47 tags through ICU's uloc (intl.h). */
#include "core/intl.h"

#include <glib.h>
#include <string.h>
#include <stdlib.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

bool intl_is_country(const char *code)
{
	if (!code || strlen(code) != 2 || !g_ascii_isupper(code[0]) || !g_ascii_isupper(code[1]))
		return false;
	/* ISO 3166-1's user-assigned codes are never assigned (ICU lists XK for Kosovo) */
	if (strcmp(code, "AA") == 0 || strcmp(code, "ZZ") == 0 || code[0] == 'X' ||
	    (code[0] == 'Q' && code[1] >= 'M'))
		return false;
	/* uloc_getISOCountries: the current two-letter codes, a static list owned by ICU */
	for (const char *const *c = uloc_getISOCountries(); *c; c++)
		if (strcmp(*c, code) == 0)
			return true;
	return false;
}

/*
 * Parses a BCP 47 tag into ICU's locale id in locale (size bytes). Returns
 * the number of characters of tag parsed, -1 when ICU fails or the id does
 * not fit (a warning ICU counts as success).
 */
static int32_t language_locale(const char *tag, char *locale, int32_t size)
{
	int32_t parsed = 0;
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = uloc_forLanguageTag(tag, locale, size, &parsed, &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING || len >= size)
		return -1;
	return parsed;
}

enum { LOCALE_ID_MAX = ULOC_FULLNAME_CAPACITY + 64 };

bool intl_is_language(const char *tag)
{
	size_t len = tag ? strlen(tag) : 0;
	if (len == 0 || len > 255)
		return false;
	for (const char *p = tag; *p; p++)
		if (!(g_ascii_isalnum(*p) || *p == '-'))
			return false;
	char locale[LOCALE_ID_MAX];
	return language_locale(tag, locale, sizeof locale) == (int32_t)len;
}

/* Converts ICU's UTF-16 to UTF-8 into out. */
static void from_uchars(const UChar *text, int32_t len, char *out, size_t size)
{
	UErrorCode status = U_ZERO_ERROR;
	u_strToUTF8(out, (int32_t)size, NULL, text, len, &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING)
		out[0] = '\0';
}

void intl_country_name(const char *code, const char *lang, char *out, size_t size)
{
	char locale[16];
	g_snprintf(locale, sizeof locale, "und_%s", code);
	UChar name[128];
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = uloc_getDisplayCountry(locale, lang, name, G_N_ELEMENTS(name), &status);
	if (U_SUCCESS(status) && len > 0 && status != U_USING_DEFAULT_WARNING)
		from_uchars(name, len, out, size);
	else
		out[0] = '\0';
	if (!out[0])
		g_strlcpy(out, code, size);
}

/* The name of language tag in language in (an ICU locale id); the tag itself when ICU has none. */
static void language_name_in(const char *tag, const char *in, char *out, size_t size)
{
	char locale[LOCALE_ID_MAX];
	UChar name[256];
	int32_t len = 0;
	UErrorCode status = U_ZERO_ERROR;
	if (language_locale(tag, locale, sizeof locale) >= 0)
		len = uloc_getDisplayName(locale, in ? in : locale, name, G_N_ELEMENTS(name), &status);
	else
		status = U_ILLEGAL_ARGUMENT_ERROR;
	if (U_SUCCESS(status) && len > 0)
		from_uchars(name, len, out, size);
	else
		out[0] = '\0';
	if (!out[0])
		g_strlcpy(out, tag, size);
}

void intl_language_name(const char *tag, const char *lang, char *out, size_t size)
{
	language_name_in(tag, lang, out, size);
}

void intl_language_region(const char *tag, char *out, size_t size)
{
	char locale[LOCALE_ID_MAX], likely[LOCALE_ID_MAX], language[16] = "", region[8] = "";
	UErrorCode status = U_ZERO_ERROR;
	if (intl_is_language(tag) && language_locale(tag, locale, sizeof locale) >= 0) {
		/* the likely script and region: "zh" is zh_Hans_CN, "zh-Hant" zh_Hant_TW */
		uloc_addLikelySubtags(locale, likely, (int32_t)sizeof likely, &status);
		uloc_getLanguage(likely, language, (int32_t)sizeof language, &status);
		uloc_getCountry(likely, region, (int32_t)sizeof region, &status);
	}
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING || !*language)
		g_strlcpy(out, "und", size);
	else if (*region)
		g_snprintf(out, size, "%s_%s", language, region);
	else
		g_strlcpy(out, language, size);
}

void intl_language_own_name(const char *tag, char *out, size_t size)
{
	language_name_in(tag, NULL, out, size);
}

/*
 * A thread's ICU formatters and collators, one of each per language, made
 * on first use: ICU's are not shared between threads.
 */
enum { THREAD_LANGUAGES_MAX = 4 };
struct thread_intl {
	char lang[THREAD_LANGUAGES_MAX][16];
	UDateFormat *dates[THREAD_LANGUAGES_MAX], *days[THREAD_LANGUAGES_MAX];
	UCollator *collator[THREAD_LANGUAGES_MAX];
	/* the last Accept-Language headers matched, and what each gave */
	char accepted[THREAD_LANGUAGES_MAX][128];
	const char *const *accepted_among[THREAD_LANGUAGES_MAX];
	const char *accepted_answer[THREAD_LANGUAGES_MAX];
	int accepted_next;
};

static void thread_intl_free(gpointer p)
{
	struct thread_intl *t = p;
	for (int i = 0; i < THREAD_LANGUAGES_MAX; i++) {
		if (t->dates[i])
			udat_close(t->dates[i]);
		if (t->days[i])
			udat_close(t->days[i]);
		if (t->collator[i])
			ucol_close(t->collator[i]);
	}
	g_free(t);
}
static GPrivate thread_intl = G_PRIVATE_INIT(thread_intl_free);

static struct thread_intl *this_thread(void)
{
	struct thread_intl *t = g_private_get(&thread_intl);
	if (!t) {
		t = g_new0(struct thread_intl, 1);
		g_private_set(&thread_intl, t);
	}
	return t;
}

/* The slot of lang in this thread's objects (taken when new), or -1 when all are taken. */
static int thread_slot(struct thread_intl **out, const char *lang)
{
	struct thread_intl *t = *out = this_thread();
	for (int i = 0; i < THREAD_LANGUAGES_MAX; i++) {
		if (!t->lang[i][0])
			g_strlcpy(t->lang[i], lang, sizeof t->lang[i]);
		if (strcmp(t->lang[i], lang) == 0)
			return i;
	}
	return -1;
}

/*
 * This thread's formatter of lang for long dates, or full ones (with the
 * weekday) when full (English's are British, day first); NULL when ICU has
 * none or a thread asks for more languages than it keeps.
 */
static UDateFormat *date_formatter(const char *lang, bool full)
{
	struct thread_intl *t;
	int i = thread_slot(&t, lang);
	if (i < 0)
		return NULL;
	UDateFormat **f = full ? &t->days[i] : &t->dates[i];
	if (*f)
		return *f;
	UErrorCode status = U_ZERO_ERROR;
	static const UChar utc[] = {'U', 'T', 'C', 0};
	/* the date is a calendar date: formatted in UTC, no offset is involved */
	*f = udat_open(UDAT_NONE, full ? UDAT_FULL : UDAT_LONG, strcmp(lang, "en") == 0 ? "en_GB" : lang, utc, -1,
		       NULL, 0, &status);
	if (U_FAILURE(status))
		*f = NULL;
	return *f;
}

int intl_collate(const char *lang, const char *a, const char *b)
{
	struct thread_intl *t;
	int i = thread_slot(&t, lang);
	if (i >= 0 && !t->collator[i]) {
		UErrorCode status = U_ZERO_ERROR;
		t->collator[i] = ucol_open(lang, &status);
		if (U_FAILURE(status))
			t->collator[i] = NULL;
	}
	UErrorCode status = U_ZERO_ERROR;
	UCollationResult r = i >= 0 && t->collator[i] ? ucol_strcollUTF8(t->collator[i], a, -1, b, -1, &status)
						       : UCOL_EQUAL;
	if (i < 0 || !t->collator[i] || U_FAILURE(status))
		return strcmp(a, b);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : strcmp(a, b);
}

static void format_date(const char *date, const char *lang, bool full, char *out, size_t size)
{
	UDateFormat *f = date_formatter(lang, full);
	if (!f) {
		g_strlcpy(out, date, size);
		return;
	}
	GDateTime *dt = g_date_time_new_utc(atoi(date), atoi(date + 5), atoi(date + 8), 0, 0, 0);
	if (!dt) { /* not a date GLib holds (never one of an accepted document) */
		g_strlcpy(out, date, size);
		return;
	}
	UDate when = (UDate)g_date_time_to_unix(dt) * 1000.0;
	g_date_time_unref(dt);
	UChar text[64];
	UErrorCode status = U_ZERO_ERROR;
	int32_t len = udat_format(f, when, text, G_N_ELEMENTS(text), NULL, &status);
	if (U_SUCCESS(status))
		from_uchars(text, len, out, size);
	else
		g_strlcpy(out, date, size);
}

void intl_format_date(const char *date, const char *lang, char *out, size_t size)
{
	format_date(date, lang, false, out, size);
}

void intl_format_day(const char *date, const char *lang, char *out, size_t size)
{
	format_date(date, lang, true, out, size);
}

/* A transliterator to lower-case ASCII per thread: ICU's are not shared between threads. */
static void transliterator_free(gpointer t)
{
	utrans_close(t);
}
static GPrivate ascii_transliterator = G_PRIVATE_INIT(transliterator_free);

enum { WORDS_READ = 100, WORDS_UNITS = 2048 };

void intl_ascii_words(const char *text, char *out, size_t size)
{
	out[0] = '\0';
	UTransliterator *t = g_private_get(&ascii_transliterator);
	if (!t) {
		static const UChar id[] = u"Any-Latin; Latin-ASCII; Lower";
		UParseError where;
		UErrorCode status = U_ZERO_ERROR;
		t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &where, &status);
		if (U_FAILURE(status))
			return;
		g_private_set(&ascii_transliterator, t);
	}
	/* the first characters are enough for a key; a long text would only cost time */
	const char *end = text;
	for (int n = 0; *end && n < WORDS_READ; n++)
		end = g_utf8_find_next_char(end, NULL);
	UChar *units = g_new(UChar, WORDS_UNITS);
	int32_t len = 0;
	UErrorCode status = U_ZERO_ERROR;
	u_strFromUTF8Lenient(units, WORDS_UNITS, &len, text, (int32_t)(end - text), &status);
	if (U_SUCCESS(status)) {
		int32_t limit = len;
		/* a result longer than the buffer is cut: only its start is wanted */
		utrans_transUChars(t, units, &len, WORDS_UNITS, 0, &limit, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING)
			status = U_ZERO_ERROR;
		len = MIN(len, WORDS_UNITS);
	}
	GString *words = g_string_new(NULL);
	bool gap = false;
	for (int32_t i = 0; U_SUCCESS(status) && i < len; i++) {
		UChar c = units[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			gap = words->len > 0;
			continue;
		}
		if (gap)
			g_string_append_c(words, '-');
		g_string_append_c(words, (char)c);
		gap = false;
	}
	/* too long: cut at the end of the last word that fits, if any does */
	if (words->len > size - 1) {
		size_t cut = size - 1;
		if (words->str[cut] != '-') {
			const char *dash = g_strrstr_len(words->str, (gssize)cut, "-");
			if (dash)
				cut = (size_t)(dash - words->str);
		}
		g_string_truncate(words, cut);
	}
	memcpy(out, words->str, words->len + 1);
	g_string_free(words, TRUE);
	g_free(units);
}

static const char *accept_language(const char *header, const char *const *available);

/*
 * Browsers send the same header with every request: a thread remembers the
 * answers to the last few (ICU's matcher is built anew for each call).
 */
const char *intl_accept_language(const char *header, const char *const *available)
{
	if (!header || !*header)
		return NULL;
	struct thread_intl *t = this_thread();
	for (int i = 0; i < THREAD_LANGUAGES_MAX; i++)
		if (t->accepted_among[i] == available && strcmp(t->accepted[i], header) == 0)
			return t->accepted_answer[i];
	const char *answer = accept_language(header, available);
	if (strlen(header) < sizeof t->accepted[0]) {
		int i = t->accepted_next++ % THREAD_LANGUAGES_MAX;
		g_strlcpy(t->accepted[i], header, sizeof t->accepted[i]);
		t->accepted_among[i] = available;
		t->accepted_answer[i] = answer;
	}
	return answer;
}

static const char *accept_language(const char *header, const char *const *available)
{
	/*
	 * ICU's matcher finds zh-TW or zh-Hant-HK too far from zh (zh-Hans-CN):
	 * offered as zh-Hant as well, any Chinese takes the Chinese there is.
	 */
	const char *offered[16];
	int32_t n = 0;
	for (const char *const *a = available; *a && n < 15; a++) {
		offered[n++] = *a;
		if (strcmp(*a, "zh") == 0 && n < 15)
			offered[n++] = "zh-Hant";
	}
	UErrorCode status = U_ZERO_ERROR;
	UEnumeration *e = uenum_openCharStringsEnumeration(offered, n, &status);
	char result[ULOC_FULLNAME_CAPACITY] = "";
	UAcceptResult accepted = ULOC_ACCEPT_FAILED;
	if (U_SUCCESS(status))
		uloc_acceptLanguageFromHTTP(result, (int32_t)sizeof result, &accepted, header, e, &status);
	uenum_close(e);
	if (U_FAILURE(status) || accepted == ULOC_ACCEPT_FAILED || status == U_STRING_NOT_TERMINATED_WARNING)
		return NULL;
	char language[ULOC_LANG_CAPACITY] = "";
	status = U_ZERO_ERROR;
	uloc_getLanguage(result, language, (int32_t)sizeof language, &status);
	for (const char *const *a = available; *a; a++)
		if (U_SUCCESS(status) && strcmp(*a, language) == 0)
			return *a;
	return NULL;
}
