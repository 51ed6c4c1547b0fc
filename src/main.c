/*
 * main.c: the `podium` command line: global options, the table of
 * subcommands and the list of the site's route tables. Each command lives
 * in its feature's *_cli.c, each route table in its feature's *_page.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "account/account_cli.h"
#include "account/account_page.h"
#include "account/signin.h"
#include "account/totp_page.h"
#include "core/cli.h"
#include "exchange/api_page.h"
#include "exchange/exchange_cli.h"
#include "http/server_cli.h"
#include "http/static_page.h"
#include "manage/manage_page.h"
#include "roster/roster_page.h"
#include "manage/desk_page.h"
#include "news/news.h"
#include "news/news_page.h"
#include "news/photo.h"
#include "news/photo_page.h"
#include "person/person_page.h"
#include "program/program_cli.h"
#include "program/program_page.h"
#include "roster/roster_cli.h"
#include "settings/settings_cli.h"
#include "store/store_cli.h"
#include "timetable/timetable_page.h"

#ifndef PODIUM_VERSION
#define PODIUM_VERSION "0.0.0"
#endif

/* The site: every route table, in the order they are tried. */
static const struct route *const site_routes[] = {
	program_routes, timetable_routes, news_routes, desk_routes, photo_routes, person_routes, api_routes, signin_routes, account_routes, totp_routes,
	manage_routes,
	roster_routes,
	static_routes, NULL,
};

static int serve_command(struct cli *c)
{
	if (!account_init()) {
		cli_error("serve: libsodium cannot start");
		return EX_SOFTWARE;
	}
	return server_cli_serve(c, site_routes, &account_auth, news_publish_due);
}

static int help_command(struct cli *c);

static const char *const role_names[] = {"public", "signed-in", "editor", "reviewer", "newsroom", "manager", "staff", "admin"};

/* `podium routes`: every route of the site, with the role it needs. */
static int routes_command(struct cli *c)
{
	if (c->argc != 1)
		return cli_error("routes: expected no argument"), cli_usage(c);
	for (size_t t = 0; site_routes[t]; t++)
		for (const struct route *r = site_routes[t]; r->pattern; r++)
			printf("%s\t%s\t%s\t%s\n", router_allow(r->methods), r->pattern, role_names[r->role],
			       r->csrf ? "csrf" : "-");
	return EX_OK;
}

static const struct command {
	const char *name;
	int (*run)(struct cli *c);
	const char *usage;
	const char *summary; /* one line, for `podium help` */
	const char *help;
} commands[] = {
	{"init", store_cli_init, "init", "create the database, or bring it to the current schema",
	 "Create the database, or migrate an existing one to the current schema."},
	{"import", exchange_cli_import, "import [--replace] [--quiet] [--files DIR] FILE|-",
	 "import a podium-program/1 document, all or nothing",
	 "Import a podium-program/1 document (- reads standard input) in one transaction:\n"
	 "on any error nothing is written. Records already stored with the same data are\n"
	 "accepted; different data is a conflict unless --replace, which updates them\n"
	 "(a replaced program's sessions, enrolments... are replaced whole). Creates the\n"
	 "database when it does not exist. On success one line says what was added,\n"
	 "updated and left unchanged (--quiet leaves it out). --files DIR reads the files\n"
	 "of the photos (HASH.jpg, .png, .webp, as export --files writes them) that the\n"
	 "database does not have yet.\n\n"
	 "The document's format: docs/exchange-format.md; examples/ holds real ones."},
	{"export", exchange_cli_export, "export [--files DIR] [SLUG]",
	 "write everything, or one program, as a podium-program/1 document",
	 "Write the canonical podium-program/1 document of everything, or of one program\n"
	 "with every person and organization it names, on standard output. --files DIR\n"
	 "also writes the file of each of its photos into DIR, named HASH.EXT.\n\n"
	 "The document's format: docs/exchange-format.md."},
	{"copy", exchange_cli_copy, "copy FROM TO",
	 "copy a whole database into a new or empty one, SQLite or PostgreSQL",
	 "Copy everything of database FROM (the exchange data, the settings and every\n"
	 "other table) into TO, in one transaction on TO, reading FROM in one snapshot:\n"
	 "a consistent copy of a database in use, so a copy into a new SQLite file is a\n"
	 "backup. Either may be a SQLite file or a PostgreSQL database (a postgresql://\n"
	 "URI or libpq keywords such as host=... dbname=...). A SQLite TO is created; a\n"
	 "PostgreSQL TO must exist and hold no Podium data (no schema yet, or a fresh\n"
	 "init). A TO holding data is refused and left as it was (exit 73). Before the\n"
	 "commit, the exports of both are compared: they must be identical.\n\n"
	 "--db is not used: FROM and TO say which databases."},
	{"roster", roster_cli,
	 "roster import [--dry-run] [--encoding NAME] SLUG FILE.csv|-\n"
	 "       podium [--db PATH] roster export SLUG",
	 "import a delegation's spreadsheet (CSV) into a program, or export its roster",
	 "import: read a CSV file (UTF-8, with or without BOM; comma or semicolon) whose\n"
	 "header names any of key, honorific, name (required), position, organization,\n"
	 "country, email, role (default participant) and status (default invited), and\n"
	 "enrol each row's person in program SLUG, all or nothing. A row's person is the\n"
	 "stored one of its key, else of its e-mail (in either case), else a new one with\n"
	 "a key made from the name; an enrolled person's enrolment is updated, not made\n"
	 "twice; an empty cell keeps what is stored. An organization is named by its key,\n"
	 "its name or short name; a name not known yet adds one. Problems are told as\n"
	 "FILE:LINE:COLUMN. --dry-run tells what each row would do and writes nothing.\n"
	 "A file that is not UTF-8 is refused: save it as \"CSV UTF-8\", or name its\n"
	 "encoding (--encoding GBK, --encoding Windows-1252).\n\n"
	 "export: write the program's enrolments as CSV on standard output, with every\n"
	 "column (e-mails included: the managers' copy), for a spreadsheet or a new import.\n\n"
	 "More: docs/cli.md."},
	{"list", program_cli_list, "list", "list the programs with their dates and counts",
	 "List the programs: slug, dates, mode, time zone, and counts of sessions,\n"
	 "enrolments and articles."},
	{"check", exchange_cli_check, "check", "check the database's integrity and every model rule",
	 "Check the database: its own integrity and foreign keys, and every model rule\n"
	 "over the stored records. Exits 0 when clean, 65 when it finds a problem."},
	{"serve", serve_command, "serve [--listen ADDR:PORT] [--threads N]",
	 "serve the public site and the JSON API",
	 "Serve the public site and the JSON API (default 127.0.0.1:8080) until SIGINT or\n"
	 "SIGTERM, which let the requests in flight finish. One access log line per\n"
	 "request goes to standard error."},
	{"user", account_cli_user,
	 "user add EMAIL --name NAME [--admin] [--person KEY] [--password-stdin] | user list |\n"
	 "       user passwd EMAIL [--password-stdin] | user disable EMAIL | user enable EMAIL |\n"
	 "       user reset EMAIL | user totp-off EMAIL",
	 "add, list, change and disable the accounts of the back office",
	 "Accounts of the back office (signing in at /login). add makes one, asking its\n"
	 "password twice on the terminal without echo, or reading one line of standard\n"
	 "input with --password-stdin (at least 12 characters). --admin may do\n"
	 "everything; others get roles per program (podium role). --person links the\n"
	 "account to a person of the model: who the newsroom credits. list prints one\n"
	 "line per account: e-mail, name, admin/disabled (and 2fa when two-factor\n"
	 "sign-in is on), roles, person. passwd sets a\n"
	 "new password and ends the account's sessions; disable stops an account from\n"
	 "signing in or using its tokens (its sessions end); enable undoes it. reset\n"
	 "prints a one-time link (/reset/...) that sets a new password, valid 24 hours;\n"
	 "only its hash is stored. totp-off turns two-factor sign-in off for an owner\n"
	 "who lost their authenticator app (they turn it on again at\n"
	 "/manage/account/totp). The first\n"
	 "account can also be made in the browser at /setup, from the server's machine.\n"
	 "Every change is written to the audit log."},
	{"role", account_cli_role, "role grant|revoke EMAIL ROLE SLUG",
	 "grant or revoke an account's role in a program",
	 "Grant or revoke ROLE in program SLUG: manager (edits the program and\n"
	 "everything in it), editor (writes its articles) or reviewer (publishes them).\n"
	 "An account may hold several roles. Written to the audit log."},
	{"token", account_cli_token, "token add EMAIL [--name LABEL] | token list [EMAIL] | token revoke N",
	 "make, list and revoke API tokens",
	 "API tokens act as their account in the JSON API (Authorization: Bearer TOKEN).\n"
	 "add prints a new token on standard output, once: only its hash is stored.\n"
	 "list prints number, account, label and date; revoke N ends token N at once."},
	{"routes", routes_command, "routes", "list the web server's routes and the role each needs",
	 "List every route of the web server, one per line: its methods, its pattern,\n"
	 "the role it needs (public, signed-in, editor, reviewer, manager, staff, admin;\n"
	 "per-program roles are held in the program of its {slug}) and whether it\n"
	 "changes state (csrf: a POST that needs the form's CSRF token)."},
	{"set", settings_cli_set, "set NAME VALUE", "change a setting (podium help settings)",
	 "Change a setting, stored in the database (see podium help settings)."},
	{"help", help_command, "help [COMMAND|settings]", "help on a command, or on the settings",
	 "Help on a command, or on the settings."},
};

static void print_overview(FILE *out)
{
	fprintf(out, "usage: podium [--db PATH] COMMAND [ARGS...]\n"
		     "       podium --version\n\n"
		     "The database is --db PATH, else $PODIUM_DB, else podium.db.\n\nCommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\npodium help COMMAND tells more; podium help settings lists the settings.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* "unknown command 'lst'; did you mean 'list'?" */
static void unknown_command(const char *what, const char *name)
{
	const char *names[G_N_ELEMENTS(commands)];
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		names[i] = commands[i].name;
	const char *near = cli_suggest(name, names, G_N_ELEMENTS(names));
	if (near)
		cli_error("%s '%s'; did you mean '%s'?", what, name, near);
	else
		cli_error("%s '%s' (podium help lists the commands)", what, name);
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
	if (!cmd) {
		unknown_command("help: unknown command", c->argv[1]);
		return EX_USAGE;
	}
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
	/* out of memory ends in one place: GLib's allocator aborts */
	json_set_alloc_funcs(g_malloc, g_free);
	photo_environment(); /* before any thread */
	const char *db = g_getenv("PODIUM_DB");
	static char *given; /* --db's value, copied before ps is kept from showing a password in it */
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("podium %s\n", PODIUM_VERSION);
			return flushed(EX_OK);
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			g_free(given);
			db = given = g_strdup(argv[++i]);
			store_target_scrub(argv[i]); /* a password in a URI: not for ps to show */
		} else if (g_str_has_prefix(argv[i], "--db=")) {
			g_free(given);
			db = given = g_strdup(argv[i] + 5);
			store_target_scrub(argv[i] + 5);
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_overview(stdout);
			return flushed(EX_OK);
		} else {
			cli_error("unknown option '%s' (podium help lists the options and commands)", argv[i]);
			return EX_USAGE;
		}
	}
	if (i == argc) {
		print_overview(stderr);
		return EX_USAGE;
	}
	const struct command *current = find_command(argv[i]);
	if (!current) {
		unknown_command("unknown command", argv[i]);
		return EX_USAGE;
	}
	if (!db || !*db)
		db = "podium.db";
	struct cli c = {.db_path = db, .argc = argc - i, .argv = argv + i, .usage = current->usage};
	return flushed(current->run(&c));
}
