/*
 * report_asserts.h: cmocka assertions on a struct report (core/report.h),
 * shared by the unit tests. Include after <cmocka.h>.
 */
#pragma once
#include <glib.h>
#include <string.h>

#include "core/report.h"

static inline void report_dump(const struct report *r)
{
	print_message("report: count=%zu, %u line(s)\n", r->count, r->lines->len);
	for (guint i = 0; i < r->lines->len; i++)
		print_message("  [%u] %s\n", i, (const char *)g_ptr_array_index(r->lines, i));
}

/* Line i of the report; fails the test when there is none. */
static inline const char *line_at(const struct report *r, guint i)
{
	if (i >= r->lines->len) {
		report_dump(r);
		fail_msg("report has no line %u", i);
	}
	return g_ptr_array_index(r->lines, i);
}

#define assert_count(r, n)                                                                \
	do {                                                                              \
		if ((r)->count != (size_t)(n)) {                                          \
			report_dump(r);                                                   \
			fail_msg("report count is %zu, expected %zu", (r)->count,         \
				 (size_t)(n));                                            \
		}                                                                         \
	} while (0)

/* Asserts that line i of the report starts with prefix. */
#define assert_line_prefix(r, i, prefix)                                                  \
	do {                                                                              \
		const char *l_ = line_at((r), (i));                                       \
		if (strncmp(l_, (prefix), strlen(prefix)) != 0) {                         \
			report_dump(r);                                                   \
			fail_msg("line %u is '%s', expected it to start with '%s'",       \
				 (unsigned)(i), l_, (prefix));                            \
		}                                                                         \
	} while (0)
