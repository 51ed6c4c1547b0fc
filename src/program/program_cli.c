/* program_cli.c: `podium list`, the programs of a database with their counts; naming a program that is not there. */
#include <stdio.h>
#include <string.h>

#include "program/program_cli.h"
#include "store/store_cli.h"

int program_cli_unknown(struct store *s, const char *slug)
{
	struct arena a = ARENA_INIT;
	strv slugs = {0};
	const char *near = program_store_slugs(s, &a, &slugs) == STORE_OK
				   ? cli_suggest(slug, slugs.v, slugs.n) : NULL;
	if (near)
		cli_error("no program '%s' in '%s'; did you mean '%s'? (podium list)", slug,
			  store_target(s), near);
	else
		cli_error("no program '%s' in '%s' (podium list shows them)", slug, store_target(s));
	arena_free(&a);
	return EX_NOINPUT;
}

int program_cli_list(struct cli *c)
{
	if (c->argc > 1)
		return cli_error("list: takes no arguments"), cli_usage(c);
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	struct arena a = ARENA_INIT;
	program_summaries list;
	if (program_store_list(s, &a, &list) != STORE_OK) {
		code = cli_store_error(c, s);
		goto cleanup;
	}
	int w_slug = 4, w_zone = 8, w_mode = 4;
	for (size_t i = 0; i < list.n; i++) {
		w_slug = MAX(w_slug, (int)strlen(list.v[i].slug));
		w_zone = MAX(w_zone, (int)strlen(list.v[i].timezone));
		w_mode = MAX(w_mode, (int)strlen(list.v[i].mode));
	}
	printf("%-*s  %-10s  %-10s  %-*s  %-*s  %-8s  %-10s  %s\n", w_slug, "SLUG", "STARTS", "ENDS",
	       w_mode, "MODE", w_zone, "TIMEZONE", "SESSIONS", "ENROLMENTS", "ARTICLES");
	for (size_t i = 0; i < list.n; i++) {
		const struct program_summary *p = &list.v[i];
		printf("%-*s  %-10s  %-10s  %-*s  %-*s  %-8lld  %-10lld  %lld\n", w_slug, p->slug,
		       p->starts_on, p->ends_on, w_mode, p->mode, w_zone, p->timezone,
		       (long long)p->sessions, (long long)p->enrolments, (long long)p->articles);
	}
cleanup:
	arena_free(&a);
	store_close(s);
	return code;
}
