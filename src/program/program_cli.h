/* program_cli.h: `podium list` (program_cli.c). */
#pragma once
#include "core/cli.h"
#include "store/store.h"

int program_cli_list(struct cli *c);
/*
 * Prints "podium: no program 'SLUG' in 'DB'", with the nearest slug as a
 * suggestion when there is one, for a command given a slug that is not
 * stored; returns EX_NOINPUT.
 */
int program_cli_unknown(struct store *s, const char *slug);
