/* report.c: collecting located problems (report.h). */
#include "core/report.h"

#include <stdarg.h>

void report_init(struct report *r)
{
	r->lines = g_ptr_array_new_with_free_func(g_free);
	r->count = 0;
}

void report_free(struct report *r)
{
	if (r->lines)
		g_ptr_array_free(r->lines, TRUE);
	r->lines = NULL;
	r->count = 0;
}

char *report_path(const char *path, const char *field)
{
	bool has_path = path && *path, has_field = field && *field;
	if (has_path && has_field)
		return g_strconcat(path, field[0] == '[' ? "" : ".", field, NULL);
	return g_strdup(has_path ? path : has_field ? field : "");
}

const char *report_path_index(char buf[REPORT_PATH_MAX], const char *path, const char *field,
			      size_t index)
{
	bool has_path = path && *path, has_field = field && *field;
	g_snprintf(buf, REPORT_PATH_MAX, "%s%s%s[%zu]", has_path ? path : "",
		   has_path && has_field ? "." : "", has_field ? field : "", index);
	return buf;
}

void report_add(struct report *r, const char *path, const char *field, const char *fmt, ...)
{
	r->count++;
	if (r->lines->len >= REPORT_MAX_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *where = report_path(path, field);
	g_ptr_array_add(r->lines, *where ? g_strconcat(where, ": ", msg, NULL) : g_strdup(msg));
	g_free(where);
	g_free(msg);
}
