/* exchange_cli.h: `podium import`, `export`, `check` and `copy` (exchange_cli.c). */
#pragma once
#include "core/cli.h"

int exchange_cli_import(struct cli *c);
int exchange_cli_export(struct cli *c);
int exchange_cli_check(struct cli *c);
int exchange_cli_copy(struct cli *c);
