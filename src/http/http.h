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
#include <stdio.h>

#include "core/arena.h"
#include "core/translation.h"
#include "store/store.h"

enum method { METHOD_GET = 1, METHOD_HEAD = 2, METHOD_POST = 4, METHOD_PUT = 8, METHOD_DELETE = 16 };
/* The methods that change state: run in their own transactions, never cached, CSRF-checked. */
#define METHODS_CHANGING (METHOD_POST | METHOD_PUT | METHOD_DELETE)

/*
 * Who may use a route. The per-program roles are held in the program the
 * route's first {param} names (its {slug}); an admin holds every role, a
 * manager of a program also its editor's and reviewer's.
 */
enum role {
	ROLE_PUBLIC,    /* anybody, signed in or not */
	ROLE_SIGNED_IN, /* any account */
	ROLE_EDITOR,    /* editor of the program */
	ROLE_REVIEWER,  /* reviewer of the program */
	ROLE_NEWSROOM,  /* editor, reviewer or manager of the program: its articles */
	ROLE_MANAGER,   /* manager of the program */
	ROLE_STAFF,     /* admin, or manager of any program: the shared people and organizations */
	ROLE_ADMIN,     /* admin */
};

/* What a route takes as a body (POST, PUT). */
enum body_kind {
	BODY_NONE, /* none: a body is refused before it is read */
	BODY_FORM, /* an HTML form: application/x-www-form-urlencoded or multipart/form-data */
	BODY_JSON, /* application/json, spooled to a temporary file */
	BODY_FILE, /* a file of any type (the handler judges it), spooled to a temporary file */
	BODY_UPLOAD, /* a form with files (several photos): BODY_FORM with room for UPLOAD_FILES_MAX files */
};

/* The files a BODY_UPLOAD form may carry, each at most the largest file a PUT takes. */
enum { UPLOAD_FILES_MAX = 8 };

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
	/* The path holds a secret (a one-time link): the access log shows the route's pattern instead. */
	ROUTE_SECRET = 8,
};

/* Who sent a request, when the route needs to know (routes not ROLE_PUBLIC). */
struct caller {
	int64_t account;     /* 0: anonymous */
	const char *email, *name;
	bool admin;          /* admin rights: an admin account's, unless withheld */
	bool admin_withheld; /* an admin account without the second factor the site requires of admins */
	bool totp;           /* two-factor sign-in is on */
	bool by_token;       /* Authorization: Bearer: no cookie, so no CSRF token needed */
	const char *session; /* the session cookie's secret (for the CSRF token), or NULL */
};

/* A file part of a multipart form. */
struct upload {
	const char *field, *filename, *content_type;
	FILE *file; /* the bytes, in an unlinked temporary file, rewound */
	uint64_t size;
};

struct request;
struct auth;
typedef void (*handler_fn)(struct request *r);

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
	struct caller caller;                  /* filled by the dispatcher for routes not ROLE_PUBLIC */
	struct reading reading;                /* the languages it is read in (request_choose_language) */
	bool language_varies;                  /* chosen by a cookie or Accept-Language: pages say Vary */
	const struct auth *auth;               /* for request_may */
	GHashTable *form;                      /* a form's text fields, name -> value; NULL without */
	GPtrArray *uploads;                    /* a form's file parts (struct upload *), or NULL */
	FILE *raw_body;                        /* a BODY_JSON or BODY_FILE body, rewound, or NULL */
	uint64_t raw_length;
	/* what is answered */
	int status;
	const char *content_type;
	GString *body;
	const char *filename;                  /* Content-Disposition inline name, or NULL */
	bool cacheable;                        /* may be kept in the page cache and revalidated by ETag */
	bool immutable;                        /* a content-hashed file: cached for a year */
	const char *allow;                     /* the Allow header of a 405, or NULL */
	const char *location;                  /* the Location header of a redirect, or NULL */
	const char *www_authenticate;          /* the WWW-Authenticate header of a 401, or NULL */
	const char *server_timing;             /* the Server-Timing header (what took how long), or NULL */
	GPtrArray *set_cookies;                /* Set-Cookie values (arena strings), or NULL */
	bool private_page;                     /* for one caller: Cache-Control: no-store, never cached */
	handler_fn later;                      /* respond_later: the rest runs off the connection threads */
	handler_fn after;                      /* runs once the answer is made, outside its transaction */
};

struct route {
	unsigned methods;     /* METHOD_ bits */
	const char *pattern;  /* "/programs/{slug}/articles/{key}" */
	handler_fn handler;
	enum role role;
	bool csrf;            /* state changes: a POST with a CSRF token */
	unsigned flags;       /* route_flags */
	enum body_kind body;  /* what a POST takes */
};

/* What the dispatcher asks of accounts (given by the feature that has them: main.c wires it). */
enum auth_answer { AUTH_ALLOW, AUTH_DENY, AUTH_NO_PROGRAM, AUTH_ERROR };
struct auth {
	/*
	 * Fills r->caller from the session cookie or the bearer token, when
	 * valid; leaves it anonymous otherwise. false on a store error, with
	 * the answer made (respond_store_error).
	 */
	bool (*identify)(struct request *r);
	/* Whether r->caller holds role, in program slug (NULL for roles not of a program). */
	enum auth_answer (*allows)(struct request *r, enum role role, const char *slug);
	/*
	 * Whether token is the CSRF token of r->caller's session or, for an
	 * anonymous caller (the sign-in form), of its pre-session cookie.
	 */
	bool (*csrf_valid)(struct request *r, const char *token);
	/* The CSRF token the forms of a page for r->caller carry (a pre-session one for anonymous callers). */
	const char *(*csrf_token)(struct request *r);
	/*
	 * A look at r's head alone, without the store: false when r carries
	 * nothing that could name an account (no session cookie, no bearer
	 * token of the right shape), so that a POST to a route that needs
	 * one is answered before its body is read.
	 */
	bool (*may_name_someone)(struct request *r);
};

/*
 * The value of query parameter name, or NULL. Every value of a request was
 * checked to be UTF-8 without control characters before any handler runs.
 */
const char *request_query(struct request *r, const char *name);
/* The languages the site's pages are offered in, the source's first, NULL-ended (language.c). */
extern const char *const site_languages[];
/*
 * msgid in the language of r's pages (r->reading.page), through the
 * catalogs (core/catalog.h); the build extracts the strings of tr and trn.
 */
const char *tr(struct request *r, const char *msgid) __attribute__((format_arg(2)));
/* An empty report (core/report.h) whose problems are written in the language of r's pages. */
struct report;
void request_report_init(struct request *r, struct report *rep);
/* The form of singular/plural for count n in the language of r's pages. */
const char *trn(struct request *r, const char *singular, const char *plural, long n)
	__attribute__((format_arg(2))) __attribute__((format_arg(3)));
/*
 * Chooses the languages r is read in (r->reading): the reader's from
 * ?lang= (which also sets the lang cookie), else the lang cookie, else
 * Accept-Language among site_languages, else site_language; the page's,
 * the interface's; the originals', content_language. Returns false after
 * answering 400 for a ?lang= that is not a well-formed BCP 47 tag.
 */
bool request_choose_language(struct request *r, const char *site_language, const char *content_language);
/*
 * request_choose_language for an answer made before the request is read
 * (a bad target, a body too large): from the lang cookie and
 * Accept-Language alone, setting nothing.
 */
void request_choose_head_language(struct request *r, const char *site_language, const char *content_language);
/* The address of this page (path and query) with query parameter name set to value (an arena string). */
const char *request_url_with(struct request *r, const char *name, const char *value);
/*
 * Reads ?page=N (1 when absent) into *page. Returns false after answering
 * 400 when it is not a whole number from 1, written in digits only.
 */
bool request_page_number(struct request *r, int64_t *page);

/* Answers status with template name rendered over context (the page's data; the reference is stolen). */
void respond_page(struct request *r, int status, const char *template_name, json_t *context);
/*
 * A page for the caller alone (the back office): respond_page, never
 * cached, its context given the forms' CSRF token ("csrf") and the caller
 * ("me": name, email, admin).
 */
void respond_private_page(struct request *r, int status, const char *template_name, json_t *context);
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
/*
 * Whether the caller (known on routes not ROLE_PUBLIC, and on public ones
 * when the request carries a token) holds role in program slug.
 */
bool request_may(struct request *r, enum role role, const char *slug);
/* The value of form field name (a POST's), or NULL. */
const char *request_form(struct request *r, const char *name);
/* The value of cookie name, or NULL. */
const char *request_cookie(struct request *r, const char *name);
/* The value of request header name, or NULL. */
const char *request_header(struct request *r, const char *name);
/* Answers a redirect (303 See Other after a POST) to location, a local path. */
void respond_redirect(struct request *r, int status, const char *location);
/* Adds a Set-Cookie header with value (the whole header value, attributes included). */
void respond_set_cookie(struct request *r, const char *value);
/*
 * Runs later(r) on the slow pool, off the threads that serve pages, and
 * answers what it answers: for work that takes a core for a while
 * (password hashes). later manages its own transactions.
 */
void respond_later(struct request *r, handler_fn later);
/* Answers bytes of a content type. */
void respond_bytes(struct request *r, int status, const char *content_type, const char *data,
		   size_t len);
