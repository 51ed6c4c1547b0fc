/* cli.c: messages of the command line (cli.h). */
#include "core/cli.h"

#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/report.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_line("%s", raw);
	g_free(raw);
}

int cli_usage(const struct cli *c)
{
	if (c->usage)
		fprintf(stderr, "usage: podium [--db PATH] %s\n", c->usage);
	return EX_USAGE;
}

/* Levenshtein distance of two short strings, in bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	size_t *row = g_new(size_t, m + 1);
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diagonal + cost);
			diagonal = up;
		}
	}
	size_t d = row[m];
	g_free(row);
	return d;
}

const char *cli_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_distance = G_MAXSIZE;
	if (strlen(word) > 256)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (strlen(candidates[i]) > 256)
			continue;
		size_t d = edit_distance(word, candidates[i]);
		if (d < best_distance) {
			best_distance = d;
			best = candidates[i];
		}
	}
	/* near enough: a third of the word's length, at least one edit, or a prefix */
	size_t allowed = MAX(1, strlen(word) / 3);
	if (best && (best_distance <= allowed || (*word && g_str_has_prefix(best, word))))
		return best;
	return NULL;
}

FILE *cli_open_input(const char *file, char **name)
{
	bool from_stdin = strcmp(file, "-") == 0;
	FILE *in = from_stdin ? stdin : fopen(file, "rb");
	if (!in) {
		cli_error("cannot read '%s': %s", file, g_strerror(errno));
		*name = NULL;
		return NULL;
	}
	*name = text_escape_line(from_stdin ? "<stdin>" : file);
	return in;
}

void cli_close_input(FILE *in)
{
	if (in && in != stdin)
		fclose(in);
}

void cli_print_problems(const struct report *r, const char *name)
{
	for (guint i = 0; i < r->lines->len; i++)
		fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(r->lines, i));
	if (r->count > r->lines->len)
		fprintf(stderr, "%s: %zu more problems not shown\n", name, r->count - r->lines->len);
}
