/*
 * http.h: the web side of podium: a request as handlers see it, the route
 * table they are listed in, and the responses they give. The server
 * (server.c) runs libmicrohttpd; the dispatcher (router.c) checks method
 * and role before a handler runs; a handler never touches libmicrohttpd.
 */
#pragma once
#include <glib.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

enum method { METHOD_GET = 1, METHOD_HEAD = 2, METHOD_POST = 4 };
enum role { ROLE_PUBLIC }; /* the back office adds more */

enum { ROUTE_MAX_PARAMS = 4 };

struct request {
	/* what was asked */
	enum method method;
	const char *path;                      /* decoded path, without the query */
	const char *params[ROUTE_MAX_PARAMS];  /* the {name} parts of the route, in order */
	void *connection;                      /* for request_query; opaque to handlers */
	struct store *store;                   /* this thread's database connection */
	int64_t now;                           /* the current time, UTC seconds (PODIUM_NOW in tests) */
	struct arena arena;                    /* freed when the request ends */
	/* what is answered */
	int status;
	const char *content_type;
	GString *body;
	const char *filename;                  /* Content-Disposition inline name, or NULL */
	bool cacheable;                        /* may be kept in the page cache and revalidated by ETag */
	bool immutable;                        /* a content-hashed file: cached for a year */
};

typedef void (*handler_fn)(struct request *r);

struct route {
	unsigned methods;     /* METHOD_ bits */
	const char *pattern;  /* "/programs/{slug}/articles/{key}" */
	handler_fn handler;
	enum role role;
	bool csrf;            /* state changes: a POST with a CSRF token */
};

/* The value of query parameter name, or NULL. */
const char *request_query(struct request *r, const char *name);

/* Answers status with template name rendered over context (the page's data; the reference is stolen). */
void respond_page(struct request *r, int status, const char *template_name, json_t *context);
/* Answers status with JSON document doc (the reference is stolen). */
void respond_json(struct request *r, int status, json_t *doc);
/* Answers an error: a JSON error under /api/, else an HTML page saying message. */
void respond_error(struct request *r, int status, const char *message);
/* Answers bytes of a content type. */
void respond_bytes(struct request *r, int status, const char *content_type, const char *data,
		   size_t len);

/* The path of an embedded static file by its name ("podium.css"), content-hashed. */
const char *static_url(const char *name);
/* Adds "static" (urls of the styles, script and icon) to a page context. */
void static_add_urls(json_t *context);

/* The route tables of the features, each ending with a {0} row. */
extern const struct route program_routes[], timetable_routes[], news_routes[], person_routes[],
	api_routes[], static_routes[];
