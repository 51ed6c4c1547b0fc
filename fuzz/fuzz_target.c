/*
 * fuzz_target.c: what a client puts in a request's target: the raw target
 * checked as sent (uri.c), the decoded path matched against every route of
 * the site, a query value taken as a zone name, a value escaped for a log
 * line, and a value escaped for a cache key (which must equal GLib's).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "core/tz.h"
#include "exchange/api_page.h"
#include "http/router.h"
#include "http/static_page.h"
#include "http/uri.h"
#include "news/news_page.h"
#include "person/person_page.h"
#include "program/program_page.h"
#include "timetable/timetable_page.h"

static const struct route *const routes[] = {
	program_routes, timetable_routes, news_routes, person_routes, api_routes, static_routes, NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uri_target_problem((const char *)data, size);
	char *text = g_strndup((const char *)data, size); /* a path or value as MHD decodes it: to a NUL */
	for (unsigned m = METHOD_GET; m <= METHOD_POST; m <<= 1) {
		struct request r = {.method = m, .path = text};
		unsigned allowed;
		router_find(routes, &r, &allowed);
		arena_free(&r.arena);
	}
	for (int reserved = 0; reserved < 2; reserved++) { /* a key's or link's escaping: GLib's, quicker */
		GString *want = g_string_new(NULL), *got = g_string_new(NULL);
		g_string_append_uri_escaped(want, text, reserved ? "/" : NULL, TRUE);
		uri_append_escaped(got, text, reserved ? "/" : NULL);
		if (strcmp(want->str, got->str) != 0)
			abort();
		g_string_free(want, TRUE);
		g_string_free(got, TRUE);
	}
	tz_zone(text);
	g_free(text_escape_line(text));
	g_free(text);
	return 0;
}
