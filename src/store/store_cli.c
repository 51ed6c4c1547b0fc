/* store_cli.c: `podium init` (create or migrate) and `podium check`. */
#include <stdio.h>

#include "core/cli.h"
#include "exchange/exchange.h"

struct store *cli_open_store(const struct cli *c, int mode, bool *created, int *code)
{
	char *error = NULL;
	struct store *s = store_open(c->db_path, (enum store_mode)mode, created, &error, code);
	if (!s) {
		cli_error("%s", error);
		g_free(error);
	}
	return s;
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
	printf("%s: database %s\n", c->db_path, created ? "created" : "is up to date");
	store_close(s);
	return EX_OK;
}

int store_cli_check(struct cli *c)
{
	if (c->argc > 1)
		return cli_error("check: takes no arguments"), cli_usage(c);
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	struct report r;
	report_init(&r);
	if (exchange_check_store(s, &r) != STORE_OK) {
		cli_error("%s: %s", c->db_path, store_error(s));
		code = store_error_exit_code(s);
	} else if (r.count) {
		for (guint i = 0; i < r.lines->len; i++)
			fprintf(stderr, "%s: %s\n", c->db_path, (const char *)g_ptr_array_index(r.lines, i));
		if (r.count > r.lines->len)
			fprintf(stderr, "%s: %zu more problems not shown\n", c->db_path, r.count - r.lines->len);
		fprintf(stderr, "%s: %zu problem%s found\n", c->db_path, r.count, r.count == 1 ? "" : "s");
		code = EX_DATAERR;
	} else {
		printf("%s: ok\n", c->db_path);
	}
	report_free(&r);
	store_close(s);
	return code;
}
