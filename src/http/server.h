/* server.h: `podium serve`, the built-in web server (server.c). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "http/router.h"

struct server_options {
	const char *db_path;
	route_tables routes;     /* the site's routes (main.c) */
	const struct auth *auth; /* accounts, for the routes that are not public (main.c) */
	uint64_t form_limit;     /* largest form body, bytes */
	uint64_t json_limit;     /* largest JSON body (api.max_body_bytes) */
	uint64_t file_limit;     /* largest file put (photos.max_bytes) */
	const char *listen;      /* "127.0.0.1:8080", "[::1]:8080" */
	unsigned threads;        /* worker threads, each with its own database connection */
	size_t cache_bytes;      /* budget of the rendered page cache; 0 turns it off */
	unsigned max_connections, max_per_ip;
	unsigned head_timeout, idle_timeout, body_timeout; /* seconds */
	const char *trusted_proxies; /* server.trusted_proxies: addresses and networks */
	const char *site_language;    /* site.language: readers' language when they ask for none known */
	const char *content_language; /* site.content_language: the language of the records' own texts */
	/*
	 * Work that falls due with time (main.c: scheduled articles): run at
	 * start and then every tick_seconds on a database connection of its
	 * own, off the request threads, with the server's clock (PODIUM_NOW in
	 * tests). NULL: none. Its failures are logged, never fatal.
	 */
	int (*tick)(struct store *s, int64_t now);
	unsigned tick_seconds;
};

/*
 * Serves until SIGINT or SIGTERM, then lets the requests in flight finish.
 * Returns an exit code: 0 after a signal, 64 for a bad --listen, 66 for a
 * missing database, 70 or 74 when it cannot start.
 */
int server_run(const struct server_options *o);
