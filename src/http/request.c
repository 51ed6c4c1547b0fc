/* request.c: what a handler reads of its request (http.h). */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/intl.h"
#include "core/catalog.h"
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
		respond_error(r, 400, tr(r, "The page number must be a whole number from 1, in digits."));
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

/* A language of the site that tag asks for (zh-TW asks for zh), or NULL. */
static const char *site_language_of(const char *tag)
{
	return intl_accept_language(tag, site_languages);
}

/* The interface language of a reader's: its catalog's, else the site's, else English. */
static const char *page_language(const char *lang, const char *site_language)
{
	return catalog_language(catalog_for(catalog_exists(lang) ? lang : site_language));
}

/* The reader's language as the head says it: the lang cookie, else Accept-Language; NULL when neither does. */
static const char *head_language(struct request *r)
{
	const char *cookie = request_cookie(r, "lang");
	if (cookie && intl_is_language(cookie))
		return cookie;
	return site_language_of(request_header(r, "Accept-Language"));
}

bool request_choose_language(struct request *r, const char *site_language, const char *content_language)
{
	const char *asked = request_query(r, "lang"), *lang = NULL;
	r->language_varies = false;
	if (asked) {
		if (!intl_is_language(asked)) {
			r->reading = (struct reading){site_language, page_language(site_language, site_language),
						      content_language};
			respond_error(r, 400,
				      arena_printf(&r->arena, tr(r, "'%s' is not a language tag: use one such as en or zh."),
						   asked));
			return false;
		}
		lang = asked;
		/* a page that sets a cookie is its caller's alone: only when the cookie says otherwise */
		if (g_strcmp0(request_cookie(r, "lang"), asked) != 0)
			respond_set_cookie(r, arena_printf(&r->arena, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax",
							   asked));
	} else {
		r->language_varies = true;
		lang = head_language(r);
	}
	if (!lang)
		lang = site_language;
	r->reading = (struct reading){arena_strdup(&r->arena, lang), page_language(lang, site_language),
				      content_language};
	return true;
}

void request_choose_head_language(struct request *r, const char *site_language, const char *content_language)
{
	const char *lang = head_language(r);
	if (!lang)
		lang = site_language;
	r->reading = (struct reading){arena_strdup(&r->arena, lang), page_language(lang, site_language),
				      content_language};
}
