/*
 * uri.h: the request target (the path and query a client sent) judged as
 * sent, before anything is decoded: libmicrohttpd decodes %00 into a NUL
 * that cuts the path short, passes bad escapes and bytes that are not
 * UTF-8 through. A pure function, so that it can be fuzzed.
 */
#pragma once
#include <glib.h>
#include <stddef.h>

/*
 * NULL when target ("/path?query") is fine: it starts with '/', every '%'
 * is followed by two hex digits, and once decoded the path and each query
 * name and value ('+' a space) are UTF-8 without NUL or other control
 * characters. Else what is wrong, a static English sentence.
 */
const char *uri_target_problem(const char *target, size_t len);

/*
 * g_string_append_uri_escaped(out, s, reserved, TRUE), without its work per
 * character when s holds nothing to escape (letters, digits, "-._~" and
 * reserved): the usual path and query.
 */
void uri_append_escaped(GString *out, const char *s, const char *reserved);
