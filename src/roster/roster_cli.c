/* roster_cli.c: `podium roster import` and `podium roster export`, a program's roster as CSV. */
#include "roster/roster_cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "program/program_cli.h"
#include "roster/roster_use.h"
#include "settings/settings.h"
#include "store/store_cli.h"

/* Reads all of in into out, at most max bytes: false when there are more (*too_large) or a read fails (errno). */
static bool read_all(FILE *in, long long max, GString *out, bool *too_large)
{
	char chunk[1 << 16];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
		if ((long long)(out->len + got) > max) {
			*too_large = true;
			return false;
		}
		g_string_append_len(out, chunk, (gssize)got);
	}
	if (ferror(in)) {
		if (!errno)
			errno = EIO;
		return false;
	}
	return true;
}

/* Prints what the import did, or what each row would do and the whole. */
static void print_plan(const char *slug, const struct roster_plan *plan, bool dry_run)
{
	for (size_t i = 0; dry_run && i < plan->steps.n; i++) {
		char *line = roster_step_line(&plan->steps.v[i], NULL);
		printf("%s\n", line);
		g_free(line);
	}
	char *summary = roster_summary_line(slug, &plan->counts, dry_run, NULL);
	printf("%s\n", summary);
	g_free(summary);
}

static int roster_cli_import(struct cli *c)
{
	const char *slug = NULL, *file = NULL, *encoding = NULL;
	bool dry_run = false;
	for (int i = 2; i < c->argc; i++) {
		const char *arg = c->argv[i];
		if (strcmp(arg, "--dry-run") == 0)
			dry_run = true;
		else if (strcmp(arg, "--encoding") == 0 && i + 1 < c->argc)
			encoding = c->argv[++i];
		else if (g_str_has_prefix(arg, "--encoding="))
			encoding = arg + strlen("--encoding=");
		else if (arg[0] == '-' && arg[1])
			return cli_error("roster import: unknown option '%s'", arg), cli_usage(c);
		else if (!slug)
			slug = arg;
		else if (!file)
			file = arg;
		else
			return cli_error("roster import: one file at a time ('%s' is one too many)", arg),
			       cli_usage(c);
	}
	if (!slug || !file)
		return cli_error("roster import: name the program's SLUG and the FILE (- for standard input)"),
		       cli_usage(c);
	if (encoding && !roster_encoding_known(encoding)) {
		cli_error("roster import: unknown encoding '%s' (iconv -l lists them: GBK, GB18030, "
			  "Windows-1252, ISO-8859-1, UTF-16...)", encoding);
		return EX_USAGE;
	}
	char *name;
	FILE *in = cli_open_input(file, &name);
	if (!in)
		return EX_NOINPUT;
	GString *data = g_string_new(NULL);
	struct arena a = ARENA_INIT;
	struct report r;
	report_init(&r);
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		goto cleanup;
	long long max_bytes;
	if (settings_get(s, "import.max_bytes", &max_bytes) != STORE_OK) {
		code = cli_store_error(c, s);
		goto cleanup;
	}
	bool too_large = false;
	struct stat st;
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > max_bytes)
		too_large = true;
	errno = 0;
	if (too_large || !read_all(in, max_bytes, data, &too_large)) {
		if (too_large) {
			fprintf(stderr, "%s: file is more than %lld bytes, the limit of import.max_bytes "
					"(podium set import.max_bytes N)\n", name, max_bytes);
			code = EX_DATAERR;
		} else {
			cli_error("cannot read '%s': %s", name, g_strerror(errno));
			code = errno == EISDIR ? EX_NOINPUT : EX_IOERR;
		}
		goto cleanup;
	}
	struct roster roster;
	enum roster_read_result read = roster_read(name, data->str, data->len, encoding, &a, &roster, &r);
	if (read == ROSTER_READ_UNKNOWN_ENCODING) { /* known to iconv, yet it would not convert */
		cli_error("roster import: cannot convert from encoding '%s'", encoding);
		code = EX_USAGE;
		goto cleanup;
	}
	if (read == ROSTER_READ_INVALID) {
		cli_print_problems(&r, name);
		code = EX_DATAERR;
		goto cleanup;
	}
	struct roster_plan plan;
	char *actor = g_strconcat("cli:", g_get_user_name(), NULL);
	enum roster_result result = roster_import(s, slug, &roster, dry_run, actor, "cli", &a, &plan, &r);
	g_free(actor);
	switch (result) {
	case ROSTER_OK:
		print_plan(slug, &plan, dry_run);
		break;
	case ROSTER_INVALID:
		cli_print_problems(&r, name);
		code = EX_DATAERR;
		break;
	case ROSTER_NO_PROGRAM:
		code = program_cli_unknown(s, slug);
		break;
	case ROSTER_STORE_ERROR:
		code = cli_store_error(c, s);
		break;
	}
cleanup:
	store_close(s);
	cli_close_input(in);
	g_string_free(data, TRUE);
	arena_free(&a);
	report_free(&r);
	g_free(name);
	return code;
}

static int roster_cli_export(struct cli *c)
{
	if (c->argc != 3)
		return cli_error("roster export: name the program's SLUG, and nothing more"), cli_usage(c);
	const char *slug = c->argv[2];
	if (slug[0] == '-')
		return cli_error("roster export: unknown option '%s'", slug), cli_usage(c);
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	GString *out = g_string_new(NULL);
	int rc = roster_export(s, slug, out);
	if (rc == STORE_NOT_FOUND) {
		code = program_cli_unknown(s, slug);
	} else if (rc == STORE_ERROR) {
		code = cli_store_error(c, s);
	} else if (fwrite(out->str, 1, out->len, stdout) != out->len) {
		cli_error("cannot write the roster: %s", g_strerror(errno));
		code = EX_IOERR;
	}
	g_string_free(out, TRUE);
	store_close(s);
	return code;
}

int roster_cli(struct cli *c)
{
	static const char *const actions[] = {"import", "export"};
	if (c->argc < 2)
		return cli_error("roster: import or export?"), cli_usage(c);
	if (strcmp(c->argv[1], "import") == 0)
		return roster_cli_import(c);
	if (strcmp(c->argv[1], "export") == 0)
		return roster_cli_export(c);
	const char *near = cli_suggest(c->argv[1], actions, G_N_ELEMENTS(actions));
	if (near)
		cli_error("roster: unknown action '%s'; did you mean '%s'?", c->argv[1], near);
	else
		cli_error("roster: unknown action '%s' (import or export)", c->argv[1]);
	return cli_usage(c);
}
