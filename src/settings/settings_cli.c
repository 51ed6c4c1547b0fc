/* settings_cli.c: `podium set NAME VALUE` and `podium help settings`. */
#include <stdio.h>

#include "core/cli.h"
#include "settings/settings.h"

void settings_cli_help(void)
{
	printf("Settings (podium set NAME VALUE; stored in the database):\n\n");
	for (size_t i = 0; i < settings_count; i++) {
		const struct setting *d = &settings_table[i];
		printf("  %s  (%s, default %lld, from %lld to %lld)\n      %s\n", d->name, d->type,
		       d->default_value, d->min, d->max, d->help);
	}
}

int settings_cli_set(struct cli *c)
{
	if (c->argc != 3)
		return cli_error("set: expected NAME VALUE"), cli_usage(c);
	const struct setting *def = settings_find(c->argv[1]);
	if (!def)
		return cli_error("set: unknown setting '%s' (see podium help settings)", c->argv[1]),
		       EX_USAGE;
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
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	if (settings_store_set(s, def->name, text) != STORE_OK) {
		cli_error("%s: %s", c->db_path, store_error(s));
		code = store_error_exit_code(s);
	}
	store_close(s);
	if (code != EX_OK && created)
		store_remove_files(c->db_path);
	return code;
}
