/* values.c: the value kinds of podium-program/1 (values.h). */
#include "core/values.h"

#include <glib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/intl.h"

bool value_is_key(const char *s)
{
	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	size_t n = 1;
	for (const char *p = s + 1; *p; p++, n++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return n <= 64;
}

/* Reads exactly n ASCII digits at s into *out. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
	return digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) && s[7] == '-' &&
	       digits(s + 8, 2, d) && *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 &&
	       g_date_valid_dmy((GDateDay)*d, (GDateMonth)*m, (GDateYear)*y);
}

bool value_is_date_shape(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && parse_date(s, &y, &m, &d);
}

bool value_year_in_range(const char *s)
{
	int y;
	return s && digits(s, 4, &y) && y >= VALUE_YEAR_MIN && y <= VALUE_YEAR_MAX;
}

bool value_is_date(const char *s)
{
	return value_is_date_shape(s) && value_year_in_range(s);
}

bool value_parse_instant(const char *s, int64_t *utc)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	if (!s)
		return false;
	size_t len = strlen(s);
	if (len != 20 && len != 25)
		return false;
	if (!parse_date(s, &y, &mo, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
		return false;
	if (h > 23 || mi > 59 || sec > 59)
		return false;
	int sign = 1;
	if (len == 20) {
		if (s[19] != 'Z')
			return false;
	} else {
		if (s[19] != '+' && s[19] != '-')
			return false;
		sign = s[19] == '-' ? -1 : 1;
		if (!digits(s + 20, 2, &oh) || s[22] != ':' || !digits(s + 23, 2, &om) || oh > 23 ||
		    om > 59)
			return false;
	}
	/* a fixed offset needs no zone: days since the epoch (GDate's Julian day numbers) and seconds */
	GDate date;
	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)mo, (GDateYear)y);
	enum { JULIAN_1970_01_01 = 719163 };
	*utc = ((int64_t)g_date_get_julian(&date) - JULIAN_1970_01_01) * 86400 + h * 3600 + mi * 60 +
	       sec - sign * (oh * 3600 + om * 60);
	return true;
}

bool value_in(const char *s, const char *const *choices)
{
	for (; s && *choices; choices++)
		if (strcmp(s, *choices) == 0)
			return true;
	return false;
}

bool value_is_email(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	if (!at || at == s || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p; p++)
		if (g_ascii_isspace(*p))
			return false;
	return g_utf8_validate(s, -1, NULL);
}

bool value_is_https_url(const char *s)
{
	GUri *uri = s ? g_uri_parse(s, G_URI_FLAGS_NONE, NULL) : NULL;
	if (!uri)
		return false;
	const char *host = g_uri_get_host(uri);
	bool ok = g_ascii_strcasecmp(g_uri_get_scheme(uri), "https") == 0 && host && *host &&
		  !strpbrk(s, " \t\r\n");
	g_uri_unref(uri);
	return ok;
}

long value_length(const char *s)
{
	return g_utf8_strlen(s, -1);
}

static const struct {
	long min, max;
	bool multiline;
	const char *what;
} text_rules[] = {
	[TEXT_TITLE] = {1, 300, false, N_("1 to 300 characters")},
	[TEXT_PERSON_NAME] = {1, 200, false, N_("1 to 200 characters")},
	[TEXT_LINE] = {0, 10000, false, N_("at most 10,000 characters")},
	[TEXT_MULTILINE] = {0, 10000, true, N_("at most 10,000 characters")},
	[TEXT_MARKDOWN] = {0, 200000, true, N_("at most 200,000 characters")},
};

bool check_text(struct report *r, const char *path, const char *field, const char *s,
		enum text_kind kind, bool required)
{
	if (!s) {
		if (required)
			report_add(r, path, field, "required, expected a text");
		return !required;
	}
	const char *end;
	if (!g_utf8_validate(s, -1, &end)) {
		report_add(r, path, field, "invalid UTF-8 at byte %td", end - s);
		return false;
	}
	long n = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p), n++) {
		unsigned char byte = (unsigned char)*p;
		if (byte >= 0x20 && byte < 0x7f)
			continue; /* printable ASCII, the common case */
		gunichar c = byte < 0x80 ? byte : g_utf8_get_char(p);
		if (g_unichar_iscntrl(c) && !(text_rules[kind].multiline && (c == '\n' || c == '\t'))) {
			if (text_rules[kind].multiline)
				report_add(r, path, field,
					   "control character U+%04X at character %ld is not allowed "
					   "(only newline and tab are)",
					   (unsigned)c, n + 1);
			else
				report_add(r, path, field,
					   "control character U+%04X at character %ld is not allowed "
					   "(this text is one line)",
					   (unsigned)c, n + 1);
			return false;
		}
	}
	if (n < text_rules[kind].min || n > text_rules[kind].max) {
		if (n)
			report_add(r, path, field, "has %ld characters, expected %s", n,
				   report_tr(r, text_rules[kind].what));
		else
			report_add(r, path, field, "is empty: %ld characters, expected %s", n,
				   report_tr(r, text_rules[kind].what));
		return false;
	}
	return true;
}

bool check_choice(struct report *r, const char *path, const char *field, const char *s,
		  const char *const *choices, bool required)
{
	if (!s && !required)
		return true;
	if (s && value_in(s, choices))
		return true;
	GString *all = g_string_new(NULL);
	for (const char *const *c = choices; *c; c++)
		g_string_append_printf(all, "%s%s", c == choices ? "" : ", ", *c);
	if (s)
		report_add(r, path, field, "'%s' is not one of %s", s, all->str);
	else
		report_add(r, path, field, "required, expected one of %s", all->str);
	g_string_free(all, TRUE);
	return false;
}

bool check_key(struct report *r, const char *path, const char *field, const char *s, bool required)
{
	if (!s) {
		if (required)
			report_add(r, path, field, "required, expected a key");
		return !required;
	}
	if (value_is_key(s))
		return true;
	report_add(r, path, field,
		   "'%s' is not a key: expected 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit",
		   s);
	return false;
}

bool check_country(struct report *r, const char *path, const char *field, const char *s, bool required)
{
	if (!s) {
		if (required)
			report_add(r, path, field, "required, expected an ISO 3166-1 alpha-2 country code (e.g. MY)");
		return !required;
	}
	if (intl_is_country(s))
		return true;
	report_add(r, path, field, "'%s' is not an ISO 3166-1 alpha-2 country code (e.g. MY)", s);
	return false;
}

bool check_language(struct report *r, const char *path, const char *field, const char *s,
		    bool required)
{
	if (!s) {
		if (required)
			report_add(r, path, field, "required, expected a BCP 47 language tag (e.g. en)");
		return !required;
	}
	if (intl_is_language(s))
		return true;
	report_add(r, path, field, "'%s' is not a well-formed BCP 47 language tag (e.g. en, zh-Hant)", s);
	return false;
}

bool check_date(struct report *r, const char *path, const char *field, const char *s, bool required)
{
	if (!s) {
		if (required)
			report_add(r, path, field, "required, expected a date YYYY-MM-DD");
		return !required;
	}
	if (value_is_date(s))
		return true;
	if (value_is_date_shape(s))
		report_add(r, path, field, "%s is outside the years Podium accepts (%d to %d)", s,
			   VALUE_YEAR_MIN, VALUE_YEAR_MAX);
	else
		report_add(r, path, field, "'%s' is not a date: expected YYYY-MM-DD", s);
	return false;
}

bool check_required_instant(struct report *r, const char *path, const char *field,
			    const struct instant *t)
{
	if (t->set)
		return true;
	report_add(r, path, field, "required, expected an instant YYYY-MM-DDTHH:MM:SS+HH:MM");
	return false;
}

bool check_reference(struct report *r, const char *path, const char *field, const char *s,
		     bool required, const struct refs *refs, enum ref_kind kind)
{
	if (!check_key(r, path, field, s, required) || !s)
		return !s && !required;
	if (!refs || refs->exists(refs, kind, s))
		return true;
	report_add(r, path, field, "unknown %s '%s' (not in this document nor in the database)",
		   report_tr(r, kind == REF_ORGANIZATION ? N_("organization") : N_("person")), s);
	return false;
}

/* The string of record i of check_unique's records. */
static const char *unique_at(const void *base, size_t i, size_t stride, size_t offset)
{
	return *(const char *const *)((const char *)base + i * stride + offset);
}

void check_unique(struct report *r, const char *path, const char *field, const void *base,
		  size_t n, size_t stride, size_t offset, const char *member, const char *what)
{
	/* short lists, the common case, are compared pairwise; long ones through a hash table */
	GHashTable *seen = n > 8 ? g_hash_table_new(g_str_hash, g_str_equal) : NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = unique_at(base, i, stride, offset);
		size_t first = i;
		gpointer found;
		if (!s)
			continue;
		if (!seen) {
			for (size_t j = 0; j < i && first == i; j++) {
				const char *t = unique_at(base, j, stride, offset);
				if (t && strcmp(s, t) == 0)
					first = j;
			}
		} else if (g_hash_table_lookup_extended(seen, s, NULL, &found)) {
			first = GPOINTER_TO_SIZE(found);
		} else {
			g_hash_table_insert(seen, (gpointer)s, GSIZE_TO_POINTER(i));
		}
		if (first != i) {
			char at[REPORT_PATH_MAX];
			report_path_index(at, path, field, i);
			report_add(r, at, member, "%s '%s' is listed twice (first at %s[%zu])", report_tr(r, what), s,
				   field, first);
		}
	}
	if (seen)
		g_hash_table_destroy(seen);
}
