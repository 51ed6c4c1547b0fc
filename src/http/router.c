/*
 * router.c: finding a request's route in the site's route tables, and
 * running it: the dispatcher answers 404 and 405 itself, and checks the
 * caller's account, the route's role and the CSRF token of a state change
 * before its handler runs, so a handler cannot forget them.
 */
#include <string.h>

#include "http/router.h"

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

const struct route *router_find(route_tables tables, struct request *r, unsigned *allowed)
{
	*allowed = 0;
	for (size_t t = 0; tables[t]; t++) {
		for (const struct route *route = tables[t]; route->pattern; route++) {
			if (!route_match(route->pattern, r->path, r))
				continue;
			if (route->methods & r->method)
				return route;
			*allowed |= route->methods;
		}
	}
	return NULL;
}

const char *router_allow(unsigned methods)
{
	static const char *const names[] = {"GET, HEAD", "GET, HEAD, POST", "POST", "PUT, DELETE"};
	if (methods & (METHOD_PUT | METHOD_DELETE))
		return names[3];
	return (methods & METHOD_POST) ? ((methods & METHOD_GET) ? names[1] : names[2]) : names[0];
}

/* The Origin (else Referer) of a POST names this site, when it is sent. */
static bool origin_is_ours(struct request *r)
{
	const char *origin = request_header(r, "Origin");
	if (!origin || !*origin || strcmp(origin, "null") == 0)
		origin = request_header(r, "Referer");
	if (!origin)
		return true; /* not sent: the token alone decides */
	const char *host = request_header(r, "Host");
	if (!host)
		return false;
	const char *rest = g_str_has_prefix(origin, "https://") ? origin + 8
			 : g_str_has_prefix(origin, "http://")  ? origin + 7 : NULL;
	if (!rest)
		return false;
	size_t len = strcspn(rest, "/?#");
	return len == strlen(host) && g_ascii_strncasecmp(rest, host, len) == 0;
}

/* The CSRF check of a state change: the form's token is the caller's, and the origin ours. */
static bool csrf_passes(const struct auth *auth, struct request *r)
{
	if (r->caller.by_token)
		return true; /* a bearer token is never sent by a browser on its own */
	const char *token = request_form(r, "csrf");
	return token && origin_is_ours(r) && auth->csrf_valid(r, token);
}

void router_ask_to_sign_in(struct request *r)
{
	if (g_str_has_prefix(r->path, "/api/")) {
		r->www_authenticate = "Bearer realm=\"podium\"";
		respond_error(r, 401, "This needs an API token: Authorization: Bearer TOKEN.");
		return;
	}
	GString *to = g_string_new("/login?next=");
	g_string_append_uri_escaped(to, r->path, "/", FALSE);
	respond_redirect(r, 303, arena_strdup(&r->arena, to->str));
	g_string_free(to, TRUE);
}

/* Whether the route may run for r->caller; answers when it may not. */
static bool admitted(const struct route *route, const struct auth *auth, struct request *r)
{
	/* a public route is answered without asking who calls, unless the caller says (a token) */
	if (route->role == ROLE_PUBLIC && !route->csrf && !request_header(r, "Authorization"))
		return true;
	r->private_page = true;
	if (!auth->identify(r))
		return false;
	if (route->role != ROLE_PUBLIC) {
		if (!r->caller.account) {
			router_ask_to_sign_in(r);
			return false;
		}
		const char *slug = strstr(route->pattern, "{") ? r->params[0] : NULL;
		switch (auth->allows(r, route->role, slug)) {
		case AUTH_ALLOW:
			break;
		case AUTH_NO_PROGRAM:
			respond_error(r, 404, tr(r, "There is no program at this address."));
			return false;
		case AUTH_DENY:
			respond_error(r, 403, tr(r, "Your account may not do this."));
			return false;
		case AUTH_ERROR:
			respond_store_error(r, STORE_ERROR, NULL);
			return false;
		}
	}
	if (route->csrf && (r->method & METHODS_CHANGING) && !csrf_passes(auth, r)) {
		respond_error(r, 403, tr(r, "This form is out of date or was sent from another site: "
					 "load the page again and send it from there."));
		return false;
	}
	return true;
}

bool request_may(struct request *r, enum role role, const char *slug)
{
	if (!r->caller.account)
		return false;
	return r->auth->allows(r, role, slug) == AUTH_ALLOW;
}

void router_run(const struct route *route, unsigned allowed, const struct auth *auth, struct request *r)
{
	r->auth = auth;
	if (route) {
		if (admitted(route, auth, r))
			route->handler(r);
	} else if (allowed) {
		r->allow = router_allow(allowed);
		respond_error(r, 405, tr(r, "This address does not take that method."));
	} else {
		respond_error(r, 404, tr(r, "There is no page at this address."));
	}
}
