/*
 * server.c: libmicrohttpd glue: the daemon with its thread pool and limits,
 * one database connection per worker thread, the rendered page cache,
 * ETags made from what a page is made of and 304s without making it,
 * security headers, the access log, and a clean stop on SIGINT/SIGTERM.
 * Handlers see none of it (http.h).
 */
#include "core/catalog.h"
#include "http/server.h"

#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "core/report.h"
#include "core/values.h"
#include "html/template.h"
#include "http/body.h"
#include "http/guard.h"
#include "http/head.h"
#include "http/http.h"
#include "http/uri.h"

enum {
	PAGE_CACHE_SECONDS = 60,
	TIME_BUCKET_SECONDS = 900, /* every zone's offset is a multiple of 15 minutes */
	LISTEN_BACKLOG = 1024,
	SLOW_THREADS = 16, /* respond_later's workers: mostly waiting for a password hash's turn */
};

static const char security_headers[][2][64] = {
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
};
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; base-uri 'none'; form-action 'self'; "
			  "frame-ancestors 'none'";

/* What lives as long as the server: set before the daemon starts, read by every thread. */
static struct {
	const char *db_path;
	route_tables routes;
	const struct auth *auth;  /* accounts, for routes that are not public (main.c) */
	uint64_t form_limit, json_limit; /* largest body of a form, of a JSON document */
	uint64_t file_limit;             /* largest file put (photos.max_bytes) */
	GThreadPool *slow;        /* respond_later's work, off the connection threads */
	_Atomic bool stopping;    /* SIGTERM came: requests begun since are refused */
	_Atomic int in_flight;    /* requests begun and not yet completed */
	int64_t fixed_now; /* PODIUM_NOW, or -1 */
	size_t cache_budget;
	gint generation;   /* bumped when the database changes */
	_Atomic gint64 changed_at; /* monotonic time of the last bump */
	struct store_watch *watch; /* tells of every change (store.h), or NULL */
	GMutex log_lock;
	GString *log;      /* access log lines not yet written */
	gint64 log_flushed;
	GMutex cache_lock;
	GHashTable *cache; /* key -> struct cached* */
	size_t cache_bytes;
	GHashTable *etag_lengths; /* ETag -> the length of its 200's body (under cache_lock) */
	struct proxies *proxies;  /* server.trusted_proxies, or NULL */
	char *site_language, *content_language; /* site.language, site.content_language */
	GMutex mhd_log_lock;      /* libmicrohttpd's messages: a few a second, the rest counted */
	gint64 mhd_log_second;
	unsigned mhd_log_lines, mhd_log_dropped;
} server;

/* The current time, UTC seconds: PODIUM_NOW when set (tests). */
static int64_t server_now(void)
{
	return server.fixed_now >= 0 ? server.fixed_now : g_get_real_time() / G_USEC_PER_SEC;
}

struct cached {
	struct MHD_Response *response; /* one reference held by the cache */
	char *etag;
	const char *cache_control;     /* a static string */
	size_t bytes;                  /* what it costs the cache's budget */
	size_t body_bytes;             /* the answer's length, for the access log */
	int generation;
	int64_t bucket;                /* the time bucket of a timed page, else 0 */
	int64_t expires;               /* monotonic seconds */
};

static void cached_free(gpointer p)
{
	struct cached *c = p;
	MHD_destroy_response(c->response);
	g_free(c->etag);
	g_free(c);
}

/* ------------------------------------------------------------ the database, per thread */

/* A worker thread's database connection and the data version it last saw. */
struct thread_state {
	struct store *store;
	int64_t data_version;
};

static void thread_state_free(gpointer p)
{
	struct thread_state *t = p;
	store_close(t->store);
	g_free(t);
}

static GPrivate thread_state_key = G_PRIVATE_INIT(thread_state_free);

/* This thread's connection, opened on first use; NULL when it cannot be opened. */
static struct thread_state *thread_state(void)
{
	struct thread_state *t = g_private_get(&thread_state_key);
	if (t)
		return t;
	char *error = NULL;
	int code;
	struct store *s = store_open(server.db_path, STORE_EXISTING, NULL, &error, &code);
	if (!s) {
		g_printerr("podium: %s\n", error);
		g_free(error);
		return NULL;
	}
	t = g_new0(struct thread_state, 1);
	t->store = s;
	t->data_version = -1;
	g_private_set(&thread_state_key, t);
	return t;
}

static void database_changed(void *unused)
{
	(void)unused;
	g_atomic_int_inc(&server.generation);
	atomic_store(&server.changed_at, g_get_monotonic_time());
}

/*
 * Bumps the generation when this thread's connection sees a change made
 * elsewhere. A connection's first reading bumps too: what was cached before
 * it may predate a change it cannot see as one. With the store's watch
 * running, only that first reading is taken: the watch tells of every
 * write without a query on each request.
 */
static bool database_check(struct thread_state *t)
{
	if (server.watch && t->data_version != -1)
		return true;
	int64_t v;
	if (store_data_version(t->store, &v) != STORE_OK)
		return false;
	if (v != t->data_version) {
		database_changed(NULL);
		t->data_version = v;
	}
	return true;
}

/* ------------------------------------------------------------ requests */

/*
 * Per request, made when its request line arrives (on_request_line): what
 * the access log needs and what the first call of the handler decided.
 */
struct request_log {
	gint64 started;
	int status;
	size_t bytes;
	char *method, *path;
	bool head_judged;             /* the first call of the handler ran */
	bool after_stop;              /* began after SIGTERM: refused with 503 */
	const char *target_problem;   /* the request target as sent is bad: a 400 (uri.h) */
	char client[CLIENT_ADDRESS_MAX];
	bool https;
	struct body *body;            /* a POST's body being read, or NULL */
	struct MHD_Connection *connection;
	struct request *later;        /* respond_later: the request handed to the slow pool */
	struct MHD_Response *ready;   /* what the slow pool answered, queued once resumed */
	int ready_status;
};

/* The query of a request, checked and written again as part of its cache key. */
struct query_scan {
	GString *key;
	bool bad; /* a name or value that is not UTF-8, or holds a control character */
};

static bool text_is_clean(const char *s, size_t len)
{
	if (!g_utf8_validate_len(s, len, NULL))
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static enum MHD_Result scan_query(void *cls, enum MHD_ValueKind kind, const char *key,
				  size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	struct query_scan *q = cls;
	if (!text_is_clean(key, key_size) || (value && !text_is_clean(value, value_size)))
		q->bad = true;
	/* names and values escaped again, so that no two requests share a key */
	g_string_append_c(q->key, strchr(q->key->str, '?') ? '&' : '?');
	uri_append_escaped(q->key, key, NULL);
	g_string_append_c(q->key, '=');
	if (value)
		uri_append_escaped(q->key, value, NULL);
	return MHD_YES;
}

static void add_headers(struct MHD_Response *resp, const char *content_type, const char *etag,
			const char *cache_control)
{
	if (content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	for (size_t i = 0; i < G_N_ELEMENTS(security_headers); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	if (etag)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
}

/*
 * The ETag of a shared page, made from what it is made of: this podium's
 * version (its templates), the data version, the path and query (key) and,
 * for a timed page, the time bucket. The same on every node.
 */
static char *etag_of_inputs(int64_t version, const char *key, int64_t bucket)
{
	char *inputs = g_strdup_printf("%s\n%lld\n%lld\n%s", PODIUM_VERSION, (long long)version,
				       (long long)bucket, key);
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, inputs, -1);
	char *etag = g_strdup_printf("\"%.32s\"", sum);
	g_free(sum);
	g_free(inputs);
	return etag;
}

static bool etag_matches(struct MHD_Connection *c, const char *etag)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (!inm || !etag)
		return false;
	if (strcmp(inm, "*") == 0)
		return true;
	gchar **tags = g_strsplit(inm, ",", -1);
	bool match = false;
	for (gchar **t = tags; *t && !match; t++) {
		char *tag = g_strstrip(*t);
		if (g_str_has_prefix(tag, "W/"))
			tag += 2;
		match = strcmp(tag, etag) == 0;
	}
	g_strfreev(tags);
	return match;
}

/* The body of a 304 is never read: MHD only takes its length for the Content-Length. */
static ssize_t no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

/*
 * A 304 carries the Content-Length the 200 would have (RFC 9110 15.4.5),
 * length, which MHD sends with no body.
 */
static enum MHD_Result queue_not_modified(struct MHD_Connection *c, struct request_log *x,
					  const char *etag, const char *cache_control, size_t length)
{
	struct MHD_Response *resp = MHD_create_response_from_callback(length, 4096, no_body, NULL, NULL);
	add_headers(resp, NULL, etag, cache_control);
	x->status = MHD_HTTP_NOT_MODIFIED;
	enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, resp);
	MHD_destroy_response(resp);
	return rc;
}

static const char *cache_control_of(const struct request *r)
{
	if (r->private_page)
		return "no-store";
	if (r->immutable)
		return "public, max-age=31536000, immutable";
	return r->status == 200 ? "no-cache" : "no-store";
}

/* ------------------------------------------------------------ the page cache */

enum { ETAG_LENGTHS_MAX = 8192 };

/* Remembers the body length of a 200 with etag, so that a later 304 can say it without the page. */
static void etag_length_note(const char *etag, size_t length)
{
	g_mutex_lock(&server.cache_lock);
	if (g_hash_table_size(server.etag_lengths) >= ETAG_LENGTHS_MAX)
		g_hash_table_remove_all(server.etag_lengths);
	g_hash_table_insert(server.etag_lengths, g_strdup(etag), GSIZE_TO_POINTER(length));
	g_mutex_unlock(&server.cache_lock);
}

/* The body length of the 200 with etag, when it was seen lately. */
static bool etag_length(const char *etag, size_t *length)
{
	gpointer value;
	g_mutex_lock(&server.cache_lock);
	bool known = g_hash_table_lookup_extended(server.etag_lengths, etag, NULL, &value);
	g_mutex_unlock(&server.cache_lock);
	*length = GPOINTER_TO_SIZE(value);
	return known;
}

/* Looks key up in the page cache; on a hit queues the answer (200, or 304 when the ETag matches). */
static bool cache_answer(struct MHD_Connection *c, struct request_log *x, const char *key,
			 int64_t bucket, enum MHD_Result *rc)
{
	if (!server.cache_budget)
		return false;
	struct MHD_Response *resp = NULL;
	char *etag = NULL;
	const char *cache_control = NULL;
	size_t length = 0;
	g_mutex_lock(&server.cache_lock);
	struct cached *hit = g_hash_table_lookup(server.cache, key);
	if (hit && (hit->generation != g_atomic_int_get(&server.generation) || hit->bucket != bucket ||
		    hit->expires < g_get_monotonic_time() / G_USEC_PER_SEC)) {
		server.cache_bytes -= hit->bytes;
		g_hash_table_remove(server.cache, key);
		hit = NULL;
	}
	if (hit) {
		/* the response must outlive the lock: MHD_queue_response takes its own reference */
		etag = g_strdup(hit->etag);
		cache_control = hit->cache_control;
		length = hit->body_bytes;
		if (!etag_matches(c, etag)) {
			resp = hit->response;
			*rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
			x->status = MHD_HTTP_OK;
			x->bytes = hit->body_bytes;
		}
	}
	g_mutex_unlock(&server.cache_lock);
	if (hit && !resp)
		*rc = queue_not_modified(c, x, etag, cache_control, length);
	g_free(etag);
	return hit != NULL;
}

/*
 * Keeps resp under key, taking over the caller's reference; false when it is
 * not kept. generation is the one read before the page was made, so a
 * change seen meanwhile makes the entry stale at once.
 */
static bool cache_store(const char *key, struct MHD_Response *resp, const char *etag, size_t bytes,
			const char *cache_control, int generation, int64_t bucket)
{
	size_t cost = bytes + strlen(key) + 256;
	if (!server.cache_budget || cost > server.cache_budget / 4)
		return false;
	/* a write seen a moment ago may not be visible to readers yet: keep nothing made now */
	if (g_get_monotonic_time() - atomic_load(&server.changed_at) < 100000 ||
	    generation != g_atomic_int_get(&server.generation))
		return false;
	struct cached *c = g_new0(struct cached, 1);
	*c = (struct cached){resp, g_strdup(etag), cache_control, cost, bytes, generation, bucket,
			     g_get_monotonic_time() / G_USEC_PER_SEC + PAGE_CACHE_SECONDS};
	g_mutex_lock(&server.cache_lock);
	/* over budget: drop entries until the new one fits (the cache is a bound, not an LRU) */
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, server.cache);
	while (server.cache_bytes + cost > server.cache_budget && g_hash_table_iter_next(&it, NULL, &value)) {
		server.cache_bytes -= ((struct cached *)value)->bytes;
		g_hash_table_iter_remove(&it);
	}
	struct cached *old = g_hash_table_lookup(server.cache, key);
	if (old)
		server.cache_bytes -= old->bytes;
	g_hash_table_insert(server.cache, g_strdup(key), c);
	server.cache_bytes += cost;
	g_mutex_unlock(&server.cache_lock);
	return true;
}

/* ------------------------------------------------------------ answering */

static enum method method_of(const char *m)
{
	return strcmp(m, "GET") == 0 ? METHOD_GET : strcmp(m, "HEAD") == 0 ? METHOD_HEAD
	     : strcmp(m, "POST") == 0 ? METHOD_POST : strcmp(m, "PUT") == 0 ? METHOD_PUT
	     : strcmp(m, "DELETE") == 0 ? METHOD_DELETE : 0;
}

/* The response of what the handler answered in r, with its headers; NULL when out of memory. */
static struct MHD_Response *response_of(struct request *r, const char *etag)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(r->body->len, r->body->str, MHD_RESPMEM_MUST_COPY);
	if (!resp) {
		g_printerr("podium: cannot make a response for %s\n", r->path);
		return NULL;
	}
	add_headers(resp, r->content_type, etag, cache_control_of(r));
	/* a page in the language a cookie or Accept-Language chose; an address with ?lang= says it */
	if (r->language_varies && r->content_type && g_str_has_prefix(r->content_type, "text/html"))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Language, Cookie");
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->status == 503)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->www_authenticate)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, r->www_authenticate);
	if (r->server_timing)
		MHD_add_response_header(resp, "Server-Timing", r->server_timing);
	for (guint i = 0; r->set_cookies && i < r->set_cookies->len; i++)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookies->pdata[i]);
	if (r->filename) {
		char *disposition = g_strdup_printf("inline; filename=\"%s\"", r->filename);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
		g_free(disposition);
	}
	return resp;
}

/* Frees what a request holds besides itself. */
static void request_release(struct request *r)
{
	body_release(r);
	if (r->set_cookies)
		g_ptr_array_free(r->set_cookies, TRUE);
	r->set_cookies = NULL;
	g_string_free(r->body, TRUE);
	arena_free(&r->arena);
}

/* Runs a request's later part on the slow pool, then wakes its connection (respond_later). */
static void slow_work(gpointer data, gpointer unused)
{
	(void)unused;
	struct request_log *x = data;
	struct request *r = x->later;
	struct thread_state *t = thread_state();
	if (t) {
		r->store = t->store;
		r->later(r);
		if (r->method & METHODS_CHANGING)
			database_changed(NULL); /* what this node wrote shows on its next request */
	} else {
		respond_error(r, 503, tr(r, "The database cannot be reached now. Try again in a moment."));
	}
	x->ready = response_of(r, NULL);
	x->ready_status = r->status;
	x->status = r->status;
	x->bytes = r->body->len;
	request_release(r);
	g_free(r);
	x->later = NULL;
	MHD_resume_connection(x->connection);
}

/* A path that holds a secret (ROUTE_SECRET) is logged as its route's pattern. */
static void log_route_path(struct request_log *x, const struct route *route)
{
	if (route && (route->flags & ROUTE_SECRET) && g_strcmp0(x->path, route->pattern) != 0) {
		g_free(x->path);
		x->path = g_strdup(route->pattern);
	}
}

/* Queues what the handler answered in r; keeps it in the page cache when it may be. */
static enum MHD_Result queue_answer(struct MHD_Connection *c, struct request_log *x,
				    struct request *r, const char *key, const char *etag,
				    bool shared, int generation, int64_t bucket)
{
	if (r->status != 200)
		etag = NULL;
	const char *cache_control = cache_control_of(r);
	if (etag)
		etag_length_note(etag, r->body->len);
	if (etag && etag_matches(c, etag))
		return queue_not_modified(c, x, etag, cache_control, r->body->len);
	struct MHD_Response *resp = response_of(r, etag);
	if (!resp)
		return MHD_NO;
	x->status = r->status;
	x->bytes = r->body->len;
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)r->status, resp); /* its own reference */
	/* a page for its caller alone (one that sets a cookie) is never kept for others */
	if (!(shared && r->cacheable && !r->private_page && r->status == 200 && etag &&
	      cache_store(key, resp, etag, r->body->len, cache_control, generation, bucket)))
		MHD_destroy_response(resp);
	return rc;
}

/*
 * Hands r over to the slow pool (respond_later): the connection sleeps
 * until the pool has the answer. r's contents move; the caller frees none.
 */
static enum MHD_Result hand_over(struct MHD_Connection *c, struct request_log *x, struct request *r)
{
	x->later = g_memdup2(r, sizeof *r);
	x->connection = c;
	*r = (struct request){0};
	MHD_suspend_connection(c);
	g_thread_pool_push(server.slow, x, NULL);
	return MHD_YES;
}

/*
 * Makes the answer inside one read transaction: a shared page's ETag is
 * known before it is made, and a matching If-None-Match is a 304.
 */
static enum MHD_Result answer_from_store(struct MHD_Connection *c, struct request_log *x,
					 struct request *r, struct thread_state *t,
					 const struct route *route, unsigned allowed, const char *key,
					 int generation, int64_t bucket)
{
	/* a request with credentials is answered for its caller alone */
	bool shared = route && (route->flags & ROUTE_SHARED) && !(r->method & METHODS_CHANGING) &&
		      !request_header(r, "Authorization");
	int64_t version;
	char *etag = NULL;
	enum MHD_Result rc;
	if (r->method & METHODS_CHANGING) {
		/* a state change runs its own transactions */
		router_run(route, allowed, server.auth, r);
		if (r->after)
			r->after(r);
		/*
		 * What it wrote shows on this node's next request, whoever tells
		 * the watch first (PostgreSQL's notifications come a moment later).
		 */
		if (!r->later)
			database_changed(NULL);
		return r->later ? hand_over(c, x, r) : queue_answer(c, x, r, key, NULL, false, generation, bucket);
	}
	if (store_begin_read(t->store) != STORE_OK || store_data_version(t->store, &version) != STORE_OK) {
		store_end_read(t->store);
		respond_store_error(r, STORE_ERROR, NULL);
		return queue_answer(c, x, r, key, NULL, false, generation, bucket);
	}
	if (shared) {
		etag = etag_of_inputs(route->flags & ROUTE_FIXED ? 0 : version, key, bucket);
		size_t length;
		/* known: answered without making the page; else made, for its length */
		if (etag_matches(c, etag) && etag_length(etag, &length)) {
			store_end_read(t->store);
			rc = queue_not_modified(c, x, etag,
						route->flags & ROUTE_FIXED ? "public, max-age=31536000, immutable"
									   : "no-cache", length);
			g_free(etag);
			return rc;
		}
	}
	router_run(route, allowed, server.auth, r); /* a page reads one snapshot of the database */
	store_end_read(t->store);
	if (r->after)
		r->after(r);
	if (r->later) {
		g_free(etag);
		return hand_over(c, x, r);
	}
	rc = queue_answer(c, x, r, key, etag, shared, generation, bucket);
	g_free(etag);
	return rc;
}

static enum MHD_Result answer(struct MHD_Connection *c, struct request_log *x, const char *url,
			      enum method m)
{
	struct request r = {
		.method = m,
		.path = url,
		.client = x->client,
		.https = x->https,
		.connection = c,
		.now = server_now(),
		.body = g_string_sized_new(16384),
	};
	struct query_scan q = {g_string_new(NULL), false};
	uri_append_escaped(q.key, url, "/");
	MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, scan_query, &q);
	enum MHD_Result rc;
	struct thread_state *t = NULL;
	const char *body_problem = NULL;
	int body_status = x->body ? body_finish(x->body, &r, &body_problem) : 0;
	body_free(x->body);
	x->body = NULL;
	if (body_status) {
		respond_error(&r, body_status, tr(&r, body_problem));
		rc = queue_answer(c, x, &r, q.key->str, NULL, false, 0, 0);
	} else if (q.bad) {
		respond_error(&r, 400, tr(&r, "The address holds a value that is not text: a byte that is not "
					  "UTF-8, or a control character."));
		rc = queue_answer(c, x, &r, q.key->str, NULL, false, 0, 0);
	} else if (!request_choose_language(&r, server.site_language, server.content_language)) {
		rc = queue_answer(c, x, &r, q.key->str, NULL, false, 0, 0);
	} else if (!(t = thread_state()) || !database_check(t)) {
		if (t) {
			r.store = t->store;
			respond_store_error(&r, STORE_ERROR, NULL);
		} else {
			/* this thread could not connect: the database is not there now */
			respond_error(&r, 503, tr(&r, "The database cannot be reached now. Try again in a moment."));
		}
		rc = queue_answer(c, x, &r, q.key->str, NULL, false, 0, 0);
	} else {
		r.store = t->store;
		int generation = g_atomic_int_get(&server.generation);
		unsigned allowed;
		const struct route *route = router_find(server.routes, &r, &allowed);
		/* pages differ by the reader's language: so do their cache keys and ETags ('#' is escaped in the rest) */
		if (!(route && (route->flags & ROUTE_FIXED))) {
			g_string_append_c(q.key, '#'); /* not printf: on every request, and it showed in profiles */
			g_string_append(q.key, r.reading.lang);
		}
		log_route_path(x, route);
		int64_t bucket = route && (route->flags & ROUTE_TIMED) ? r.now / TIME_BUCKET_SECONDS : 0;
		/* answered for one caller: credentials, or a cookie to set (?lang=) */
		bool personal = request_header(&r, "Authorization") != NULL || r.set_cookies;
		if (!((m == METHOD_GET || m == METHOD_HEAD) && !personal && cache_answer(c, x, q.key->str, bucket, &rc)))
			rc = answer_from_store(c, x, &r, t, route, allowed, q.key->str, generation, bucket);
	}
	g_string_free(q.key, TRUE);
	if (r.body) /* else handed over to the slow pool */
		request_release(&r);
	return rc;
}

/* The request line arrived: its request_log, with the target judged as it was sent. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	struct request_log *x = g_new0(struct request_log, 1);
	x->started = g_get_monotonic_time();
	x->target_problem = uri_target_problem(uri, uri ? strlen(uri) : 0);
	x->after_stop = atomic_load(&server.stopping);
	atomic_fetch_add(&server.in_flight, 1);
	guard_request_line(c);
	return x;
}

/* Answers now, before any body is read, and closes the connection; allow: the methods of a 405. */
/* Sends the answer r holds before the request's body is read, closing the connection; frees r's parts. */
static enum MHD_Result send_early(struct MHD_Connection *c, struct request_log *x, struct request *r,
				  unsigned allow)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(r->body->len, r->body->str, MHD_RESPMEM_MUST_COPY);
	add_headers(resp, r->content_type, NULL, "no-store");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, router_allow(allow));
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->www_authenticate)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, r->www_authenticate);
	x->status = r->status;
	x->bytes = r->body->len;
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	g_string_free(r->body, TRUE);
	arena_free(&r->arena);
	return rc;
}

static enum MHD_Result answer_early(struct MHD_Connection *c, struct request_log *x, const char *url,
				    enum method m, int status, const char *message, unsigned allow)
{
	struct request r = {.method = m, .path = url, .client = x->client, .connection = c,
			    .body = g_string_new(NULL)};
	request_choose_head_language(&r, server.site_language, server.content_language);
	respond_error(&r, status, tr(&r, message));
	return send_early(c, x, &r, allow);
}

/*
 * The first call, once the head is complete: judges it (target, framing,
 * a body no route takes) and answers a bad one at once, which closes the
 * connection, so that nothing after it is ever read as a request.
 */
static enum MHD_Result judge_head(struct MHD_Connection *c, struct request_log *x, const char *url,
				  const char *method, const char *version)
{
	x->head_judged = true;
	x->method = g_strdup(method);
	x->path = g_strdup(url);
	head_client(c, server.proxies, x->client, &x->https);
	enum method m = method_of(method);
	const char *problem = x->target_problem ? x->target_problem : head_framing_problem(c, version);
	if (problem)
		return answer_early(c, x, url, m, 400, problem, 0);
	if (x->after_stop)
		return answer_early(c, x, url, m, 503, N_("The server is stopping. Try again in a moment."), 0);
	bool body = head_announces_body(c);
	guard_head_complete(c, body);
	if (body) {
		/* a body no route takes is refused before a byte of it is read */
		struct request r = {.method = m, .path = url};
		unsigned allowed;
		const struct route *route = router_find(server.routes, &r, &allowed);
		arena_free(&r.arena);
		log_route_path(x, route);
		struct request who = {.method = m, .path = url, .client = x->client, .connection = c};
		if (route && (m & METHODS_CHANGING) && route->role != ROLE_PUBLIC &&
		    !server.auth->may_name_someone(&who)) {
			/* nobody the route could admit: answered as the dispatcher would, the body never read */
			who.body = g_string_new(NULL);
			router_ask_to_sign_in(&who);
			return send_early(c, x, &who, 0);
		}
		arena_free(&who.arena);
		if (route && (m & (METHOD_POST | METHOD_PUT)) && route->body != BODY_NONE) {
			const char *why = NULL;
			int status = body_start(c, route->body,
						route->body == BODY_JSON   ? server.json_limit
						: route->body == BODY_FILE ? server.file_limit
						: route->body == BODY_UPLOAD
							? server.form_limit + UPLOAD_FILES_MAX * server.file_limit
							: server.form_limit,
						&x->body, &why);
			return status ? answer_early(c, x, url, m, status, why, 0) : MHD_YES;
		}
		return answer_early(c, x, url, m, route ? 413 : allowed ? 405 : 404,
				    route ? N_("This address takes no body.")
				    : allowed ? N_("This address does not take that method.")
					      : N_("There is no page at this address."),
				    route ? 0 : allowed);
	}
	/* answered on the next call: a response queued now closes keep-alive (0.9.75) */
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	struct request_log *x = *con_cls;
	if (!x) /* every request's line made one (on_request_line) */
		return MHD_NO;
	if (!x->head_judged)
		return judge_head(c, x, url, method, version);
	if (x->ready) { /* resumed: the slow pool's answer */
		enum MHD_Result rc = MHD_queue_response(c, (unsigned)x->ready_status, x->ready);
		MHD_destroy_response(x->ready);
		x->ready = NULL;
		return rc;
	}
	if (*upload_size) {
		/* past the limit (a chunked body) or malformed: dropped, as no answer can be queued now */
		if (!x->body || !body_feed(x->body, upload_data, *upload_size))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	guard_body_complete(c);
	return answer(c, x, url, method_of(method));
}

/* ------------------------------------------------------------ the access log */

/*
 * Writes the buffered access log lines to standard error (log_lock held).
 * Lines are written in batches, at most a second after their request ends.
 */
static void log_flush_locked(gint64 now_us)
{
	if (server.log->len && fwrite(server.log->str, 1, server.log->len, stderr) != server.log->len)
		g_printerr("podium: cannot write the access log\n");
	g_string_truncate(server.log, 0);
	server.log_flushed = now_us;
}

static void log_flush(void)
{
	g_mutex_lock(&server.log_lock);
	log_flush_locked(g_get_monotonic_time());
	g_mutex_unlock(&server.log_lock);
}

/* Appends v in decimal to s, at least digits digits (zeros in front). */
static void append_decimal(GString *s, uint64_t v, int digits)
{
	char buf[24];
	char *p = buf + sizeof buf;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v || buf + sizeof buf - p < digits);
	g_string_append_len(s, p, buf + sizeof buf - p);
}

/* What a thread keeps to write its access log lines: freed with the thread. */
struct log_scratch {
	time_t second;  /* when was last written for this second */
	char when[32];
	GString *line;
};

static void log_scratch_free(gpointer p)
{
	struct log_scratch *ls = p;
	g_string_free(ls->line, TRUE);
	g_free(ls);
}

static GPrivate log_scratch_key = G_PRIVATE_INIT(log_scratch_free);

/* The access log: one line per request on standard error, when it is done. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	struct request_log *x = *con_cls;
	if (!x)
		return;
	char host[CLIENT_ADDRESS_MAX];
	bool https;
	if (x->head_judged)
		g_strlcpy(host, x->client, sizeof host);
	else
		head_client(c, NULL, host, &https); /* the head never came whole: the peer */
	struct log_scratch *ls = g_private_get(&log_scratch_key);
	if (!ls) {
		ls = g_new0(struct log_scratch, 1);
		ls->second = -1;
		ls->line = g_string_sized_new(256);
		g_private_set(&log_scratch_key, ls);
	}
	/* the time, written once a second per thread (gmtime_r takes glibc's time zone lock) */
	time_t now = time(NULL);
	if (now != ls->second) {
		struct tm tm;
		strftime(ls->when, sizeof ls->when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		ls->second = now;
	}
	guard_request_done(c);
	/* no control characters in the log: one request, one line */
	const char *path = x->path ? x->path : "-", *method = x->method ? x->method : "-";
	char *path_escaped = text_is_plain_line(path) ? NULL : text_escape_line(path),
	     *method_escaped = text_is_plain_line(method) ? NULL : text_escape_line(method);
	gint64 now_us = g_get_monotonic_time(), us = now_us - x->started;
	/* the line is written out of the lock, into this thread's buffer; pieces appended, not
	 * printf: the log is written on every request, and printf showed in profiles */
	GString *line = ls->line;
	g_string_truncate(line, 0);
	const char *pieces[] = {ls->when, " ", host, " ", method_escaped ? method_escaped : method, " ",
				path_escaped ? path_escaped : path, " "};
	for (size_t i = 0; i < G_N_ELEMENTS(pieces); i++)
		g_string_append(line, pieces[i]);
	append_decimal(line, (uint64_t)MAX(x->status, 0), 1);
	g_string_append_c(line, ' ');
	append_decimal(line, x->bytes, 1);
	g_string_append_c(line, ' ');
	append_decimal(line, (uint64_t)MAX(us, 0) / 1000, 1);
	g_string_append_c(line, '.');
	append_decimal(line, (uint64_t)MAX(us, 0) % 1000, 3);
	g_string_append(line, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "ms\n" : "ms (not completed)\n");
	g_mutex_lock(&server.log_lock);
	g_string_append_len(server.log, line->str, (gssize)line->len);
	if (server.log->len > 16384 || now_us - server.log_flushed > G_USEC_PER_SEC)
		log_flush_locked(now_us);
	g_mutex_unlock(&server.log_lock);
	if (line->allocated_len > 65536) { /* a long path once: not kept for the thread's life */
		g_string_free(line, TRUE);
		ls->line = g_string_sized_new(256);
	}
	g_free(path_escaped);
	g_free(method_escaped);
	g_free(x->method);
	g_free(x->path);
	body_free(x->body);
	if (x->ready)
		MHD_destroy_response(x->ready);
	g_free(x);
	*con_cls = NULL;
	atomic_fetch_sub(&server.in_flight, 1);
}

enum { MHD_LOG_LINES_PER_SECOND = 20 };

/*
 * libmicrohttpd's messages, as podium's lines: a few a second, the rest
 * counted (under attack it says something of every connection it closes).
 */
static void on_mhd_message(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	gint64 second = g_get_monotonic_time() / G_USEC_PER_SEC;
	g_mutex_lock(&server.mhd_log_lock);
	if (second != server.mhd_log_second) {
		if (server.mhd_log_dropped)
			g_printerr("podium: serve: %u more messages of the HTTP library left out\n",
				   server.mhd_log_dropped);
		server.mhd_log_second = second;
		server.mhd_log_lines = server.mhd_log_dropped = 0;
	}
	bool shown = server.mhd_log_lines++ < MHD_LOG_LINES_PER_SECOND;
	server.mhd_log_dropped += !shown;
	g_mutex_unlock(&server.mhd_log_lock);
	if (!shown)
		return;
	char *raw = g_strdup_vprintf(fmt, ap);
	log_line("serve: %s", g_strstrip(raw));
	g_free(raw);
}

static bool trusted_proxy(const struct sockaddr *addr)
{
	return proxies_trust(server.proxies, addr);
}

/*
 * The connections libmicrohttpd may hold: twice the soft limit (room while
 * evicted ones close), within the descriptors the process may open.
 */
static unsigned connection_capacity(unsigned soft_limit)
{
	struct rlimit rl = {0};
	rlim_t want = (rlim_t)soft_limit * 2 + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = MIN(want, rl.rlim_max);
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	unsigned capacity = soft_limit * 2;
	if (rl.rlim_cur < (rlim_t)capacity + 64) {
		capacity = rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
		g_printerr("podium: serve: only %u connections can be open at once (open files limit %llu)\n",
			   capacity, (unsigned long long)rl.rlim_cur);
	}
	return capacity;
}

/* ------------------------------------------------------------ starting and stopping */

/* Parses ADDR:PORT or [ADDR6]:PORT into a socket address. */
static bool parse_listen(const char *listen, struct sockaddr_storage *out, socklen_t *len)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || !colon[1])
		return false;
	char *host = g_strndup(listen, (size_t)(colon - listen));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	bool ok = getaddrinfo(host, colon + 1, &hints, &res) == 0 && res;
	if (ok) {
		memcpy(out, res->ai_addr, res->ai_addrlen);
		*len = res->ai_addrlen;
	}
	if (res)
		freeaddrinfo(res);
	g_free(host);
	return ok;
}

/* The listening socket on addr, made here so that a taken port is podium's own one-line error. */
static int listen_on(const char *where, const struct sockaddr_storage *addr, socklen_t len)
{
	int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1;
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
	    bind(fd, (const struct sockaddr *)addr, len) == 0 && listen(fd, LISTEN_BACKLOG) == 0)
		return fd;
	int saved = errno;
	const char *port = strrchr(where, ':') + 1;
	if (saved == EADDRINUSE)
		g_printerr("podium: serve: cannot listen on %s: port %s is in use (by another program, "
			   "or another podium); choose another with --listen ADDR:PORT\n", where, port);
	else if (saved == EADDRNOTAVAIL)
		g_printerr("podium: serve: cannot listen on %s: not an address of this machine\n", where);
	else if (saved == EACCES)
		g_printerr("podium: serve: cannot listen on %s: port %s needs privileges; use a port "
			   "from 1024\n", where, port);
	else
		g_printerr("podium: serve: cannot listen on %s: %s\n", where, g_strerror(saved));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The port a listening socket got (for port 0). */
static unsigned bound_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return 0;
	return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
					     : ((struct sockaddr_in *)&a)->sin_port);
}

static bool server_init(const struct server_options *o)
{
	/*
	 * Memory a request frees stays with the process: without this, glibc
	 * gives it back (madvise) after nearly every page and takes it again,
	 * page faults and TLB shootdowns that stall every other thread.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	char *error = NULL;
	if (!template_load_all(&error) || !catalog_load_all(&error)) {
		g_printerr("podium: %s\n", error);
		g_free(error);
		return false;
	}
	server.db_path = o->db_path;
	server.routes = o->routes;
	server.auth = o->auth;
	server.form_limit = o->form_limit;
	server.json_limit = o->json_limit;
	server.file_limit = o->file_limit;
	server.slow = g_thread_pool_new(slow_work, NULL, SLOW_THREADS, FALSE, NULL);
	server.proxies = proxies_new(o->trusted_proxies);
	server.site_language = g_strdup(o->site_language ? o->site_language : "en");
	server.content_language = g_strdup(o->content_language ? o->content_language : "en");
	server.cache_budget = o->cache_bytes;
	server.cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cached_free);
	server.etag_lengths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	server.fixed_now = -1;
	server.log = g_string_sized_new(32768);
	const char *now = g_getenv("PODIUM_NOW");
	int64_t fixed;
	if (now && *now) {
		if (!value_parse_instant(now, &fixed)) {
			g_printerr("podium: PODIUM_NOW '%s' is not an instant YYYY-MM-DDTHH:MM:SS+HH:MM\n", now);
			return false;
		}
		server.fixed_now = fixed;
	}
	return true;
}

/* Waits for SIGINT or SIGTERM, writing the access log at least once a second meanwhile. */
static int wait_for_stop(const sigset_t *stop)
{
	struct timespec second = {1, 0};
	int sig;
	while ((sig = sigtimedwait(stop, NULL, &second)) < 0)
		log_flush();
	return sig;
}

/*
 * Lets the requests in flight finish, for at most 5 s: requests begun
 * after the signal are answered 503 with Connection: close meanwhile. (Not
 * MHD_quiesce_daemon: in 0.9.75 it races its own worker threads, one of
 * which may take the listening socket out of its epoll set first, and then
 * aborts the process.) Stopping the daemon closes the rest.
 */
static void drain(struct MHD_Daemon *d)
{
	atomic_store(&server.stopping, true);
	for (int i = 0; i < 500 && atomic_load(&server.in_flight) > 0; i++)
		g_usleep(10000);
	/* the slow pool's requests finish and wake their connections */
	g_thread_pool_free(server.slow, FALSE, TRUE);
	MHD_stop_daemon(d);
}

/* The thread that runs o->tick, and how it is told to stop. */
struct ticker {
	const struct server_options *o;
	GThread *thread;
	GMutex lock;
	GCond wake;
	bool stopping;
};

static gpointer ticker_run(gpointer data)
{
	struct ticker *t = data;
	char *error = NULL;
	int code;
	struct store *s = NULL;
	g_mutex_lock(&t->lock);
	while (!t->stopping) {
		g_mutex_unlock(&t->lock);
		if (!s && !(s = store_open(t->o->db_path, STORE_EXISTING, NULL, &error, &code))) {
			g_printerr("podium: scheduled work: %s\n", error);
			g_clear_pointer(&error, g_free);
		}
		if (s && t->o->tick(s, server_now()) != STORE_OK) {
			g_printerr("podium: scheduled work: %s\n", store_error(s));
			store_close(s); /* a connection of its own again next time: the database may be back */
			s = NULL;
		}
		g_mutex_lock(&t->lock);
		gint64 until = g_get_monotonic_time() + (gint64)t->o->tick_seconds * G_USEC_PER_SEC;
		while (!t->stopping && g_cond_wait_until(&t->wake, &t->lock, until))
			;
	}
	g_mutex_unlock(&t->lock);
	if (s)
		store_close(s);
	return NULL;
}

static void ticker_start(struct ticker *t)
{
	g_mutex_init(&t->lock);
	g_cond_init(&t->wake);
	t->thread = g_thread_new("tick", ticker_run, t);
}

static void ticker_stop(struct ticker *t)
{
	g_mutex_lock(&t->lock);
	t->stopping = true;
	g_cond_signal(&t->wake);
	g_mutex_unlock(&t->lock);
	g_thread_join(t->thread);
	g_mutex_clear(&t->lock);
	g_cond_clear(&t->wake);
}

int server_run(const struct server_options *o)
{
	struct sockaddr_storage addr;
	socklen_t addr_len;
	if (!parse_listen(o->listen, &addr, &addr_len)) {
		g_printerr("podium: serve: --listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080)\n", o->listen);
		return EX_USAGE;
	}
	char *error = NULL;
	int code;
	struct store *probe = store_open(o->db_path, STORE_EXISTING, NULL, &error, &code);
	if (!probe) {
		log_line("%s", error);
		g_free(error);
		return code;
	}
	int fd = server_init(o) ? listen_on(o->listen, &addr, addr_len) : -2;
	if (fd < 0) {
		store_close(probe);
		return fd == -2 ? EX_SOFTWARE : EX_IOERR;
	}

	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread started from here on inherits it */
	signal(SIGPIPE, SIG_IGN);

	/* before the workers that read server.watch */
	server.watch = store_watch_start(probe, database_changed, NULL);
	char *shown = g_strdup(store_target(probe));
	store_close(probe);
	unsigned capacity = connection_capacity(o->max_connections);
	guard_start(&(struct guard_options){
		.soft_limit = MIN(o->max_connections, capacity / 2 + 1),
		.per_ip = o->max_per_ip,
		.head_ms = o->head_timeout * 1000,
		.idle_ms = o->idle_timeout * 1000,
		.body_ms = o->body_timeout * 1000,
		.trusted = trusted_proxy,
	});
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_message, NULL,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)MAX(o->threads, 1),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, capacity, /* per address: the guard's, which knows proxies */
		/*
		 * A connection's memory, where its request's headers are kept (about
		 * 7.5 KB of them; past it, 431): libmicrohttpd clears all of it with a
		 * memset before each request on the connection. At 32 KiB that was 12%
		 * of the CPU of a cached page; at 16 KiB, 4%.
		 */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_NOTIFY_CONNECTION, guard_notify_connection, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, on_request_line, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (!d) {
		g_printerr("podium: serve: cannot start the web server on %s\n", o->listen);
		close(fd);
		guard_stop();
		store_watch_stop(server.watch);
		g_free(shown);
		return EX_IOERR;
	}
	printf("podium: serving %s on http://%.*s:%u/ (Ctrl-C stops)\n", shown,
	       (int)(strrchr(o->listen, ':') - o->listen), o->listen, bound_port(fd));
	fflush(stdout);
	struct ticker ticker = {.o = o};
	if (o->tick)
		ticker_start(&ticker);
	int sig = wait_for_stop(&stop);
	if (o->tick)
		ticker_stop(&ticker);
	drain(d);
	guard_stop();
	store_watch_stop(server.watch);
	proxies_free(server.proxies);
	g_free(server.site_language);
	g_free(server.content_language);
	g_free(shown);
	log_flush();
	g_string_free(server.log, TRUE);
	g_hash_table_destroy(server.cache);
	g_hash_table_destroy(server.etag_lengths);
	printf("podium: stopped (signal %d)\n", sig);
	return EX_OK;
}
