/* report.c: collecting located problems (report.h). */
#include "core/report.h"

#include "core/catalog.h"

#include <stdarg.h>
#include <string.h>

void report_init(struct report *r)
{
	r->lines = g_ptr_array_new_with_free_func(g_free);
	r->paths = g_ptr_array_new_with_free_func(g_free);
	r->count = 0;
	r->catalog = NULL;
}

void report_init_like(struct report *r, const struct report *like)
{
	report_init(r);
	r->catalog = like->catalog;
}

const char *report_tr(const struct report *r, const char *text)
{
	return catalog_text(r->catalog, text);
}

void report_free(struct report *r)
{
	if (r->lines)
		g_ptr_array_free(r->lines, TRUE);
	if (r->paths)
		g_ptr_array_free(r->paths, TRUE);
	r->lines = r->paths = NULL;
	r->count = 0;
}

bool text_is_plain_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return false;
	return true;
}

char *text_escape_line(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 8);
	const char *p = s, *end = s + strlen(s);
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02X", (unsigned char)*p++);
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (c == '\n')
			g_string_append(out, "\\n");
		else if (c == '\r')
			g_string_append(out, "\\r");
		else if (c == '\t')
			g_string_append(out, "\\t");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029)
			g_string_append_printf(out, "\\u%04X", c);
		else
			g_string_append_len(out, p, next - p);
		p = next;
	}
	return g_string_free(out, FALSE);
}

void log_line(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *line = text_escape_line(raw);
	g_printerr("podium: %s\n", line);
	g_free(line);
	g_free(raw);
}

void report_merge(struct report *to, const char *prefix, const struct report *from)
{
	for (guint i = 0; i < from->lines->len; i++) {
		to->count++;
		if (to->lines->len >= REPORT_MAX_LINES)
			continue;
		const char *line = g_ptr_array_index(from->lines, i);
		g_ptr_array_add(to->lines, prefix ? g_strconcat(prefix, ": ", line, NULL) : g_strdup(line));
		g_ptr_array_add(to->paths, g_strdup(g_ptr_array_index(from->paths, i)));
	}
	to->count += from->count - from->lines->len;
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
	char *raw = g_strdup_vprintf(catalog_text(r->catalog, fmt), ap);
	va_end(ap);
	char *where = report_path(path, field);
	char *msg = text_escape_line(raw), *at = text_escape_line(where);
	g_ptr_array_add(r->lines, *at ? g_strconcat(at, ": ", msg, NULL) : g_strdup(msg));
	g_ptr_array_add(r->paths, where); /* the path as the code wrote it, for matching */
	g_free(at);
	g_free(msg);
	g_free(raw);
}

const char *report_message(const struct report *r, guint i, const char *name)
{
	const char *line = g_ptr_array_index(r->lines, i), *path = g_ptr_array_index(r->paths, i);
	size_t skip = strlen(name) + 2;
	const char *message = g_str_has_prefix(line, name) && strlen(line) >= skip && line[skip - 2] == ':'
				      ? line + skip : line;
	if (*path && g_str_has_prefix(message, path) && g_str_has_prefix(message + strlen(path), ": "))
		message += strlen(path) + 2;
	return message;
}
