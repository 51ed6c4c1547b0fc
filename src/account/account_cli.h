/* account_cli.h: `podium user`, `podium role` and `podium token` (account_cli.c). */
#pragma once
#include "core/cli.h"

int account_cli_user(struct cli *c);
int account_cli_role(struct cli *c);
int account_cli_token(struct cli *c);
