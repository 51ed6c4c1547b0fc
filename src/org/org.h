/* org.h: organizations (ministries, schools, training bases...) and their rules. */
#pragma once
#include "core/report.h"
#include "core/translation.h"

struct org {
	const char *key;        /* required */
	const char *name;       /* required, 1-300 */
	const char *short_name;
	const char *country;    /* ISO 3166-1 alpha-2 */
	const char *kind;       /* one of org_kinds */
	const char *parent;     /* organization key */
	translations translations; /* of name, short_name (org_translatable) */
};

extern const struct translatable org_translatable;
/* the fields of org_translatable, by index */
enum { ORG_TEXT_NAME, ORG_TEXT_SHORT_NAME };

extern const char *const org_kinds[];

/*
 * Checks every rule of one organization and reports at path. With refs,
 * also that its parent exists and that following parents never comes back
 * to it (refs->org_parent gives the parent as it will be stored).
 */
void org_check(const struct org *o, const char *path, const struct refs *refs, struct report *r);
