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

/* What the answer to a route depends on, besides the database and the request's path and query. */
enum route_flags {
	/*
	 * The answer is the same for every caller: it may be kept in the page
	 * cache, and its ETag is made from what it is made of (the data
	 * version, the path and query, the language), so that a matching
	 * If-None-Match is answered 304 without making the page.
	 */
	ROUTE_SHARED = 1,
	/* The answer also depends on the current time (the order of "/"): the ETag includes it. */
	ROUTE_TIMED = 2,
	/* The answer depends on nothing but the path (a compiled-in file): not on the data either. */
	ROUTE_FIXED = 4,
};

struct request {
	/* what was asked */
	enum method method;
	const char *path;                      /* decoded path, without the query */
	const char *params[ROUTE_MAX_PARAMS];  /* the {name} parts of the route, in order */
	const char *client;                    /* the client's address (behind a trusted proxy, its X-Forwarded-For) */
	bool https;                            /* the client spoke https (X-Forwarded-Proto of a trusted proxy) */
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
	const char *allow;                     /* the Allow header of a 405, or NULL */
};

typedef void (*handler_fn)(struct request *r);

struct route {
	unsigned methods;     /* METHOD_ bits */
	const char *pattern;  /* "/programs/{slug}/articles/{key}" */
	handler_fn handler;
	enum role role;
	bool csrf;            /* state changes: a POST with a CSRF token */
	unsigned flags;       /* route_flags */
};

/*
 * The value of query parameter name, or NULL. Every value of a request was
 * checked to be UTF-8 without control characters before any handler runs.
 */
const char *request_query(struct request *r, const char *name);
/*
 * Reads ?page=N (1 when absent) into *page. Returns false after answering
 * 400 when it is not a whole number from 1, written in digits only.
 */
bool request_page_number(struct request *r, int64_t *page);

/* Answers status with template name rendered over context (the page's data; the reference is stolen). */
void respond_page(struct request *r, int status, const char *template_name, json_t *context);
/* Answers status with JSON document doc (the reference is stolen). */
void respond_json(struct request *r, int status, json_t *doc);
/* Answers an error: a JSON error under /api/, else an HTML page saying message. */
void respond_error(struct request *r, int status, const char *message);
/*
 * Answers a store call's failure: rc STORE_NOT_FOUND is a 404 saying
 * not_found; STORE_ERROR is logged once and answered 500 (503 when the
 * database cannot be reached now). Never kept in the page cache.
 */
void respond_store_error(struct request *r, int rc, const char *not_found);
/* Answers bytes of a content type. */
void respond_bytes(struct request *r, int status, const char *content_type, const char *data,
		   size_t len);
