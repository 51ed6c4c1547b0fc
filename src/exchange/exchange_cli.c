/* exchange_cli.c: `podium import`, `export`, `check` and `copy`. */
#include "exchange/exchange_cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exchange/exchange.h"
#include "news/photo.h"
#include "program/program_cli.h"
#include "settings/settings.h"
#include "store/store_cli.h"

int exchange_cli_import(struct cli *c)
{
	struct import_options opt = {0};
	const char *file = NULL;
	bool quiet = false;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--replace") == 0)
			opt.replace = true;
		else if (strcmp(c->argv[i], "--quiet") == 0)
			quiet = true;
		else if (strcmp(c->argv[i], "--files") == 0 && i + 1 < c->argc)
			opt.files_dir = c->argv[++i];
		else if (c->argv[i][0] == '-' && c->argv[i][1] && !file)
			return cli_error("import: unknown option '%s'", c->argv[i]), cli_usage(c);
		else if (file)
			return cli_error("import: one document at a time ('%s' is one too many)", c->argv[i]),
			       cli_usage(c);
		else
			file = c->argv[i];
	}
	if (!file)
		return cli_error("import: name a FILE, or - for standard input"), cli_usage(c);
	char *name;
	FILE *in = cli_open_input(file, &name);
	if (!in)
		return EX_NOINPUT;
	int code = EX_OK;
	bool created = false;
	struct report r;
	report_init(&r);
	struct store *s = cli_open_store(c, STORE_CREATE, &created, &code);
	if (!s)
		goto cleanup;
	long long max_bytes;
	if (settings_get(s, "import.max_bytes", &max_bytes) != STORE_OK ||
	    settings_get(s, "import.max_depth", &opt.max_depth) != STORE_OK) {
		code = cli_store_error(c, s);
		goto cleanup;
	}
	struct file_source f = {.in = in, .max = max_bytes};
	char *actor = g_strconcat("cli:", g_get_user_name(), NULL);
	opt.audit_actor = actor;
	opt.audit_via = "cli";
	struct stat st;
	/* a file larger than the limit is refused before it is parsed */
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > max_bytes)
		f.too_large = true;
	struct import_source source = {exchange_file_read, &f};
	struct arena a = ARENA_INIT;
	struct import_summary sum = {.arena = &a};
	enum import_result result = f.too_large ? IMPORT_SOURCE_ERROR
				  : exchange_import(s, name, &source, &opt, &r, &sum);
	switch (result) {
	case IMPORT_OK:
		code = EX_OK;
		if (!quiet) {
			char *line = exchange_summary_line(&sum);
			printf("%s\n", line);
			g_free(line);
		}
		break;
	case IMPORT_INVALID:
	case IMPORT_FORBIDDEN: /* the command line may write everything: not seen here */
		cli_print_problems(&r, name);
		code = EX_DATAERR;
		break;
	case IMPORT_STORE_ERROR:
		code = cli_store_error(c, s);
		break;
	case IMPORT_SOURCE_ERROR:
		if (f.too_large) {
			fprintf(stderr, "%s: document is more than %lld bytes, the limit of import.max_bytes "
					"(podium set import.max_bytes N)\n", name, max_bytes);
			code = EX_DATAERR;
		} else {
			cli_error("cannot read '%s': %s", name, g_strerror(f.error));
			code = f.error == EISDIR ? EX_NOINPUT : EX_IOERR;
		}
		break;
	}
	arena_free(&a);
	g_free(actor);
cleanup:
	store_close(s);
	if (code != EX_OK && created)
		store_remove_files(c->db_path);
	cli_close_input(in);
	g_free(name);
	report_free(&r);
	return code;
}

/* The file export_files writes, a part at a time: its error stops photo_store_blob_parts. */
struct export_file {
	int fd;
	int error; /* errno of the first failed write */
};

static bool export_file_part(const void *bytes, size_t len, void *ctx)
{
	struct export_file *f = ctx;
	for (const char *p = bytes; len > 0;) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->error = n < 0 ? errno : EIO;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Writes blob hash into dir as HASH.EXT, part by part (never whole in
 * memory), into a temporary file renamed when whole. Returns an exit code.
 */
static int export_file(struct cli *c, struct store *s, const char *dir, const char *hash)
{
	char *temporary = g_build_filename(dir, ".podium-export-XXXXXX", NULL);
	struct export_file f = {g_mkstemp(temporary), 0};
	if (f.fd < 0) {
		cli_error("export: cannot write in '%s': %s", dir, g_strerror(errno));
		g_free(temporary);
		return EX_CANTCREAT;
	}
	struct photo_blob b;
	int rc = photo_store_blob_parts(s, hash, &b, export_file_part, &f);
	if (rc == STORE_OK && !f.error && (fchmod(f.fd, 0644) != 0 || fsync(f.fd) != 0))
		f.error = errno;
	if (close(f.fd) != 0 && rc == STORE_OK && !f.error)
		f.error = errno;
	char *path = NULL;
	int code = EX_OK;
	if (rc != STORE_OK) {
		code = cli_store_error(c, s);
	} else {
		char *name = g_strdup_printf("%s.%s", b.hash, b.extension ? b.extension : "bin");
		path = g_build_filename(dir, name, NULL);
		g_free(name);
		if (!f.error && rename(temporary, path) != 0)
			f.error = errno;
		if (f.error) {
			cli_error("export: cannot write '%s': %s", path, g_strerror(f.error));
			code = EX_IOERR;
		}
	}
	if (code != EX_OK)
		unlink(temporary);
	g_free(path);
	g_free(temporary);
	return code;
}

/* Writes the file of every photo of slug's program (NULL: of all) into dir. Returns an exit code. */
static int export_files(struct cli *c, struct store *s, const char *slug, const char *dir)
{
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		cli_error("export: cannot make the folder '%s': %s", dir, g_strerror(errno));
		return EX_CANTCREAT;
	}
	struct arena a = ARENA_INIT; /* the hashes */
	strv hashes;
	int code = EX_OK;
	if (store_begin_read(s) != STORE_OK || photo_store_files(s, slug, &a, &hashes) != STORE_OK)
		code = cli_store_error(c, s);
	for (size_t i = 0; code == EX_OK && i < hashes.n; i++)
		code = export_file(c, s, dir, hashes.v[i]);
	store_end_read(s);
	arena_free(&a);
	return code;
}

int exchange_cli_export(struct cli *c)
{
	const char *slug = NULL, *files = NULL;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--files") == 0 && i + 1 < c->argc)
			files = c->argv[++i];
		else if (c->argv[i][0] == '-')
			return cli_error("export: unknown option '%s'", c->argv[i]), cli_usage(c);
		else if (slug)
			return cli_error("export: at most one SLUG"), cli_usage(c);
		else
			slug = c->argv[i];
	}
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	static char buffer[1 << 20];
	setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
	int rc = exchange_export(s, slug, stdout);
	if (rc == STORE_NOT_FOUND) {
		code = program_cli_unknown(s, slug);
	} else if (rc == STORE_ERROR) {
		code = cli_store_error(c, s);
	} else if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the export: %s", g_strerror(errno));
		code = EX_IOERR;
	} else if (files) {
		code = export_files(c, s, slug, files);
	}
	store_close(s);
	return code;
}

int exchange_cli_check(struct cli *c)
{
	if (c->argc > 1)
		return cli_error("check: takes no arguments"), cli_usage(c);
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	struct report r;
	report_init(&r);
	const char *target = store_target(s);
	if (exchange_check_store(s, &r) != STORE_OK) {
		code = cli_store_error(c, s);
	} else if (r.count) {
		for (guint i = 0; i < r.lines->len; i++)
			fprintf(stderr, "%s: %s\n", target, (const char *)g_ptr_array_index(r.lines, i));
		if (r.count > r.lines->len)
			fprintf(stderr, "%s: %zu more problems not shown\n", target, r.count - r.lines->len);
		fprintf(stderr, "%s: %zu problem%s found\n", target, r.count, r.count == 1 ? "" : "s");
		code = EX_DATAERR;
	} else {
		printf("%s: ok\n", target);
	}
	report_free(&r);
	store_close(s);
	return code;
}

/* ------------------------------------------------------------ copy */

/* A stream that keeps only a digest and a length of what is written to it. */
struct digest_sink {
	GChecksum *sum;
	long long bytes;
};

static ssize_t digest_write(void *cookie, const char *buf, size_t size)
{
	struct digest_sink *d = cookie;
	g_checksum_update(d->sum, (const guchar *)buf, (gssize)size);
	d->bytes += (long long)size;
	return (ssize_t)size;
}

/* The SHA-256 (g_free) and length of the export of everything in s, or NULL on a store error. */
static char *export_digest(struct store *s, long long *bytes)
{
	struct digest_sink d = {g_checksum_new(G_CHECKSUM_SHA256), 0};
	FILE *f = fopencookie(&d, "w", (cookie_io_functions_t){.write = digest_write});
	char *digest = NULL;
	if (f) {
		int rc = exchange_export(s, NULL, f);
		if (fclose(f) == 0 && rc == STORE_OK)
			digest = g_strdup(g_checksum_get_string(d.sum));
	}
	g_checksum_free(d.sum);
	*bytes = d.bytes;
	return digest;
}

/* export_digest of one store, in a thread of its own. */
struct digest_job {
	struct store *store;
	char *digest;
	long long bytes;
};

static gpointer digest_thread(gpointer data)
{
	struct digest_job *j = data;
	j->digest = export_digest(j->store, &j->bytes);
	return NULL;
}

/* Opens copy's target: a SQLite file is made when missing, a PostgreSQL database gets the schema. */
static struct store *open_copy_target(const char *target, bool *created, int *code)
{
	char *error = NULL;
	struct store *s = store_open(target, STORE_CREATE, created, &error, code);
	if (!s) {
		cli_error("%s", error);
		g_free(error);
	}
	return s;
}

int exchange_cli_copy(struct cli *c)
{
	if (c->argc != 3)
		return cli_error("copy: name the database FROM and the database TO"), cli_usage(c);
	for (int i = 1; i < 3; i++)
		if (c->argv[i][0] == '-')
			return cli_error("copy: unknown option '%s'", c->argv[i]), cli_usage(c);
	char *from_target = g_strdup(c->argv[1]), *to_target = g_strdup(c->argv[2]);
	/* a password in a URI: not for ps to show (the copies above are used) */
	store_target_scrub(c->argv[1]);
	store_target_scrub(c->argv[2]);
	int code = EX_OK;
	bool created = false, reading = false;
	struct store *to = NULL, *from = NULL, *failed = NULL;
	if (strcmp(from_target, to_target) == 0) {
		cli_error("copy: FROM and TO are the same database");
		code = EX_USAGE;
		goto cleanup;
	}
	struct cli from_cli = *c;
	from_cli.db_path = from_target;
	if (!(from = cli_open_store(&from_cli, STORE_EXISTING, NULL, &code)) ||
	    !(to = open_copy_target(to_target, &created, &code)))
		goto cleanup;
	bool empty;
	if (store_is_empty(to, &empty) != STORE_OK) {
		failed = to;
		goto cleanup;
	}
	if (!empty) {
		cli_error("%s: holds Podium data already; copy fills only a new or empty database "
			  "(nothing was changed)", store_target(to));
		code = EX_CANTCREAT;
		goto cleanup;
	}
	/* one snapshot of FROM: a consistent copy of a database in use */
	if (store_begin_read(from) != STORE_OK) {
		failed = from;
		goto cleanup;
	}
	reading = true;
	/* TO is empty: the copy takes its tables and checks references once, at commit */
	if (store_begin_bulk(to) != STORE_OK || store_bulk_take_tables(to) != STORE_OK) {
		failed = to;
		goto cleanup;
	}
	int64_t rows;
	struct store *copy_failed;
	if (store_copy(from, to, &rows, &copy_failed) != STORE_OK) {
		failed = copy_failed;
		goto cleanup;
	}
	/* before the commit: what TO would hold must export exactly as FROM does */
	if (store_refresh_statistics(to) != STORE_OK) {
		failed = to;
		goto cleanup;
	}
	/* both at once: each store is used by one thread */
	struct digest_job from_job = {from, NULL, 0};
	GThread *other = g_thread_new("export-from", digest_thread, &from_job);
	long long to_bytes;
	char *to_digest = export_digest(to, &to_bytes);
	g_thread_join(other);
	char *from_digest = from_job.digest;
	long long from_bytes = from_job.bytes;
	if (!from_digest || !to_digest) {
		failed = from_digest ? to : from;
	} else if (strcmp(from_digest, to_digest) != 0 || from_bytes != to_bytes) {
		cli_error("%s: its export would differ from the export of %s (%lld bytes against %lld): "
			  "a bug; nothing was written", store_target(to), store_target(from), to_bytes,
			  from_bytes);
		code = EX_SOFTWARE;
	} else if (store_commit(to) != STORE_OK) {
		failed = to;
	} else {
		printf("copied %s to %s: %" G_GINT64_FORMAT " rows; both export the same %lld bytes\n",
		       store_target(from), store_target(to), rows, from_bytes);
	}
	g_free(from_digest);
	g_free(to_digest);
cleanup:
	if (failed)
		code = cli_store_error(c, failed);
	if (to && code != EX_OK)
		store_rollback(to);
	if (reading)
		store_end_read(from);
	store_close(from);
	store_close(to);
	if (code != EX_OK && created)
		store_remove_files(to_target);
	g_free(from_target);
	g_free(to_target);
	return code;
}
