/* roster_cli.h: `podium roster import|export` (roster_cli.c). */
#pragma once
#include "core/cli.h"

int roster_cli(struct cli *c);
