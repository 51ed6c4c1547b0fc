/* store_cli.c: `podium init` (create or migrate), and opening a command's database. */
#include "store/store_cli.h"

#include <stdio.h>

struct store *cli_open_store(const struct cli *c, enum store_mode mode, bool *created, int *code)
{
	char *error = NULL;
	struct store *s = store_open(c->db_path, mode, created, &error, code);
	if (!s) {
		cli_error("%s", error);
		g_free(error);
	}
	return s;
}

int cli_store_error(const struct cli *c, const struct store *s)
{
	(void)c;
	cli_error("%s: %s", store_target(s), store_error(s));
	return store_error_exit_code(s);
}

int store_cli_init(struct cli *c)
{
	if (c->argc > 1)
		return cli_error("init: takes no arguments"), cli_usage(c);
	int code = EX_OK;
	bool created = false;
	struct store *s = cli_open_store(c, STORE_CREATE, &created, &code);
	if (!s)
		return code;
	int from = store_migrated_from(s);
	if (created)
		printf("%s: database created\n", store_target(s));
	else if (from == 0)
		printf("%s: schema created\n", store_target(s));
	else if (from > 0)
		printf("%s: schema migrated from version %d\n", store_target(s), from);
	else
		printf("%s: database is up to date\n", store_target(s));
	store_close(s);
	return EX_OK;
}
