/*
 * router.c: the route table and the dispatcher. Every request goes through
 * router_dispatch, which finds the route, answers 404 and 405 itself, and
 * checks the route's role before its handler runs.
 */
#include <string.h>

#include "html/template.h"
#include "http/http.h"
#include "http/router.h"

static const struct route *const route_tables[] = {
	program_routes, timetable_routes, news_routes, person_routes, api_routes, static_routes,
};

/* Matches path against pattern, filling params (arena copies). */
static bool route_match(const char *pattern, const char *path, struct request *r)
{
	size_t n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (len == 0 || n == ROUTE_MAX_PARAMS)
				return false;
			r->params[n++] = arena_strndup(&r->arena, s, len);
			s += len;
			p = strchr(p, '}') + 1;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	return *p == '\0' && *s == '\0';
}

static const char *allow_header(unsigned methods)
{
	static const char *const names[] = {"GET, HEAD", "GET, HEAD, POST", "POST"};
	return (methods & METHOD_POST) ? ((methods & METHOD_GET) ? names[1] : names[2]) : names[0];
}

bool role_allows(enum role needed, struct request *r)
{
	(void)r;
	return needed == ROLE_PUBLIC;
}

void router_dispatch(struct request *r, const char **allow)
{
	unsigned allowed = 0;
	*allow = NULL;
	for (size_t t = 0; t < G_N_ELEMENTS(route_tables); t++) {
		for (const struct route *route = route_tables[t]; route->pattern; route++) {
			if (!route_match(route->pattern, r->path, r))
				continue;
			if (!(route->methods & r->method)) {
				allowed |= route->methods;
				continue;
			}
			if (!role_allows(route->role, r)) {
				respond_error(r, 403, "You may not see this page.");
				return;
			}
			route->handler(r);
			return;
		}
	}
	if (allowed) {
		*allow = allow_header(allowed);
		respond_error(r, 405, "This address does not take that method.");
		return;
	}
	respond_error(r, 404, "There is no page at this address.");
}

static void respond_text(struct request *r, int status, const char *content_type)
{
	r->status = status;
	r->content_type = content_type;
}

void respond_page(struct request *r, int status, const char *template_name, json_t *context)
{
	if (!context) {
		/* a page's data could not be built (json_pack refuses a missing value): a bug */
		g_printerr("podium: %s: no data for template %s\n", r->path, template_name);
		static const char text[] = "500 Internal Server Error\n";
		respond_bytes(r, 500, "text/plain; charset=utf-8", text, sizeof text - 1);
		r->cacheable = false;
		return;
	}
	static_add_urls(context);
	json_object_set_new(context, "page_template", json_string(template_name));
	g_string_truncate(r->body, 0);
	template_render(template_name, context, r->body);
	respond_text(r, status, "text/html; charset=utf-8");
	json_decref(context);
}

void respond_json(struct request *r, int status, json_t *doc)
{
	if (!doc) {
		g_printerr("podium: %s: no JSON to answer with\n", r->path);
		doc = json_pack("{s:{s:i,s:s}}", "error", "status", 500, "message", "Something went wrong.");
		status = 500;
		r->cacheable = false;
	}
	g_string_truncate(r->body, 0);
	char *text = json_dumps(doc, JSON_INDENT(2));
	g_string_append(r->body, text ? text : "{}");
	g_string_append_c(r->body, '\n');
	free(text);
	json_decref(doc);
	respond_text(r, status, "application/json");
}

void respond_bytes(struct request *r, int status, const char *content_type, const char *data,
		   size_t len)
{
	g_string_truncate(r->body, 0);
	g_string_append_len(r->body, data, (gssize)len);
	respond_text(r, status, content_type);
}

void respond_error(struct request *r, int status, const char *message)
{
	r->cacheable = false;
	if (g_str_has_prefix(r->path, "/api/")) {
		respond_json(r, status, json_pack("{s:{s:i,s:s}}", "error", "status", status, "message",
						  message));
		return;
	}
	json_t *ctx = json_pack("{s:i,s:s,s:s}", "status", status, "message", message, "title",
				status == 404 ? "Not found" : status == 405 ? "Method not allowed"
				: status == 400 ? "Bad request" : status == 403 ? "Forbidden"
				: "Something went wrong");
	respond_page(r, status, "error", ctx);
}
