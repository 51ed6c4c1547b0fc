/* org.c: the rules of an organization (org.h). */
#include "org/org.h"

#include <string.h>

#include "core/intl.h"
#include "core/values.h"

const char *const org_kinds[] = {"ministry", "department", "agency",  "embassy", "school",
				 "training-base", "association", "company", "other", NULL};

void org_check(const struct org *o, const char *path, const struct refs *refs, struct report *r)
{
	check_key(r, path, "key", o->key, true);
	check_text(r, path, "name", o->name, TEXT_TITLE, true);
	check_text(r, path, "short_name", o->short_name, TEXT_LINE, false);
	if (o->country && !intl_is_country(o->country))
		report_add(r, path, "country", "'%s' is not an ISO 3166-1 alpha-2 country code (e.g. MY)",
			   o->country);
	check_choice(r, path, "kind", o->kind, org_kinds, false);
	if (!check_reference(r, path, "parent", o->parent, false, refs, REF_ORGANIZATION) ||
	    !o->parent || !refs || !o->key)
		return;
	/* a cycle comes back to o->key; a chain longer than this many steps is one too */
	const char *at = o->parent;
	for (int steps = 0; at; steps++) {
		if (strcmp(at, o->key) == 0 || steps > 100000) {
			report_add(r, path, "parent", "'%s' makes a cycle: '%s' would be its own ancestor",
				   o->parent, o->key);
			return;
		}
		at = refs->org_parent(refs, at);
	}
}
