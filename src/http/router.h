/* router.h: the dispatcher the server calls for every request (router.c). */
#pragma once
#include "http/http.h"

/*
 * Runs the route matching r->method and r->path, or answers 404, or 405
 * with *allow set to the Allow header's value (else NULL).
 */
void router_dispatch(struct request *r, const char **allow);
/* true when the caller of r has the role a route needs. */
bool role_allows(enum role needed, struct request *r);
