/* program_cli.h: `podium list` (program_cli.c). */
#pragma once
#include "core/cli.h"

int program_cli_list(struct cli *c);
