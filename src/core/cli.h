/*
 * cli.h: what a subcommand gets from the dispatcher in main.c, and the
 * subcommands the features provide. Exit codes follow sysexits.h.
 */
#pragma once
#include <stdbool.h>
#include <sysexits.h>

struct cli {
	const char *db_path; /* --db, else $PODIUM_DB, else podium.db */
	int argc;            /* the command's own arguments, argv[0] being the command */
	char **argv;
};

/* Prints "podium: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Opens the command's database (store.h's store_open), printing the
 * problem and setting *code to its exit code when it cannot be opened.
 */
struct store *cli_open_store(const struct cli *c, int mode, bool *created, int *code);
/* Prints the usage of the running command and returns EX_USAGE. */
int cli_usage(const struct cli *c);

int store_cli_init(struct cli *c);
int store_cli_check(struct cli *c);
int exchange_cli_import(struct cli *c);
int exchange_cli_export(struct cli *c);
int program_cli_list(struct cli *c);
int settings_cli_set(struct cli *c);
int server_cli_serve(struct cli *c);
/* Prints the settings with type, default, current meaning. */
void settings_cli_help(void);
