/* settings_cli.c: `podium set NAME VALUE` and `podium help settings`. */
#include "settings/settings_cli.h"

#include <stdio.h>

#include "settings/settings.h"
#include "store/store_cli.h"

void settings_cli_help(void)
{
	printf("Settings (podium set NAME VALUE; stored in the database):\n\n");
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *d = &settings_table[i];
		if (d->type == SETTING_INTEGER)
			printf("  %s  (integer, default %lld, from %lld to %lld)\n      %s\n", d->name,
			       d->default_value, d->min, d->max, d->help);
		else
			printf("  %s  (text, default '%s')\n      %s\n", d->name, d->default_text, d->help);
	}
}

int settings_cli_set(struct cli *c)
{
	if (c->argc != 3)
		return cli_error("set: expected NAME VALUE"), cli_usage(c);
	const struct setting *def = settings_find(c->argv[1]);
	if (!def) {
		const char *names[64];
		size_t n = 0;
		for (; n < settings_count && n < G_N_ELEMENTS(names); n++)
			names[n] = settings_table[n].name;
		const char *near = cli_suggest(c->argv[1], names, n);
		if (near)
			cli_error("set: unknown setting '%s'; did you mean '%s'? (podium help settings)",
				  c->argv[1], near);
		else
			cli_error("set: unknown setting '%s' (see podium help settings)", c->argv[1]);
		return EX_USAGE;
	}
	long long value;
	char *error = NULL;
	if (!settings_parse(def, c->argv[2], &value, &error)) {
		cli_error("set: %s", error);
		g_free(error);
		return EX_USAGE;
	}
	int code = EX_OK;
	bool created = false;
	struct store *s = cli_open_store(c, STORE_CREATE, &created, &code);
	if (!s)
		return code;
	char number[32];
	snprintf(number, sizeof number, "%lld", value);
	const char *text = def->type == SETTING_INTEGER ? number : c->argv[2];
	if (store_begin(s) != STORE_OK || settings_store_set(s, def->name, text) != STORE_OK ||
	    store_commit(s) != STORE_OK) {
		code = cli_store_error(c, s);
		store_rollback(s);
	}
	store_close(s);
	if (code != EX_OK && created)
		store_remove_files(c->db_path);
	return code;
}
