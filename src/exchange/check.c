/*
 * check.c: `podium check` as a use case: the database's own integrity
 * checks, then every stored record judged by the same rules as import.
 */
#include "exchange/refs.h"

struct check {
	struct store_refs refs;
	struct report *r;
};

static int check_org(void *ctx, const struct org *o)
{
	struct check *c = ctx;
	char *at = g_strdup_printf("organization '%s'", o->key);
	org_check(o, at, &c->refs.base, c->r);
	g_free(at);
	return STORE_OK;
}

static int check_person(void *ctx, const struct person *p)
{
	struct check *c = ctx;
	char *at = g_strdup_printf("person '%s'", p->key);
	person_check(p, at, &c->refs.base, c->r);
	g_free(at);
	return STORE_OK;
}

int exchange_check_store(struct store *s, struct report *r)
{
	struct arena a = ARENA_INIT;
	struct check c = {.r = r};
	store_refs_init(&c.refs, s, &a);
	strv slugs;
	int rc = store_begin_read(s);
	if (rc == STORE_OK)
		rc = store_check_integrity(s, r);
	if (rc == STORE_OK)
		rc = org_store_each(s, &a, check_org, &c);
	if (rc == STORE_OK)
		rc = person_store_each(s, &a, check_person, &c);
	if (rc == STORE_OK)
		rc = program_store_slugs(s, &a, &slugs);
	for (size_t i = 0; rc == STORE_OK && i < slugs.n; i++) {
		struct arena pa = ARENA_INIT;
		struct program p;
		rc = program_store_get(s, slugs.v[i], &pa, &p);
		if (rc == STORE_OK) {
			char *at = g_strdup_printf("program '%s'", slugs.v[i]);
			program_check(&p, at, &c.refs.base, r);
			g_free(at);
		}
		arena_free(&pa);
	}
	store_end_read(s);
	store_refs_free(&c.refs);
	arena_free(&a);
	return rc == STORE_OK && c.refs.failed ? STORE_ERROR : rc;
}
