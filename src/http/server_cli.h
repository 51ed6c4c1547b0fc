/* server_cli.h: `podium serve` (server_cli.c). */
#pragma once
#include "core/cli.h"
#include "http/router.h"

/* Serves the site made of routes (the tables main.c lists), asking auth about accounts. */
int server_cli_serve(struct cli *c, route_tables routes, const struct auth *auth);
