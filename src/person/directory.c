/* directory.c: the people and organizations of a page, by key (person.h). */
#include <stdlib.h>
#include <string.h>

#include "person/person.h"

static int person_order(const void *a, const void *b)
{
	return strcmp(((const struct person *)a)->key, ((const struct person *)b)->key);
}

static int org_order(const void *a, const void *b)
{
	return strcmp(((const struct org *)a)->key, ((const struct org *)b)->key);
}

void directory_sort(struct directory *d)
{
	if (d->people.n)
		qsort(d->people.v, d->people.n, sizeof *d->people.v, person_order);
	if (d->orgs.n)
		qsort(d->orgs.v, d->orgs.n, sizeof *d->orgs.v, org_order);
}

const struct person *directory_person(const struct directory *d, const char *key)
{
	if (!key || !d->people.n)
		return NULL;
	struct person wanted = {.key = key};
	return bsearch(&wanted, d->people.v, d->people.n, sizeof *d->people.v, person_order);
}

const struct org *directory_org(const struct directory *d, const char *key)
{
	if (!key || !d->orgs.n)
		return NULL;
	struct org wanted = {.key = key};
	return bsearch(&wanted, d->orgs.v, d->orgs.n, sizeof *d->orgs.v, org_order);
}

void directory_org_chain(const struct directory *d, const char *key, const struct reading *rd, GString *out)
{
	const struct org *o = directory_org(d, key);
	for (int depth = 0; o && depth < 16; depth++) {
		if (depth)
			g_string_append(out, ", ");
		const char *tag;
		g_string_append(out, translated(rd, &o->translations, ORG_TEXT_NAME, o->name, &tag));
		o = directory_org(d, o->parent);
	}
}
