/* cli.c: messages of the command line (cli.h). */
#include "core/cli.h"

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
