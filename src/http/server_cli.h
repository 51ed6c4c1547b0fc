/* server_cli.h: `podium serve` (server_cli.c). */
#pragma once
#include "core/cli.h"
#include "http/router.h"

/*
 * Serves the site made of routes (the tables main.c lists), asking auth
 * about accounts, running tick (work that falls due with time, or NULL)
 * at start and every half minute.
 */
int server_cli_serve(struct cli *c, route_tables routes, const struct auth *auth,
		     int (*tick)(struct store *s, int64_t now));
