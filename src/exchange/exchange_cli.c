/* exchange_cli.c: `podium import`, `podium export` and `podium check`. */
#include "exchange/exchange_cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exchange/exchange.h"
#include "settings/settings.h"
#include "store/store_cli.h"

/*
 * Reads all of in, at most max bytes. Returns the bytes (g_free) with *len,
 * or NULL: *too_large when there was more, else errno is set.
 */
static char *read_all(FILE *in, long long max, size_t *len, bool *too_large)
{
	GByteArray *buf = g_byte_array_new();
	guint8 chunk[65536];
	size_t n;
	*too_large = false;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
		g_byte_array_append(buf, chunk, (guint)n);
		if ((long long)buf->len > max) {
			*too_large = true;
			break;
		}
	}
	if (*too_large || ferror(in)) {
		int saved = errno;
		g_byte_array_free(buf, TRUE);
		errno = saved ? saved : EIO;
		return NULL;
	}
	*len = buf->len;
	g_byte_array_append(buf, (const guint8 *)"", 1);
	return (char *)g_byte_array_free(buf, FALSE);
}

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
	bool from_stdin = strcmp(file, "-") == 0;
	FILE *in = from_stdin ? stdin : fopen(file, "rb");
	if (!in) {
		cli_error("cannot read '%s': %s", file, g_strerror(errno));
		return EX_NOINPUT;
	}
	/* the name starts every error line: no control character may break one */
	char *name = text_escape_line(from_stdin ? "<stdin>" : file);
	int code = EX_OK;
	bool created = false;
	char *data = NULL;
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
	size_t len = 0;
	bool too_large;
	data = read_all(in, max_bytes, &len, &too_large);
	if (!data && too_large) {
		fprintf(stderr, "%s: document is more than %lld bytes, the limit of import.max_bytes "
				"(podium set import.max_bytes N)\n", name, max_bytes);
		code = EX_DATAERR;
		goto cleanup;
	}
	if (!data) {
		cli_error("cannot read '%s': %s", name, g_strerror(errno));
		code = errno == EISDIR ? EX_NOINPUT : EX_IOERR;
		goto cleanup;
	}
	struct arena a = ARENA_INIT;
	struct import_summary sum = {.arena = &a};
	switch (exchange_import(s, name, data, len, &opt, &r, &sum)) {
	case IMPORT_OK:
		code = EX_OK;
		if (!quiet) {
			char *line = exchange_summary_line(&sum);
			printf("%s\n", line);
			g_free(line);
		}
		break;
	case IMPORT_INVALID:
		for (guint i = 0; i < r.lines->len; i++)
			fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(r.lines, i));
		if (r.count > r.lines->len)
			fprintf(stderr, "%s: %zu more problems not shown\n", name, r.count - r.lines->len);
		code = EX_DATAERR;
		break;
	case IMPORT_STORE_ERROR:
		code = cli_store_error(c, s);
		break;
	}
	arena_free(&a);
cleanup:
	store_close(s);
	if (code != EX_OK && created)
		store_remove_files(c->db_path);
	if (!from_stdin)
		fclose(in);
	g_free(data);
	g_free(name);
	report_free(&r);
	return code;
}

int exchange_cli_export(struct cli *c)
{
	if (c->argc > 2)
		return cli_error("export: at most one SLUG"), cli_usage(c);
	const char *slug = c->argc == 2 ? c->argv[1] : NULL;
	if (slug && slug[0] == '-')
		return cli_error("export: unknown option '%s'", slug), cli_usage(c);
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	static char buffer[1 << 20];
	setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
	int rc = exchange_export(s, slug, stdout);
	if (rc == STORE_NOT_FOUND) {
		code = EX_NOINPUT;
		struct arena a = ARENA_INIT;
		strv slugs = {0};
		const char *near = program_store_slugs(s, &a, &slugs) == STORE_OK
					   ? cli_suggest(slug, slugs.v, slugs.n) : NULL;
		if (near)
			cli_error("no program '%s' in '%s'; did you mean '%s'? (podium list)", slug,
				  store_target(s), near);
		else
			cli_error("no program '%s' in '%s' (podium list shows them)", slug, store_target(s));
		arena_free(&a);
	} else if (rc == STORE_ERROR) {
		code = cli_store_error(c, s);
	} else if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the export: %s", g_strerror(errno));
		code = EX_IOERR;
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
