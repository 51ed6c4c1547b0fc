/*
 * router.c: finding a request's route in the site's route tables, and
 * running it: the dispatcher answers 404 and 405 itself, and checks the
 * route's role before its handler runs, so a handler cannot forget it.
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

static bool role_allows(enum role needed, const struct request *r)
{
	(void)r;
	return needed == ROLE_PUBLIC;
}

const char *router_allow(unsigned methods)
{
	static const char *const names[] = {"GET, HEAD", "GET, HEAD, POST", "POST"};
	return (methods & METHOD_POST) ? ((methods & METHOD_GET) ? names[1] : names[2]) : names[0];
}

void router_run(const struct route *route, unsigned allowed, struct request *r)
{
	if (route && !role_allows(route->role, r)) {
		respond_error(r, 403, "You may not see this page.");
	} else if (route) {
		route->handler(r);
	} else if (allowed) {
		r->allow = router_allow(allowed);
		respond_error(r, 405, "This address does not take that method.");
	} else {
		respond_error(r, 404, "There is no page at this address.");
	}
}
