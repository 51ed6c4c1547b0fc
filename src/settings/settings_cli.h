/* settings_cli.h: `podium set` and `podium help settings` (settings_cli.c). */
#pragma once
#include "core/cli.h"

int settings_cli_set(struct cli *c);
/* Prints the settings with type, default, current meaning. */
void settings_cli_help(void);
