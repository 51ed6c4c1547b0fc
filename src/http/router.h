/* router.h: the dispatcher the server calls for every request (router.c). */
#pragma once
#include "http/http.h"

/*
 * The route tables of a site, each ending with a {0} row, in the order
 * they are tried; the list ends with NULL. main.c names them: the http
 * layer names no feature.
 */
typedef const struct route *const *route_tables;

/*
 * The route of tables whose pattern matches r->path and that takes
 * r->method, with r->params filled; NULL when none. *allowed gets the
 * methods of the routes whose pattern matched (0 when none did).
 */
const struct route *router_find(route_tables tables, struct request *r, unsigned *allowed);
/*
 * Answers r: runs route's handler after checking, through auth, the
 * caller's role and a state change's CSRF token, or, when route is NULL,
 * answers 405 (allowed methods set) or 404.
 */
void router_run(const struct route *route, unsigned allowed, const struct auth *auth, struct request *r);
/* Answers an anonymous caller of a route that needs an account: 303 to the sign-in page, or 401 under /api/. */
void router_ask_to_sign_in(struct request *r);
/* The Allow header's value for methods (METHOD_ bits). */
const char *router_allow(unsigned methods);
