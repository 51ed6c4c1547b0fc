/* language.c: the languages the site is offered in, and the addresses of a page's versions (http.h). */
#include <microhttpd.h>
#include <string.h>

#include "core/catalog.h"
#include "core/report.h"
#include "http/http.h"
#include "http/uri.h"

/* The languages of the interface's catalogs (core/catalog.h), English first. */
const char *const site_languages[] = {"en", "zh", NULL};

const char *tr(struct request *r, const char *msgid)
{
	return catalog_text(catalog_for(r->reading.page), msgid);
}

void request_report_init(struct request *r, struct report *rep)
{
	report_init(rep);
	rep->catalog = catalog_for(r->reading.page);
}

const char *trn(struct request *r, const char *singular, const char *plural, long n)
{
	return catalog_plural(catalog_for(r->reading.page), singular, plural, n);
}

/* An address being written: the query arguments but skip. */
struct url_build {
	GString *url;
	const char *skip;
};

static enum MHD_Result add_argument(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct url_build *b = cls;
	if (strcmp(key, b->skip) == 0)
		return MHD_YES;
	g_string_append_c(b->url, strchr(b->url->str, '?') ? '&' : '?');
	uri_append_escaped(b->url, key, NULL);
	if (value) {
		g_string_append_c(b->url, '=');
		uri_append_escaped(b->url, value, NULL);
	}
	return MHD_YES;
}

const char *request_url_with(struct request *r, const char *name, const char *value)
{
	GString *url = g_string_new(NULL);
	uri_append_escaped(url, r->path, "/");
	struct url_build b = {url, name};
	if (r->connection)
		MHD_get_connection_values(r->connection, MHD_GET_ARGUMENT_KIND, add_argument, &b);
	g_string_append_printf(url, "%c%s=", strchr(url->str, '?') ? '&' : '?', name);
	uri_append_escaped(url, value, NULL);
	char *copy = arena_strdup(&r->arena, url->str);
	g_string_free(url, TRUE);
	return copy;
}
