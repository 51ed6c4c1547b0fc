/*
 * pg.c: the PostgreSQL backend of the store (store_internal.h), through
 * libpq. SQL is the same as SQLite's, its ?N parameters written $N here;
 * statements are prepared once per connection (and again after a
 * reconnect). Reads are REPEATABLE READ, READ ONLY: one snapshot, taken at
 * their first query. Writers take an advisory lock first, in READ COMMITTED,
 * so that one writes at a time and sees everything committed before it, as
 * SQLite's BEGIN IMMEDIATE; a commit notifies "podium", which other nodes
 * listen to. A bulk write (an import, a copy) sends the rows of its plain
 * inserts with COPY, a buffer per statement, and its other statements in
 * libpq's pipeline mode, without waiting for each; whatever is buffered is
 * sent before any other statement, so every statement sees the rows written
 * before it. After a bulk write of many rows the tables are analyzed: the
 * planner's statistics are what make the pages' joins fast.
 *
 * A connection that breaks (the server restarted, a failover) is reported
 * as unavailable and connected again at the next transaction.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migrations_pg.h"
#include "store/store_internal.h"

enum {
	WRITER_LOCK = 0x506f6469,  /* "Podi": the advisory lock of writers */
	PIPELINE_BATCH = 1000,     /* statements sent before their results are read */
	COPY_BUFFER = 1 << 20,     /* bytes of rows buffered per insert before they are sent */
	ANALYZE_ROWS = 10000,      /* rows of a bulk write from which the tables are analyzed */
	CONNECT_TIMEOUT_S = 10,
};

struct pg {
	PGconn *conn;
	char *conninfo;            /* what libpq connects with (a password included) */
	guint64 generation;        /* bumped at each reconnect: statements are prepared again */
	bool broken;               /* the connection was lost: reset before the next use */
	unsigned next_name;
	/* pipeline mode (bulk writes): the statements sent and not yet answered, oldest first */
	bool pipeline;
	GQueue pending;            /* struct stmt * */
	/* bulk writes: the inserts with rows buffered for COPY, in the order of their first row */
	GQueue copying;            /* struct stmt * */
	int64_t bulk_rows;         /* rows sent by the current bulk write */
	/* a bulk write that took its tables: the foreign keys to add back (SQL) as it commits */
	GPtrArray *keys_to_add;
	/* statements whose prefetched rows were not read yet: dropped when the transaction ends */
	GPtrArray *prefetched;     /* struct stmt * */
	/*
	 * A read's BEGIN, not sent yet: it goes in one round trip with the read's
	 * first statement (PostgreSQL takes a REPEATABLE READ snapshot at the
	 * first statement after BEGIN, not at BEGIN, so nothing changes but the
	 * round trip saved). NULL when none is waiting.
	 */
	const char *begin_pending;
};

struct pg_stmt {
	char name[24];
	char *sql;                 /* the text with $N parameters */
	guint64 generation;        /* the connection's when prepared; 0 never */
	int params;
	const char **values;
	int *lengths, *formats;
	char (*numbers)[24];       /* where integer parameters are written */
	PGresult *result;
	int row, rows;             /* the next row to give, and how many there are */
	/* a plain INSERT INTO t(columns) VALUES (?N...): its COPY, and the parameter of each column */
	char *copy_sql;
	int *copy_params, copy_columns;
	GString *copy_rows;        /* rows buffered, in COPY's text format; NULL when none */
	/* result is a prefetch's (stmt_prefetch), for the parameter values in sent */
	bool prefetched;
	char **sent;               /* params values, NULL for SQL NULL; NULL when none was sent */
};

static void sent_free(struct pg_stmt *ps)
{
	for (int i = 0; ps->sent && i < ps->params; i++)
		g_free(ps->sent[i]);
	g_free(ps->sent);
	ps->sent = NULL;
}

static struct pg *pg_of(struct store *s)
{
	return s->conn;
}

/* ------------------------------------------------------------ targets */

/*
 * The target as messages show it, built from what libpq parsed, never from
 * the text (a password stays out): "postgresql://user@host:port/db". NULL
 * when libpq cannot parse it (its own message would quote the text).
 */
char *pg_target_display(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	if (!opts)
		return NULL;
	const char *user = NULL, *host = NULL, *port = NULL, *db = NULL, *service = NULL;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (strcmp(o->keyword, "user") == 0)
			user = o->val;
		else if (strcmp(o->keyword, "host") == 0 || (strcmp(o->keyword, "hostaddr") == 0 && !host))
			host = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			db = o->val;
		else if (strcmp(o->keyword, "service") == 0)
			service = o->val;
	}
	GString *d = g_string_new(NULL);
	if (service && !host && !db) {
		g_string_printf(d, "service=%s", service);
	} else if (host && host[0] == '/') {
		g_string_printf(d, "host=%s", host);
		if (port)
			g_string_append_printf(d, " port=%s", port);
		if (db)
			g_string_append_printf(d, " dbname=%s", db);
		if (user)
			g_string_append_printf(d, " user=%s", user);
	} else {
		g_string_assign(d, "postgresql://");
		if (user)
			g_string_append_printf(d, "%s@", user);
		if (host)
			g_string_append(d, host);
		if (port)
			g_string_append_printf(d, ":%s", port);
		g_string_append_printf(d, "/%s", db ? db : "");
	}
	PQconninfoFree(opts);
	return g_string_free(d, FALSE);
}

/* ------------------------------------------------------------ errors */

/* libpq's message made one line: its hints are on lines of their own. */
static char *one_line(const char *message)
{
	gchar **lines = g_strsplit(message ? message : "", "\n", -1);
	GString *out = g_string_new(NULL);
	for (gchar **l = lines; *l; l++) {
		char *t = g_strstrip(*l);
		if (*t)
			g_string_append_printf(out, "%s%s", out->len ? "; " : "", t);
	}
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

/* true when a failed result (may be NULL) says the connection is gone. */
static bool connection_lost(struct pg *pg, const PGresult *r)
{
	if (!r || PQstatus(pg->conn) == CONNECTION_BAD)
		return true;
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (!state)
		return true; /* libpq's own error: the socket */
	if (severity && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0))
		return true;
	return g_str_has_prefix(state, "08") || strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	       strcmp(state, "57P03") == 0;
}

/* Records the error of result r (may be NULL: the connection's) for st (may be NULL). */
static int pg_fail(struct store *s, const PGresult *r, const struct stmt *st)
{
	struct pg *pg = pg_of(s);
	bool lost = connection_lost(pg, r);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char *msg = one_line(r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r)
							     : PQerrorMessage(pg->conn));
	enum store_failure failure = lost ? FAILURE_UNAVAILABLE
				   : state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
					     ? FAILURE_RETRY
				   /* no room (53...), or a lock waited for past lock_timeout (55P03) */
				   : state && (g_str_has_prefix(state, "53") || strcmp(state, "55P03") == 0)
					     ? FAILURE_IO
					     : FAILURE_OTHER;
	if (lost) {
		pg->broken = true;
		char *full = g_strdup_printf("the database cannot be reached: %s", msg);
		store_fail(s, failure, full, NULL);
		g_free(full);
	} else {
		store_fail(s, failure, msg, st);
	}
	g_free(msg);
	return STORE_ERROR;
}

/* Connects again after the connection was lost; false (unavailable) when it cannot yet. */
static bool pg_revive(struct store *s)
{
	struct pg *pg = pg_of(s);
	if (!pg->broken && PQstatus(pg->conn) == CONNECTION_OK)
		return true;
	if (pg->pipeline) {
		PQexitPipelineMode(pg->conn);
		pg->pipeline = false;
		g_queue_clear(&pg->pending);
	}
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		pg_fail(s, NULL, NULL);
		return false;
	}
	pg->broken = false;
	pg->generation++; /* its prepared statements are gone */
	return true;
}

/* ------------------------------------------------------------ connecting */

static void pg_notice(void *arg, const PGresult *r)
{
	(void)arg;
	char *msg = one_line(PQresultErrorMessage(r));
	log_line("postgresql: %s", msg);
	g_free(msg);
}

/* Connects to the target, with a connect timeout unless the target names one. */
static PGconn *pg_connect(const char *conninfo)
{
	const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
	char timeout[16];
	g_snprintf(timeout, sizeof timeout, "%d", CONNECT_TIMEOUT_S);
	/* expand_dbname: dbname's value is the whole target, parsed by libpq, and comes last: it wins */
	const char *values[] = {timeout, "podium", conninfo, NULL};
	return PQconnectdbParams(keys, values, 1);
}

static bool pg_open(struct store *s, const char *target, enum store_mode mode, bool *created)
{
	(void)mode; /* the database is the operator's: it must exist; init makes the schema */
	*created = false;
	char *shown = pg_target_display(target);
	if (!shown) {
		store_fail(s, FAILURE_MISSING,
			   "the PostgreSQL connection string cannot be read (a postgresql:// URI or "
			   "keywords such as host=... dbname=...)", NULL);
		return false;
	}
	g_free(s->target);
	s->target = shown;
	struct pg *pg = g_new0(struct pg, 1);
	pg->conninfo = g_strdup(target);
	g_queue_init(&pg->pending);
	g_queue_init(&pg->copying);
	s->conn = pg;
	pg->conn = pg_connect(target);
	if (!pg->conn || PQstatus(pg->conn) != CONNECTION_OK) {
		char *msg = one_line(pg->conn ? PQerrorMessage(pg->conn) : "out of memory");
		/*
		 * a database that does not exist is missing, and so is one the
		 * connection string cannot name (libpq's "invalid sslmode value"...);
		 * anything else is not reachable now
		 */
		bool invalid = g_str_has_prefix(msg, "invalid ");
		bool missing = invalid || strstr(msg, "does not exist") != NULL;
		char *full = missing && !invalid
				     ? g_strdup_printf("no database at '%s' (create it with createdb, then "
						       "'podium init'): %s", s->target, msg)
				     : g_strdup_printf("'%s': %s", s->target, msg);
		store_fail(s, missing ? FAILURE_MISSING : FAILURE_UNAVAILABLE, full, NULL);
		g_free(full);
		g_free(msg);
		return false;
	}
	PQsetNoticeReceiver(pg->conn, pg_notice, NULL);
	pg->generation = 1;
	/*
	 * Generic plans: Podium's statements are prepared once per connection
	 * and look rows up by key, where a plan made for each call's values
	 * (PostgreSQL's default for a list of parameters such as "key IN
	 * ($1, ...)") costs more to make than it saves.
	 *
	 * A random page read costs 1.1 sequential ones, not 4, unless the
	 * server's configuration says otherwise: Podium's data fits in memory
	 * (or on SSD). With 4, the generic plan of a program's public people
	 * at 20,000 people read all of them instead of looking up the ten it
	 * needs (1.2 ms instead of 0.03 ms; bench/postgresql.sh, at scale).
	 *
	 * No JIT compilation, unless the server's configuration says otherwise:
	 * Podium's statements take a millisecond, and a generic plan whose rows
	 * are guessed high (a recursive query's) can pass jit_above_cost and pay
	 * for compiling on every call (seen: 118 ms of JIT for a 9 ms query).
	 */
	char set[480];
	g_snprintf(set, sizeof set,
		   "SET client_encoding = 'UTF8'; SET lock_timeout = %d; SET plan_cache_mode = force_generic_plan; "
		   "SELECT set_config(name, CASE name WHEN 'jit' THEN 'off' ELSE '1.1' END, false) FROM pg_settings "
		   "WHERE name IN ('random_page_cost', 'jit') AND source = 'default'",
		   STORE_LOCK_WAIT_MS);
	PGresult *r = PQexec(pg->conn, set);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		pg_fail(s, r, NULL);
	PQclear(r);
	return ok;
}

static void pg_close(struct store *s)
{
	struct pg *pg = pg_of(s);
	g_queue_clear(&pg->copying); /* its statements were finalized, their rows with them */
	if (pg->keys_to_add)
		g_ptr_array_free(pg->keys_to_add, TRUE);
	if (pg->prefetched) /* its statements were finalized */
		g_ptr_array_free(pg->prefetched, TRUE);
	PQfinish(pg->conn);
	g_queue_clear(&pg->pending);
	g_free(pg->conninfo);
	g_free(pg);
	s->conn = NULL;
}

/* ------------------------------------------------------------ statements */

/* sql with ?N parameters written $N (outside quoted literals and names). */
static char *dollar_parameters(const char *sql)
{
	GString *out = g_string_sized_new(strlen(sql));
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote)
			quote = *p == quote ? 0 : quote;
		else if (*p == '\'' || *p == '"')
			quote = *p;
		g_string_append_c(out, !quote && *p == '?' && g_ascii_isdigit(p[1]) ? '$' : *p);
	}
	return g_string_free(out, FALSE);
}

/* When sql is a plain INSERT INTO t(columns) VALUES (?N, ...), its COPY statement and parameters. */
static void copy_plan(struct pg_stmt *ps, const char *sql)
{
	static GRegex *insert;
	if (g_once_init_enter(&insert)) {
		GRegex *re = g_regex_new("^INSERT INTO ([a-z_]+) ?\\(([a-z_, ]+)\\) VALUES \\(([?0-9, ]+)\\)$",
					 G_REGEX_OPTIMIZE, 0, NULL);
		g_once_init_leave(&insert, re);
	}
	GMatchInfo *m;
	if (g_regex_match(insert, sql, 0, &m)) {
		char *table = g_match_info_fetch(m, 1), *columns = g_match_info_fetch(m, 2),
		     *values = g_match_info_fetch(m, 3);
		gchar **names = g_strsplit(columns, ",", -1), **params = g_strsplit(values, ",", -1);
		guint n = g_strv_length(names);
		bool ok = n == g_strv_length(params);
		int *map = g_new0(int, n);
		for (guint i = 0; ok && i < n; i++) {
			const char *p = g_strstrip(params[i]);
			map[i] = p[0] == '?' ? atoi(p + 1) : 0;
			ok = map[i] >= 1 && map[i] <= ps->params;
		}
		if (ok) {
			ps->copy_sql = g_strdup_printf("COPY %s (%s) FROM STDIN", table, columns);
			ps->copy_params = map;
			ps->copy_columns = (int)n;
		} else {
			g_free(map);
		}
		g_strfreev(names);
		g_strfreev(params);
		g_free(table);
		g_free(columns);
		g_free(values);
	}
	g_match_info_free(m);
}

static void *pg_prepare(struct store *s, const char *sql, int params)
{
	struct pg *pg = pg_of(s);
	struct pg_stmt *ps = g_new0(struct pg_stmt, 1);
	g_snprintf(ps->name, sizeof ps->name, "p%u", ++pg->next_name);
	ps->sql = dollar_parameters(sql);
	ps->params = params;
	ps->values = g_new0(const char *, params + 1);
	ps->lengths = g_new0(int, params + 1);
	ps->formats = g_new0(int, params + 1);
	ps->numbers = g_malloc0(sizeof *ps->numbers * (size_t)(params + 1));
	copy_plan(ps, sql);
	return ps;
}

static void pg_finalize(void *impl)
{
	struct pg_stmt *ps = impl;
	PQclear(ps->result);
	g_free(ps->sql);
	g_free(ps->values);
	g_free(ps->lengths);
	g_free(ps->formats);
	g_free(ps->numbers);
	g_free(ps->copy_sql);
	g_free(ps->copy_params);
	if (ps->copy_rows)
		g_string_free(ps->copy_rows, TRUE);
	sent_free(ps);
	g_free(ps);
}

static void pg_reset(struct stmt *st)
{
	struct pg_stmt *ps = st->impl;
	if (!ps->prefetched) { /* a prefetch's rows wait for their reader */
		PQclear(ps->result);
		ps->result = NULL;
		ps->rows = 0;
	}
	ps->row = 0;
	for (int i = 0; i < ps->params; i++) {
		ps->values[i] = NULL;
		ps->lengths[i] = 0;
		ps->formats[i] = 0;
	}
}

static void pg_bind_text(struct stmt *st, int index, const char *v, size_t len)
{
	struct pg_stmt *ps = st->impl;
	(void)len; /* a text parameter ends at its NUL: texts never hold one */
	if (index >= 1 && index <= ps->params)
		ps->values[index - 1] = v;
}

static void pg_bind_int(struct stmt *st, int index, int64_t v)
{
	struct pg_stmt *ps = st->impl;
	if (index < 1 || index > ps->params)
		return;
	g_snprintf(ps->numbers[index - 1], sizeof ps->numbers[0], "%" G_GINT64_FORMAT, v);
	ps->values[index - 1] = ps->numbers[index - 1];
}

static void pg_bind_null(struct stmt *st, int index)
{
	struct pg_stmt *ps = st->impl;
	if (index >= 1 && index <= ps->params)
		ps->values[index - 1] = NULL;
}

static void pg_bind_blob(struct stmt *st, int index, const void *v, size_t len)
{
	struct pg_stmt *ps = st->impl;
	if (index < 1 || index > ps->params)
		return;
	ps->values[index - 1] = v ? v : "";
	ps->lengths[index - 1] = (int)len;
	ps->formats[index - 1] = 1;
}

/* Reads the results of the pipeline up to its sync; false with the first error recorded. */
static bool pipeline_drain(struct store *s)
{
	struct pg *pg = pg_of(s);
	if (!pg->pipeline)
		return true;
	bool ok = true;
	if (PQpipelineSync(pg->conn) != 1)
		return pg_fail(s, NULL, NULL), false;
	for (;;) {
		PGresult *r = PQgetResult(pg->conn);
		if (!r) {
			if (PQstatus(pg->conn) == CONNECTION_BAD)
				return pg_fail(s, NULL, NULL), false;
			continue; /* the end of one statement's results */
		}
		ExecStatusType status = PQresultStatus(r);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		struct stmt *st = g_queue_pop_head(&pg->pending);
		if (ok && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
		    status != PGRES_PIPELINE_ABORTED) {
			pg_fail(s, r, st);
			ok = false;
		}
		PQclear(r);
	}
	g_queue_clear(&pg->pending);
	return ok;
}

/* Leaves pipeline mode, reading what is pending; false on an error in it. */
static bool pipeline_end(struct store *s)
{
	struct pg *pg = pg_of(s);
	if (!pg->pipeline)
		return true;
	bool ok = pipeline_drain(s);
	PQexitPipelineMode(pg->conn);
	pg->pipeline = false;
	return ok;
}

/* Sends the rows buffered for st with one COPY; false with the error recorded. */
static bool copy_send(struct store *s, struct stmt *st)
{
	struct pg *pg = pg_of(s);
	struct pg_stmt *ps = st->impl;
	GString *rows = ps->copy_rows;
	ps->copy_rows = NULL;
	PGresult *r = PQexec(pg->conn, ps->copy_sql);
	bool ok = PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		pg_fail(s, r, st);
	PQclear(r);
	if (ok) {
		/* blocking connection: both return 1 once the data is queued or sent */
		ok = PQputCopyData(pg->conn, rows->str, (int)rows->len) == 1 &&
		     PQputCopyEnd(pg->conn, NULL) == 1;
		if (!ok)
			pg_fail(s, NULL, st);
		/* the COPY's result, then NULL; read them all, even after a failed send */
		while ((r = PQgetResult(pg->conn))) {
			if (ok && PQresultStatus(r) != PGRES_COMMAND_OK) {
				pg_fail(s, r, st);
				ok = false;
			}
			PQclear(r);
		}
	}
	g_string_free(rows, TRUE);
	return ok;
}

static bool pipeline_end(struct store *s);

/* Sends every row buffered for COPY, after what the pipeline holds; false on the first error. */
static bool copy_flush(struct store *s)
{
	struct pg *pg = pg_of(s);
	if (g_queue_is_empty(&pg->copying))
		return true;
	bool ok = pipeline_end(s);
	struct stmt *st;
	while ((st = g_queue_pop_head(&pg->copying))) {
		struct pg_stmt *ps = st->impl;
		if (ok)
			ok = copy_send(s, st);
		if (ps->copy_rows) { /* after an error: not sent */
			g_string_free(ps->copy_rows, TRUE);
			ps->copy_rows = NULL;
		}
	}
	return ok;
}

/* Drops the rows buffered for COPY (the transaction rolls back). */
static void copy_discard(struct store *s)
{
	struct pg *pg = pg_of(s);
	struct stmt *st;
	while ((st = g_queue_pop_head(&pg->copying))) {
		struct pg_stmt *ps = st->impl;
		g_string_free(ps->copy_rows, TRUE);
		ps->copy_rows = NULL;
	}
}

/* Appends v to a row in COPY's text format: NULL is \N; backslash, tab, newline and CR escaped. */
static void copy_value(GString *row, const char *v)
{
	if (!v) {
		g_string_append(row, "\\N");
		return;
	}
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '\\': g_string_append(row, "\\\\"); break;
		case '\t': g_string_append(row, "\\t"); break;
		case '\n': g_string_append(row, "\\n"); break;
		case '\r': g_string_append(row, "\\r"); break;
		default: g_string_append_c(row, *p);
		}
	}
}

/* Buffers the row bound to st for its COPY; false when the buffer was sent and that failed. */
static bool copy_row(struct store *s, struct stmt *st)
{
	struct pg *pg = pg_of(s);
	struct pg_stmt *ps = st->impl;
	if (!ps->copy_rows) {
		ps->copy_rows = g_string_sized_new(4096);
		g_queue_push_tail(&pg->copying, st);
	}
	for (int c = 0; c < ps->copy_columns; c++) {
		if (c)
			g_string_append_c(ps->copy_rows, '\t');
		copy_value(ps->copy_rows, ps->values[ps->copy_params[c] - 1]);
	}
	g_string_append_c(ps->copy_rows, '\n');
	pg->bulk_rows++;
	return ps->copy_rows->len < COPY_BUFFER || copy_flush(s);
}

/* true when st's bound row can go by COPY: a plain insert with no binary parameter. */
static bool copyable(const struct pg_stmt *ps)
{
	if (!ps->copy_sql)
		return false;
	for (int i = 0; i < ps->params; i++)
		if (ps->formats[i])
			return false;
	return true;
}

/* Prepares st on this connection when it was not (since the last reconnect). */
static bool ensure_prepared(struct stmt *st)
{
	struct store *s = st->store;
	struct pg *pg = pg_of(s);
	struct pg_stmt *ps = st->impl;
	if (ps->generation == pg->generation)
		return true;
	if (!pipeline_end(s))
		return false;
	PGresult *r = PQprepare(pg->conn, ps->name, ps->sql, ps->params, NULL);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (ok)
		ps->generation = pg->generation;
	else
		pg_fail(s, r, st);
	PQclear(r);
	return ok;
}

/* true when the values bound to ps are those its prefetch was sent with. */
static bool same_values(const struct pg_stmt *ps)
{
	for (int i = 0; i < ps->params; i++) {
		const char *now = ps->values[i], *then = ps->sent[i];
		if ((now == NULL) != (then == NULL) || (now && strcmp(now, then) != 0))
			return false;
	}
	return true;
}

static int pipeline_send(struct stmt *const *sts, size_t n, bool for_later);
static bool begin_send(struct store *s);

static int pg_step(struct stmt *st)
{
	struct store *s = st->store;
	struct pg *pg = pg_of(s);
	struct pg_stmt *ps = st->impl;
	/* a read's first statement: sent with its BEGIN, in one round trip, its rows read now */
	if (!ps->result && pg->begin_pending && pipeline_send(&st, 1, false) != STORE_OK)
		return STORE_ERROR;
	if (ps->prefetched) { /* its first step: the prefetch's rows, if they are for these values */
		ps->prefetched = false;
		if (!same_values(ps)) {
			PQclear(ps->result);
			ps->result = NULL;
		}
	}
	if (!ps->result) {
		if (pg->broken || !begin_send(s) || !copy_flush(s) || !pipeline_end(s) || !ensure_prepared(st)) {
			if (pg->broken && s->failure != FAILURE_UNAVAILABLE)
				store_fail(s, FAILURE_UNAVAILABLE, "the database cannot be reached", NULL);
			return STORE_ERROR;
		}
		PGresult *r = PQexecPrepared(pg->conn, ps->name, ps->params, ps->values, ps->lengths,
					     ps->formats, 0);
		ExecStatusType status = PQresultStatus(r);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			pg_fail(s, r, st);
			PQclear(r);
			return STORE_ERROR;
		}
		ps->result = r;
		ps->row = 0;
		ps->rows = PQntuples(r);
	}
	if (ps->row < ps->rows) {
		ps->row++;
		return STMT_ROW;
	}
	PQclear(ps->result);
	ps->result = NULL;
	return STMT_DONE;
}

/* Forgets the rows prefetched and not read (the transaction they were read in ends). */
static void prefetch_drop(struct pg *pg)
{
	for (guint i = 0; pg->prefetched && i < pg->prefetched->len; i++) {
		struct pg_stmt *ps = ((struct stmt *)g_ptr_array_index(pg->prefetched, i))->impl;
		if (ps->prefetched) {
			ps->prefetched = false;
			PQclear(ps->result);
			ps->result = NULL;
			ps->row = ps->rows = 0;
		}
	}
	if (pg->prefetched)
		g_ptr_array_set_size(pg->prefetched, 0);
}

/*
 * Every statement sent in one pipeline, one sync, then every result read
 * and kept on its statement; a read's pending BEGIN goes first in the same
 * pipeline. for_later (stmt_prefetch): the results wait for the reader's
 * first step, which checks they are for the values it has bound then;
 * else the caller steps through them at once.
 */
static int pipeline_send_once(struct stmt *const *sts, size_t n, bool for_later)
{
	struct store *s = sts[0]->store;
	struct pg *pg = pg_of(s);
	if (pg->broken)
		return store_fail(s, FAILURE_UNAVAILABLE, "the database cannot be reached", NULL);
	if (!copy_flush(s) || !pipeline_end(s))
		return STORE_ERROR;
	for (size_t i = 0; i < n; i++) {
		struct pg_stmt *ps = sts[i]->impl;
		for (int p = 0; for_later && p < ps->params; p++)
			if (ps->formats[p]) /* binary parameters: not kept for comparison; read as usual */
				return STORE_OK;
		if (!ensure_prepared(sts[i]))
			return STORE_ERROR;
	}
	const char *begin_sql = pg->begin_pending;
	pg->begin_pending = NULL;
	if (PQenterPipelineMode(pg->conn) != 1)
		return pg_fail(s, NULL, NULL);
	bool ok = !begin_sql || PQsendQueryParams(pg->conn, begin_sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
	for (size_t i = 0; ok && i < n; i++) {
		struct pg_stmt *ps = sts[i]->impl;
		ok = PQsendQueryPrepared(pg->conn, ps->name, ps->params, ps->values, ps->lengths,
					 ps->formats, 0) == 1;
	}
	ok = ok && PQpipelineSync(pg->conn) == 1;
	if (!ok) {
		pg_fail(s, NULL, NULL);
		PQexitPipelineMode(pg->conn);
		return STORE_ERROR;
	}
	if (!pg->prefetched)
		pg->prefetched = g_ptr_array_new();
	if (begin_sql) {
		PGresult *r = PQgetResult(pg->conn), *extra;
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(s, r, NULL);
			ok = false;
		}
		while (r && (extra = PQgetResult(pg->conn)))
			PQclear(extra);
		PQclear(r);
	}
	for (size_t i = 0; i < n; i++) {
		struct pg_stmt *ps = sts[i]->impl;
		PGresult *r = PQgetResult(pg->conn);
		ExecStatusType status = PQresultStatus(r);
		if (ok && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			pg_fail(s, r, sts[i]);
			ok = false;
		}
		if (!r) /* the connection is gone: nothing more comes */
			break;
		PGresult *extra;
		while ((extra = PQgetResult(pg->conn))) /* up to the NULL that ends this statement's */
			PQclear(extra);
		if (!ok) {
			PQclear(r);
			continue;
		}
		PQclear(ps->result);
		ps->result = r;
		ps->row = 0;
		ps->rows = PQntuples(r);
		if (!for_later)
			continue;
		ps->prefetched = true;
		sent_free(ps);
		ps->sent = g_new0(char *, ps->params + 1);
		for (int p = 0; p < ps->params; p++)
			ps->sent[p] = ps->values[p] ? g_strdup(ps->values[p]) : NULL;
		g_ptr_array_add(pg->prefetched, sts[i]);
	}
	PGresult *r;
	while (!pg->broken && PQstatus(pg->conn) == CONNECTION_OK && (r = PQgetResult(pg->conn))) {
		bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			break;
	}
	PQexitPipelineMode(pg->conn);
	if (!ok)
		prefetch_drop(pg);
	return ok ? STORE_OK : STORE_ERROR;
}

/*
 * A connection that went away while idle (the server restarted since its
 * last use) is found broken only by a read's first statement: it is
 * connected again and the whole sent once more, since nothing was done in
 * the transaction yet.
 */
static int pipeline_send(struct stmt *const *sts, size_t n, bool for_later)
{
	struct store *s = sts[0]->store;
	struct pg *pg = pg_of(s);
	const char *begin_sql = pg->begin_pending;
	int rc = pipeline_send_once(sts, n, for_later);
	if (rc != STORE_OK && begin_sql && pg->broken && pg_revive(s)) {
		pg->begin_pending = begin_sql;
		rc = pipeline_send_once(sts, n, for_later);
	}
	return rc;
}

static int pg_prefetch(struct stmt *const *sts, size_t n)
{
	return pipeline_send(sts, n, true);
}

/* A statement of no rows: sent without waiting in a bulk write, else run. */
static int pg_run(struct stmt *st)
{
	struct store *s = st->store;
	struct pg *pg = pg_of(s);
	struct pg_stmt *ps = st->impl;
	if (!s->bulk || pg->broken) {
		int rc;
		while ((rc = pg_step(st)) == STMT_ROW)
			;
		return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
	}
	if (copyable(ps))
		return copy_row(s, st) ? STORE_OK : STORE_ERROR;
	if (!copy_flush(s) || !ensure_prepared(st))
		return STORE_ERROR;
	pg->bulk_rows++;
	if (!pg->pipeline) {
		if (PQenterPipelineMode(pg->conn) != 1)
			return pg_fail(s, NULL, st);
		pg->pipeline = true;
	}
	if (PQsendQueryPrepared(pg->conn, ps->name, ps->params, ps->values, ps->lengths, ps->formats, 0) != 1)
		return pg_fail(s, NULL, st);
	g_queue_push_tail(&pg->pending, st);
	if (pg->pending.length >= PIPELINE_BATCH && !pipeline_drain(s))
		return STORE_ERROR;
	return STORE_OK;
}

static const char *pg_column_text(struct stmt *st, int col, size_t *len)
{
	struct pg_stmt *ps = st->impl;
	int row = ps->row - 1;
	if (!ps->result || row < 0 || col >= PQnfields(ps->result) || PQgetisnull(ps->result, row, col))
		return NULL;
	*len = (size_t)PQgetlength(ps->result, row, col);
	return PQgetvalue(ps->result, row, col);
}

/* A bytea column comes as text, in the hex form ("\\x..."): unescaped into a. */
static const void *pg_column_blob(struct stmt *st, int col, struct arena *a, size_t *len)
{
	size_t text_len;
	const char *t = pg_column_text(st, col, &text_len);
	if (!t)
		return NULL;
	unsigned char *bytes = PQunescapeBytea((const unsigned char *)t, len);
	if (!bytes)
		g_error("out of memory");
	void *copy = arena_alloc(a, *len ? *len : 1);
	memcpy(copy, bytes, *len);
	PQfreemem(bytes);
	return copy;
}

static int64_t pg_column_int(struct stmt *st, int col)
{
	size_t len;
	const char *t = pg_column_text(st, col, &len);
	return t ? g_ascii_strtoll(t, NULL, 10) : 0;
}

/* ------------------------------------------------------------ SQL text and transactions */

static int pg_exec(struct store *s, const char *sql)
{
	struct pg *pg = pg_of(s);
	if (!begin_send(s) || !copy_flush(s) || !pipeline_end(s))
		return STORE_ERROR;
	PGresult *r = PQexec(pg->conn, sql);
	ExecStatusType status = PQresultStatus(r);
	int rc = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? STORE_OK : pg_fail(s, r, NULL);
	PQclear(r);
	return rc;
}

/*
 * Begins a transaction with sql. A connection that went away while idle
 * (the server restarted since its last use) is found broken only now: it is
 * connected again and the transaction begun once more, since nothing was
 * done in it yet.
 */
static int begin(struct store *s, const char *sql)
{
	struct pg *pg = pg_of(s);
	prefetch_drop(pg);
	if (!pg_revive(s))
		return STORE_ERROR;
	if (pg_exec(s, sql) == STORE_OK)
		return STORE_OK;
	if (!pg->broken || !pg_revive(s))
		return STORE_ERROR;
	return pg_exec(s, sql);
}

/* A read's BEGIN, sent when the read's first statement is (begin_pending). */
static int pg_begin_read(struct store *s)
{
	struct pg *pg = pg_of(s);
	prefetch_drop(pg);
	if (!pg_revive(s))
		return STORE_ERROR;
	pg->begin_pending = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
	return STORE_OK;
}

/* Sends a read's pending BEGIN by itself, for what is not sent with it in a pipeline. */
static bool begin_send(struct store *s)
{
	struct pg *pg = pg_of(s);
	const char *sql = pg->begin_pending;
	pg->begin_pending = NULL;
	return !sql || begin(s, sql) == STORE_OK;
}

static int pg_begin_write(struct store *s)
{
	char sql[160];
	/*
	 * READ COMMITTED: after the lock, each statement sees what was committed
	 * before it. A bulk write checks its references at commit (the foreign
	 * keys are DEFERRABLE), so rows may come in any order.
	 */
	if (s->private_write) /* sessions: rows of their own, no need to wait for an import */
		return begin(s, "BEGIN ISOLATION LEVEL READ COMMITTED");
	g_snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(%d)%s",
		   WRITER_LOCK, s->bulk ? "; SET CONSTRAINTS ALL DEFERRED" : "");
	return begin(s, sql);
}

/*
 * store_bulk_take_tables: the foreign keys are dropped in the transaction
 * (which locks their tables until it ends) and added back as it commits,
 * each checked over all rows by one query of PostgreSQL's, instead of a
 * check and a row lock per row written. A role that may not drop them
 * writes row by row.
 */
static int pg_take_tables(struct store *s)
{
	struct pg *pg = pg_of(s);
	struct stmt *st = store_stmt(
		s, "SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.relname, k.conname), "
		   "format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, k.conname, "
		   "pg_get_constraintdef(k.oid)) "
		   "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
		   "WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace "
		   "ORDER BY c.relname, k.conname");
	if (!st)
		return STORE_ERROR;
	GPtrArray *drops = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *adds = g_ptr_array_new_with_free_func(g_free);
	size_t len;
	int rc;
	while ((rc = stmt_step(st)) == STMT_ROW) {
		g_ptr_array_add(drops, g_strdup(pg_column_text(st, 0, &len)));
		g_ptr_array_add(adds, g_strdup(pg_column_text(st, 1, &len)));
	}
	if (rc == STMT_DONE)
		rc = pg_exec(s, "SAVEPOINT take_tables");
	for (guint i = 0; rc == STORE_OK && i < drops->len; i++) {
		PGresult *r = PQexec(pg->conn, g_ptr_array_index(drops, i));
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (PQresultStatus(r) != PGRES_COMMAND_OK && state && strcmp(state, "42501") == 0) {
			PQclear(r); /* not the tables' owner: row by row, as before the savepoint */
			rc = pg_exec(s, "ROLLBACK TO SAVEPOINT take_tables");
			g_ptr_array_set_size(adds, 0);
			break;
		}
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(s, r, NULL);
		PQclear(r);
	}
	if (rc == STORE_OK)
		rc = pg_exec(s, "RELEASE SAVEPOINT take_tables");
	g_ptr_array_free(drops, TRUE);
	if (rc == STORE_OK && adds->len) {
		pg->keys_to_add = adds;
	} else {
		g_ptr_array_free(adds, TRUE);
	}
	return rc == STORE_OK ? STORE_OK : STORE_ERROR;
}

/* The foreign keys a bulk write dropped, added back: each checks every row. */
static int add_keys_back(struct store *s)
{
	struct pg *pg = pg_of(s);
	GPtrArray *adds = pg->keys_to_add;
	pg->keys_to_add = NULL;
	int rc = STORE_OK;
	for (guint i = 0; adds && rc == STORE_OK && i < adds->len; i++)
		rc = pg_exec(s, g_ptr_array_index(adds, i));
	if (adds)
		g_ptr_array_free(adds, TRUE);
	return rc;
}

/*
 * ANALYZE of Podium's tables (those of the current schema): a plain ANALYZE
 * also reads the system catalogs, which an import does not change and which
 * took as long again (200 of 420 ms after the large document of bench/).
 * A sample of 3,000 rows a table (statistics target 10, not 100): the
 * planner needs sizes and rough distributions at once, not fine histograms,
 * which autovacuum's own ANALYZE brings a minute later; 480 -> 110 ms of the
 * large document's import of 3.9 s. Tables the role does not own are
 * skipped, without a warning.
 */
static int pg_refresh_statistics(struct store *s)
{
	struct pg *pg = pg_of(s);
	pg->bulk_rows = 0; /* what was written is counted in */
	struct stmt *st = store_stmt(s, "SELECT 'SET client_min_messages = error; "
				       "SET default_statistics_target = 10; ANALYZE ' || "
				       "string_agg(format('%I', relname), ', ' ORDER BY relname) || "
				       "'; RESET default_statistics_target; RESET client_min_messages' FROM pg_class "
				       "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'");
	if (!st)
		return STORE_ERROR;
	int rc = stmt_step(st);
	if (rc != STMT_ROW)
		return STORE_ERROR;
	size_t len;
	char *sql = g_strdup(pg_column_text(st, 0, &len)); /* NULL: no table, nothing to analyze */
	stmt_reset(st);
	rc = sql ? pg_exec(s, sql) : STORE_OK;
	g_free(sql);
	return rc;
}

static int pg_commit(struct store *s)
{
	struct pg *pg = pg_of(s);
	prefetch_drop(pg);
	bool analyze = pg->bulk_rows >= ANALYZE_ROWS;
	pg->bulk_rows = 0;
	/* delivered when the commit is: every node's page cache hears of it */
	if (add_keys_back(s) != STORE_OK ||
	    pg_exec(s, s->private_write ? "COMMIT" : "NOTIFY podium; COMMIT") != STORE_OK)
		return STORE_ERROR;
	/* fresh statistics for the planner after many rows (autovacuum would take a minute) */
	if (analyze && pg_refresh_statistics(s) != STORE_OK)
		log_line("postgresql: cannot analyze after a bulk write: %s", store_error(s));
	return STORE_OK;
}

static void pg_rollback(struct store *s)
{
	struct pg *pg = pg_of(s);
	pg->begin_pending = NULL; /* a read that sent nothing: nothing to roll back */
	prefetch_drop(pg);
	copy_discard(s);
	pg->bulk_rows = 0;
	if (pg->keys_to_add) { /* dropped in the transaction: the rollback keeps them */
		g_ptr_array_free(pg->keys_to_add, TRUE);
		pg->keys_to_add = NULL;
	}
	if (pg->pipeline) {
		pipeline_drain(s);
		PQexitPipelineMode(pg->conn);
		pg->pipeline = false;
	}
	if (!pg->broken && PQtransactionStatus(pg->conn) != PQTRANS_IDLE)
		PQclear(PQexec(pg->conn, "ROLLBACK"));
}

static int pg_schema_version(struct store *s, int *version)
{
	struct stmt *st = store_stmt(s, "SELECT CASE WHEN to_regclass('podium_schema') IS NULL THEN 0 "
				       "ELSE 1 END");
	int64_t exists = 0;
	if (!st || stmt_integer(st, &exists) != STORE_OK)
		return STORE_ERROR;
	*version = 0;
	if (!exists)
		return STORE_OK;
	/* the table may be new in this session: ask by text, not by a statement prepared before it */
	struct pg *pg = pg_of(s);
	PGresult *r = PQexec(pg->conn, "SELECT coalesce(max(version), 0) FROM podium_schema");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_fail(s, r, NULL);
		PQclear(r);
		return STORE_ERROR;
	}
	*version = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return STORE_OK;
}

static int pg_set_schema_version(struct store *s, int version)
{
	char sql[96];
	g_snprintf(sql, sizeof sql, "DELETE FROM podium_schema; INSERT INTO podium_schema VALUES (%d)",
		   version);
	return pg_exec(s, sql);
}

/*
 * PostgreSQL checks its pages itself (checksums, when the cluster has them)
 * and every foreign key as rows are written; but triggers can be turned off
 * (session_replication_role, a restore in the wrong order), so each foreign
 * key is checked again here, as SQLite's foreign_key_check does: a query per
 * key, made from the catalog (its names quoted by quote_ident, never input).
 */
static int pg_check_integrity(struct store *s, struct report *r)
{
	struct stmt *keys = store_stmt(
		s, "SELECT quote_ident(c.relname), quote_ident(p.relname), "
		   " (SELECT string_agg('c.' || quote_ident(a.attname) || ' IS NOT NULL', ' AND ') "
		   "  FROM unnest(k.conkey) u(n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n), "
		   " (SELECT string_agg('p.' || quote_ident(pa.attname) || ' = c.' || quote_ident(ca.attname), ' AND ') "
		   "  FROM unnest(k.conkey, k.confkey) u(cn, pn) "
		   "  JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.cn "
		   "  JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pn), "
		   " (SELECT string_agg('c.' || quote_ident(a.attname) || '::text', ' || '','' || ') "
		   "  FROM unnest(k.conkey) u(n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) "
		   "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid "
		   "WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace "
		   "ORDER BY c.relname, k.conname");
	if (!keys)
		return STORE_ERROR;
	struct arena a = ARENA_INIT;
	GPtrArray *checks = g_ptr_array_new_with_free_func(g_free);
	int rc;
	while ((rc = stmt_step(keys)) == STMT_ROW) {
		const char *child = stmt_column_text(keys, 0, &a), *parent = stmt_column_text(keys, 1, &a);
		g_ptr_array_add(checks, g_strdup_printf(
			"SELECT '%s', '%s', %s FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)",
			child, parent, stmt_column_text(keys, 4, &a), child, stmt_column_text(keys, 2, &a), parent,
			stmt_column_text(keys, 3, &a)));
	}
	for (guint i = 0; rc == STMT_DONE && i < checks->len; i++) {
		/* interned: the statement cache keys on the text's address */
		struct stmt *st = store_stmt(s, g_intern_string(g_ptr_array_index(checks, i)));
		rc = st ? STMT_DONE : STORE_ERROR;
		while (st && (rc = stmt_step(st)) == STMT_ROW)
			report_add(r, "foreign_key_check", NULL,
				   "the row of table %s with (%s) refers to a missing row of %s",
				   stmt_column_text(st, 0, &a), stmt_column_text(st, 2, &a),
				   stmt_column_text(st, 1, &a));
	}
	g_ptr_array_free(checks, TRUE);
	arena_free(&a);
	return rc == STMT_DONE ? STORE_OK : STORE_ERROR;
}

static int pg_bulk_start(struct store *s)
{
	(void)s;
	return STORE_OK;
}

static void pg_bulk_end(struct store *s)
{
	(void)s;
}

static int pg_tables(struct store *s, struct arena *a, strv *names)
{
	struct stmt *st = store_stmt(s, "SELECT table_name FROM information_schema.tables "
				       "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
				       "ORDER BY table_name");
	return st ? stmt_strings(st, a, names) : STORE_ERROR;
}

/* ------------------------------------------------------------ the listener */

enum { LISTEN_HEARTBEAT_MS = 5000, RECONNECT_MAX_MS = 1600 };

/*
 * The listener: a connection of its own that LISTENs to "podium". Every
 * notification is a change; so is every reconnect, since what was
 * committed while it was away was not heard.
 */
struct pg_watch {
	const struct backend *backend; /* first: store_watch_stop finds the backend through it */
	char *conninfo;
	int stop[2];
	GThread *thread;
	void (*changed)(void *ctx);
	void *ctx;
};

/* Connects and listens; NULL when the server cannot be reached now. */
static PGconn *listen_connect(const char *conninfo)
{
	PGconn *c = pg_connect(conninfo);
	if (PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeReceiver(c, pg_notice, NULL);
		PGresult *r = PQexec(c, "LISTEN podium");
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (ok)
			return c;
	}
	PQfinish(c);
	return NULL;
}

/* Waits up to ms for the stop pipe; true when it says stop. */
static bool watch_stopping(struct pg_watch *w, int ms)
{
	struct pollfd p = {w->stop[0], POLLIN, 0};
	return poll(&p, 1, ms) > 0;
}

static gpointer pg_watch_run(gpointer data)
{
	struct pg_watch *w = data;
	PGconn *c = NULL;
	int backoff = 100;
	for (;;) {
		if (!c) {
			c = listen_connect(w->conninfo);
			if (!c) {
				if (watch_stopping(w, backoff))
					break;
				backoff = MIN(backoff * 2, RECONNECT_MAX_MS);
				continue;
			}
			backoff = 100;
			w->changed(w->ctx); /* what was committed while not listening */
		}
		struct pollfd fds[2] = {{PQsocket(c), POLLIN, 0}, {w->stop[0], POLLIN, 0}};
		int n = poll(fds, 2, LISTEN_HEARTBEAT_MS);
		if (n > 0 && fds[1].revents)
			break;
		bool lost;
		if (n == 0) { /* quiet: make sure the server is still there */
			PGresult *r = PQexec(c, "");
			lost = PQresultStatus(r) != PGRES_EMPTY_QUERY;
			PQclear(r);
		} else {
			lost = PQconsumeInput(c) == 0;
		}
		bool heard = false;
		PGnotify *note;
		while (!lost && (note = PQnotifies(c))) {
			heard = true;
			PQfreemem(note);
		}
		if (heard || lost)
			w->changed(w->ctx);
		if (lost) {
			PQfinish(c);
			c = NULL;
		}
	}
	PQfinish(c);
	return NULL;
}

static struct store_watch *pg_watch_start(const char *conninfo, void (*changed)(void *ctx), void *ctx)
{
	struct pg_watch *w = g_new0(struct pg_watch, 1);
	w->backend = &pg_backend;
	w->conninfo = g_strdup(conninfo);
	w->changed = changed;
	w->ctx = ctx;
	if (pipe(w->stop) != 0) {
		g_free(w->conninfo);
		g_free(w);
		return NULL;
	}
	w->thread = g_thread_new("listen", pg_watch_run, w);
	return (struct store_watch *)w;
}

static void pg_watch_stop(struct store_watch *sw)
{
	struct pg_watch *w = (struct pg_watch *)sw;
	if (write(w->stop[1], "x", 1) != 1)
		log_line("cannot stop the database listener");
	g_thread_join(w->thread);
	close(w->stop[0]);
	close(w->stop[1]);
	g_free(w->conninfo);
	g_free(w);
}

const struct backend pg_backend = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.column_blob = pg_column_blob,
	.step = pg_step,
	.run = pg_run,
	.column_text = pg_column_text,
	.column_int = pg_column_int,
	.exec = pg_exec,
	.begin_read = pg_begin_read,
	.begin_write = pg_begin_write,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.schema_version = pg_schema_version,
	.set_schema_version = pg_set_schema_version,
	.migrations = migrations_pg,
	.migrations_count = &migrations_pg_count,
	.check_integrity = pg_check_integrity,
	.bulk_start = pg_bulk_start,
	.bulk_end = pg_bulk_end,
	.prefetch = pg_prefetch,
	.take_tables = pg_take_tables,
	.refresh_statistics = pg_refresh_statistics,
	.tables = pg_tables,
	.watch_start = pg_watch_start,
	.watch_stop = pg_watch_stop,
};
