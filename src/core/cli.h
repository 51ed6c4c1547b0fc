/*
 * cli.h: what a subcommand gets from the dispatcher in main.c, and the
 * helpers every command uses for its messages. Exit codes follow
 * sysexits.h. The commands themselves are declared by their features'
 * *_cli.h headers.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sysexits.h>

struct report;

struct cli {
	const char *db_path; /* --db, else $PODIUM_DB, else podium.db */
	int argc;            /* the command's own arguments, argv[0] being the command */
	char **argv;
	const char *usage;   /* the command's usage line, "import [--replace] FILE|-" */
};

/* Prints "podium: message" on stderr, control characters escaped: one line. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage of the running command and returns EX_USAGE. */
int cli_usage(const struct cli *c);
/*
 * The candidate nearest to word (edit distance), when it is near enough to
 * be a likely typing mistake; NULL otherwise. candidates has n strings.
 */
const char *cli_suggest(const char *word, const char *const *candidates, size_t n);
/*
 * Opens file for reading, standard input for "-"; NULL after printing why
 * (the command then exits EX_NOINPUT). *name (g_free) is what messages
 * call it: the path, or <stdin>, with control characters escaped, so that
 * a line it starts stays one line.
 */
FILE *cli_open_input(const char *file, char **name);
/* Closes what cli_open_input opened (standard input stays open); in may be NULL. */
void cli_close_input(FILE *in);
/* Prints the lines of r on standard error, then "NAME: N more problems not shown" when some were left out. */
void cli_print_problems(const struct report *r, const char *name);
