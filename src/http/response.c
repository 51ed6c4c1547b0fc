/*
 * response.c: how handlers answer (http.h): pages rendered from templates,
 * JSON documents, errors in the form the caller reads (a page, or JSON
 * under /api/), and store failures.
 */
#include <stdlib.h>
#include <string.h>

#include "html/assets.h"
#include "html/template.h"
#include "core/catalog.h"
#include "core/intl.h"
#include "core/report.h"
#include "http/http.h"

static void respond_status(struct request *r, int status, const char *content_type)
{
	r->status = status;
	r->content_type = content_type;
}

void respond_bytes(struct request *r, int status, const char *content_type, const char *data,
		   size_t len)
{
	g_string_truncate(r->body, 0);
	g_string_append_len(r->body, data, (gssize)len);
	respond_status(r, status, content_type);
}

enum { SITE_LANGUAGES_MAX = 8 };

/* The name of each of site_languages in itself ("中文"), asked of ICU once. */
static const char *const *own_names(void)
{
	static char names[SITE_LANGUAGES_MAX][64];
	static const char *list[SITE_LANGUAGES_MAX];
	static gsize done;
	if (g_once_init_enter(&done)) {
		for (size_t i = 0; site_languages[i] && i < SITE_LANGUAGES_MAX; i++) {
			intl_language_own_name(site_languages[i], names[i], sizeof names[i]);
			list[i] = names[i];
		}
		g_once_init_leave(&done, 1);
	}
	return list;
}

/* The page's language, and the addresses of its versions in the languages of the site. */
static void add_languages(struct request *r, json_t *context)
{
	json_object_set_new(context, "lang", json_string(r->reading.page ? r->reading.page : "en"));
	json_t *list = json_array();
	const char *const *names = own_names();
	for (size_t i = 0; site_languages[i] && i < SITE_LANGUAGES_MAX; i++) {
		const char *const *l = &site_languages[i], *name = names[i];
		bool current = r->reading.lang && language_same(r->reading.lang, *l);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:b}", "tag", *l, "name", name, "url",
						      request_url_with(r, "lang", *l), "current", current));
	}
	json_object_set_new(context, "languages", list);
}

void respond_page(struct request *r, int status, const char *template_name, json_t *context)
{
	if (!context) {
		/* a page's data could not be built (json_pack refuses a missing value): a bug */
		log_line("%s: no data for template %s", r->path, template_name);
		static const char text[] = "500 Internal Server Error\n";
		respond_bytes(r, 500, "text/plain; charset=utf-8", text, sizeof text - 1);
		r->cacheable = false;
		return;
	}
	assets_add_urls(context);
	add_languages(r, context);
	json_object_set_new(context, "page_template", json_string(template_name));
	g_string_truncate(r->body, 0);
	template_render(template_name, context, catalog_for(r->reading.page), r->body);
	respond_status(r, status, "text/html; charset=utf-8");
	json_decref(context);
}

void respond_private_page(struct request *r, int status, const char *template_name, json_t *context)
{
	r->private_page = true;
	if (context) {
		json_object_set_new(context, "csrf", json_string(r->auth->csrf_token(r)));
		if (r->caller.account)
			json_object_set_new(context, "me",
					    json_pack("{s:s,s:s,s:b,s:b,s:b}", "name", r->caller.name, "email",
						      r->caller.email, "admin", r->caller.admin, "admin_withheld",
						      r->caller.admin_withheld, "totp", r->caller.totp));
	}
	respond_page(r, status, template_name, context);
}

void respond_json(struct request *r, int status, json_t *doc)
{
	if (!doc) {
		log_line("%s: no JSON to answer with", r->path);
		doc = json_pack("{s:{s:i,s:s}}", "error", "status", 500, "message", "Something went wrong.");
		status = 500;
		r->cacheable = false;
	}
	g_string_truncate(r->body, 0);
	char *text = json_dumps(doc, JSON_INDENT(2));
	g_string_append(r->body, text ? text : "{}");
	g_string_append_c(r->body, '\n');
	g_free(text);
	json_decref(doc);
	respond_status(r, status, "application/json");
}

static const char *error_title(int status)
{
	switch (status) {
	case 400: return N_("Bad request");
	case 401: return N_("Sign-in needed");
	case 403: return N_("Forbidden");
	case 404: return N_("Not found");
	case 405: return N_("Method not allowed");
	case 409: return N_("Changed meanwhile");
	case 413: return N_("Too large");
	case 415: return N_("Unsupported type");
	case 422: return N_("Not accepted");
	case 429: return N_("Too many attempts");
	case 503: return N_("Unavailable");
	default: return N_("Something went wrong");
	}
}

void respond_error(struct request *r, int status, const char *message)
{
	r->cacheable = false;
	/* the message may quote what the caller sent: never let it break the answer */
	char *valid = g_utf8_make_valid(message, -1);
	if (g_str_has_prefix(r->path, "/api/"))
		respond_json(r, status, json_pack("{s:{s:i,s:s}}", "error", "status", status, "message",
						  valid));
	else
		respond_page(r, status, "error", json_pack("{s:i,s:s,s:s}", "status", status, "message",
							   valid, "title", tr(r, error_title(status))));
	g_free(valid);
}

void respond_store_error(struct request *r, int rc, const char *not_found)
{
	if (rc == STORE_NOT_FOUND) {
		respond_error(r, 404, not_found);
		return;
	}
	log_line("%s: %s", r->path, store_error(r->store));
	if (store_error_is_unavailable(r->store))
		respond_error(r, 503, tr(r, "The database cannot be reached now. Try again in a moment."));
	else
		respond_error(r, 500, tr(r, "The database cannot be read now."));
}

void respond_redirect(struct request *r, int status, const char *location)
{
	r->cacheable = false;
	r->location = arena_strdup(&r->arena, location);
	respond_bytes(r, status, "text/plain; charset=utf-8", "", 0);
}

void respond_set_cookie(struct request *r, const char *value)
{
	if (!r->set_cookies)
		r->set_cookies = g_ptr_array_new();
	g_ptr_array_add(r->set_cookies, arena_strdup(&r->arena, value));
	r->private_page = true;
}

void respond_later(struct request *r, handler_fn later)
{
	r->later = later;
}
