/* intl.c: ISO 3166-1 countries and BCP 47 tags through ICU's uloc (intl.h). */
#include "core/intl.h"

#include <glib.h>
#include <string.h>
#include <unicode/uloc.h>

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

bool intl_is_language(const char *tag)
{
	size_t len = tag ? strlen(tag) : 0;
	if (len == 0 || len > 255)
		return false;
	for (const char *p = tag; *p; p++)
		if (!(g_ascii_isalnum(*p) || *p == '-'))
			return false;
	char locale[ULOC_FULLNAME_CAPACITY + 64];
	int32_t parsed = 0;
	UErrorCode status = U_ZERO_ERROR;
	uloc_forLanguageTag(tag, locale, sizeof locale, &parsed, &status);
	return U_SUCCESS(status) && status != U_STRING_NOT_TERMINATED_WARNING && parsed == (int32_t)len;
}
