/*
 * main.c: the `podium` command line: global options and the table of
 * subcommands. Each command lives in its feature's *_cli.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "core/cli.h"

#ifndef PODIUM_VERSION
#define PODIUM_VERSION "0.0.0"
#endif

static int help_command(struct cli *c);

static const struct command {
	const char *name;
	int (*run)(struct cli *c);
	const char *usage;
	const char *help;
} commands[] = {
	{"init", store_cli_init, "init",
	 "Create the database, or migrate an existing one to the current schema."},
	{"import", exchange_cli_import, "import [--replace] FILE|-",
	 "Import a podium-program/1 document (- reads standard input) in one transaction:\n"
	 "on any error nothing is written. Records already stored with the same data are\n"
	 "accepted; different data is a conflict unless --replace, which updates them\n"
	 "(a replaced program's sessions, enrolments... are replaced whole). Creates the\n"
	 "database when it does not exist."},
	{"export", exchange_cli_export, "export [SLUG]",
	 "Write the canonical podium-program/1 document of everything, or of one program\n"
	 "with every person and organization it names, on standard output."},
	{"list", program_cli_list, "list",
	 "List the programs: slug, dates, mode, time zone, and counts of sessions,\n"
	 "enrolments and articles."},
	{"check", store_cli_check, "check",
	 "Check the database: SQLite's integrity and foreign keys, and every model rule\n"
	 "over the stored records. Exits 0 when clean, 65 when it finds a problem."},
	{"serve", server_cli_serve, "serve [--listen ADDR:PORT] [--threads N]",
	 "Serve the public site and the JSON API (default 127.0.0.1:8080) until SIGINT or\n"
	 "SIGTERM, which let the requests in flight finish. One access log line per\n"
	 "request goes to standard error."},
	{"set", settings_cli_set, "set NAME VALUE",
	 "Change a setting, stored in the database (see podium help settings)."},
	{"help", help_command, "help [COMMAND|settings]", "Help on a command, or on the settings."},
};

static const struct command *current;

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("podium: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_usage(const struct cli *c)
{
	(void)c;
	if (current)
		fprintf(stderr, "usage: podium [--db PATH] %s\n", current->usage);
	return EX_USAGE;
}

static void print_overview(FILE *out)
{
	fprintf(out, "usage: podium [--db PATH] COMMAND [ARGS...]\n"
		     "       podium --version\n\n"
		     "The database is --db PATH, else $PODIUM_DB, else podium.db.\n\nCommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "\npodium help COMMAND tells more; podium help settings lists the settings.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int help_command(struct cli *c)
{
	if (c->argc == 1) {
		print_overview(stdout);
		return EX_OK;
	}
	if (c->argc > 2)
		return cli_error("help: one topic at a time"), cli_usage(c);
	if (strcmp(c->argv[1], "settings") == 0) {
		settings_cli_help();
		return EX_OK;
	}
	const struct command *cmd = find_command(c->argv[1]);
	if (!cmd)
		return cli_error("help: no command '%s'", c->argv[1]), EX_USAGE;
	printf("usage: podium [--db PATH] %s\n\n%s\n", cmd->usage, cmd->help);
	return EX_OK;
}

/* Output that could not be written is an I/O error, whatever the command. */
static int flushed(int code)
{
	if (code == EX_OK && (fflush(stdout) != 0 || ferror(stdout))) {
		cli_error("cannot write the output: %s", g_strerror(errno));
		return EX_IOERR;
	}
	return code;
}

int main(int argc, char **argv)
{
	const char *db = g_getenv("PODIUM_DB");
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("podium %s\n", PODIUM_VERSION);
			return flushed(EX_OK);
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (g_str_has_prefix(argv[i], "--db=")) {
			db = argv[i] + 5;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_overview(stdout);
			return flushed(EX_OK);
		} else {
			cli_error("unknown option '%s'", argv[i]);
			print_overview(stderr);
			return EX_USAGE;
		}
	}
	if (i == argc) {
		print_overview(stderr);
		return EX_USAGE;
	}
	current = find_command(argv[i]);
	if (!current) {
		cli_error("no command '%s'", argv[i]);
		print_overview(stderr);
		return EX_USAGE;
	}
	if (!db || !*db)
		db = "podium.db";
	struct cli c = {.db_path = db, .argc = argc - i, .argv = argv + i};
	return flushed(current->run(&c));
}
