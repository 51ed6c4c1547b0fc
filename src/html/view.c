/* view.c: labels, dates and pagination for page contexts (view.h). */
#include "html/view.h"

#include <stdlib.h>
#include <string.h>

#include "core/intl.h"

json_t *view_label(const char *value)
{
	if (!value)
		return json_null();
	char *label = g_strdup(value);
	for (char *p = label; *p; p++)
		if (*p == '-')
			*p = ' ';
	label[0] = g_ascii_toupper(label[0]);
	json_t *j = json_string(label);
	g_free(label);
	return j;
}

json_t *view_date(const char *date)
{
	char text[64];
	intl_format_date(date, text, sizeof text);
	return json_string(text);
}

json_t *view_date_range(const char *starts_on, const char *ends_on)
{
	char a[64], b[64];
	intl_format_date(starts_on, a, sizeof a);
	if (strcmp(starts_on, ends_on) == 0)
		return json_string(a);
	intl_format_date(ends_on, b, sizeof b);
	char *range = g_strdup_printf("%s – %s", a, b);
	json_t *j = json_string(range);
	g_free(range);
	return j;
}

bool view_page_number(struct request *r, int64_t *page)
{
	const char *text = request_query(r, "page");
	*page = 1;
	if (!text)
		return true;
	char *end;
	long long n = strtoll(text, &end, 10);
	if (!*text || *end || n < 1 || n > 1000000) {
		respond_error(r, 400, "The page number must be a whole number from 1.");
		return false;
	}
	*page = n;
	return true;
}

json_t *view_pagination(int64_t page, int64_t pages, const char *base)
{
	json_t *p = json_pack("{s:I,s:I,s:b}", "page", (json_int_t)page, "pages", (json_int_t)pages,
			      "multiple", pages > 1);
	if (page > 1) {
		char *url = page == 2 && g_str_has_suffix(base, "?page=")
				    ? g_strndup(base, strlen(base) - strlen("?page="))
				    : g_strdup_printf("%s%lld", base, (long long)page - 1);
		json_object_set_new(p, "prev", json_string(*url ? url : "/"));
		g_free(url);
	}
	if (page < pages) {
		char *url = g_strdup_printf("%s%lld", base, (long long)page + 1);
		json_object_set_new(p, "next", json_string(url));
		g_free(url);
	}
	return p;
}
