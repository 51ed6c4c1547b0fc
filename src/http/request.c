/* request.c: what a handler reads of its request (http.h). */
#include <microhttpd.h>
#include <stdlib.h>

#include "http/http.h"

const char *request_query(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
}

bool request_page_number(struct request *r, int64_t *page)
{
	const char *text = request_query(r, "page");
	*page = 1;
	if (!text)
		return true;
	size_t digits = strspn(text, "0123456789");
	long long n = digits && !text[digits] && digits <= 7 ? strtoll(text, NULL, 10) : 0;
	if (n < 1 || n > 1000000) {
		respond_error(r, 400, "The page number must be a whole number from 1, in digits.");
		return false;
	}
	*page = n;
	return true;
}

const char *request_form(struct request *r, const char *name)
{
	return r->form ? g_hash_table_lookup(r->form, name) : NULL;
}

const char *request_cookie(struct request *r, const char *name)
{
	return r->connection ? MHD_lookup_connection_value(r->connection, MHD_COOKIE_KIND, name) : NULL;
}

const char *request_header(struct request *r, const char *name)
{
	return r->connection ? MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, name) : NULL;
}
