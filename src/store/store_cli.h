/* store_cli.h: `podium init`, and opening a command's database (store_cli.c). */
#pragma once
#include "core/cli.h"
#include "store/store.h"

/*
 * Opens the command's database (store.h's store_open), printing the
 * problem and setting *code to its exit code when it cannot be opened.
 */
struct store *cli_open_store(const struct cli *c, enum store_mode mode, bool *created, int *code);
/* Prints "podium: TARGET: error" for the store's last error; returns its exit code. */
int cli_store_error(const struct cli *c, const struct store *s);

int store_cli_init(struct cli *c);
