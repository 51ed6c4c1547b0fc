/* uri.c: the request target checked as the client sent it (uri.h). */
#include "http/uri.h"

#include <stdbool.h>

#include <glib.h>
#include <string.h>

/*
 * Decodes the len bytes at s (percent-escapes, and '+' when plus is true)
 * into out, checking each escape; NULL when fine, else what is wrong.
 */
static const char *decode(const char *s, size_t len, bool plus, GString *out)
{
	g_string_truncate(out, 0);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return "The address holds a '%' cut short: a % must be followed by two hex digits.";
			if (!g_ascii_isxdigit(s[i + 1]) || !g_ascii_isxdigit(s[i + 2]))
				return "The address holds a bad escape: a % must be followed by two hex digits.";
			g_string_append_c(out, (char)(g_ascii_xdigit_value(s[i + 1]) * 16 +
						      g_ascii_xdigit_value(s[i + 2])));
			i += 2;
		} else {
			g_string_append_c(out, plus && c == '+' ? ' ' : c);
		}
	}
	for (size_t i = 0; i < out->len; i++)
		if ((unsigned char)out->str[i] < 0x20 || out->str[i] == 0x7f)
			return "The address holds a control character (such as %00).";
	if (!g_utf8_validate_len(out->str, out->len, NULL))
		return "The address holds a byte that is not UTF-8.";
	return NULL;
}

const char *uri_target_problem(const char *target, size_t len)
{
	if (!target || !len || target[0] != '/')
		return "The address must be a path that starts with '/'.";
	/* the usual target: printable ASCII without an escape, so nothing to decode or check */
	size_t plain = 0;
	while (plain < len && (unsigned char)target[plain] > 0x20 && (unsigned char)target[plain] < 0x7f &&
	       target[plain] != '%')
		plain++;
	if (plain == len)
		return NULL;
	const char *query = memchr(target, '?', len);
	size_t path_len = query ? (size_t)(query - target) : len;
	GString *buf = g_string_sized_new(len);
	const char *problem = decode(target, path_len, false, buf);
	for (const char *p = query ? query + 1 : NULL, *end = target + len; p && !problem && p <= end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t part = amp ? (size_t)(amp - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', part);
		size_t name = eq ? (size_t)(eq - p) : part;
		problem = decode(p, name, true, buf);
		if (!problem && eq)
			problem = decode(eq + 1, part - name - 1, true, buf);
		p = amp ? amp + 1 : NULL;
	}
	g_string_free(buf, TRUE);
	return problem;
}

void uri_append_escaped(GString *out, const char *s, const char *reserved)
{
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("-._~", *p) && !(reserved && strchr(reserved, *p))) {
			g_string_append_uri_escaped(out, s, reserved, TRUE);
			return;
		}
	g_string_append(out, s);
}
