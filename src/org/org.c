/* org.c: the rules of an organization (org.h). */
#include "org/org.h"

#include <string.h>

#include "core/catalog.h"
#include "core/values.h"

const char *const org_kinds[] = {"ministry", "department", "agency",  "embassy", "school",
				 "training-base", "association", "company", "other", NULL};
const struct translatable org_translatable = {
	N_("an organization"), 2, {"name", "short_name"}, {TEXT_TITLE, TEXT_LINE}};

/* What a walk up the parents found out about an organization. */
enum ancestry { ANCESTRY_ROOTED = 1, ANCESTRY_IN_CYCLE, ANCESTRY_BELOW_CYCLE };

/*
 * true when following o's parents comes back to o. Every organization met
 * is recorded in refs->org_ancestry (when there is one), so that over a
 * whole document each chain is walked once: the check is linear.
 */
static bool org_in_cycle(const struct org *o, const struct refs *refs)
{
	GHashTable *memo = refs->org_ancestry, *own = NULL;
	if (!memo)
		memo = own = g_hash_table_new(g_str_hash, g_str_equal);
	enum ancestry known = GPOINTER_TO_INT(g_hash_table_lookup(memo, o->key));
	if (known) {
		if (own)
			g_hash_table_destroy(own);
		return known == ANCESTRY_IN_CYCLE;
	}
	/* the walk: keys in order, and where each is on it */
	GPtrArray *path = g_ptr_array_new();
	GHashTable *on_path = g_hash_table_new(g_str_hash, g_str_equal);
	const char *at = o->key;
	enum ancestry end = ANCESTRY_ROOTED;
	size_t cycle_from = 0;
	while (at) {
		gpointer index;
		if (g_hash_table_lookup_extended(on_path, at, NULL, &index)) {
			end = ANCESTRY_IN_CYCLE;
			cycle_from = GPOINTER_TO_SIZE(index);
			break;
		}
		known = GPOINTER_TO_INT(g_hash_table_lookup(memo, at));
		if (known) {
			end = known == ANCESTRY_ROOTED ? ANCESTRY_ROOTED : ANCESTRY_BELOW_CYCLE;
			break;
		}
		g_hash_table_insert(on_path, (gpointer)at, GSIZE_TO_POINTER(path->len));
		g_ptr_array_add(path, (gpointer)at);
		at = refs->org_parent(refs, at);
	}
	for (guint i = 0; i < path->len; i++) {
		enum ancestry a = end != ANCESTRY_IN_CYCLE ? end
				: i >= cycle_from ? ANCESTRY_IN_CYCLE : ANCESTRY_BELOW_CYCLE;
		g_hash_table_insert(memo, g_ptr_array_index(path, i), GINT_TO_POINTER(a));
	}
	bool in_cycle = end == ANCESTRY_IN_CYCLE && cycle_from == 0;
	g_ptr_array_free(path, TRUE);
	g_hash_table_destroy(on_path);
	if (own)
		g_hash_table_destroy(own);
	return in_cycle;
}

void org_check(const struct org *o, const char *path, const struct refs *refs, struct report *r)
{
	check_key(r, path, "key", o->key, true);
	check_text(r, path, "name", o->name, TEXT_TITLE, true);
	check_text(r, path, "short_name", o->short_name, TEXT_LINE, false);
	check_country(r, path, "country", o->country, false);
	check_choice(r, path, "kind", o->kind, org_kinds, false);
	check_translations(r, path, &o->translations, &org_translatable,
			   (const char *const[]){o->name, o->short_name});
	if (!check_reference(r, path, "parent", o->parent, false, refs, REF_ORGANIZATION) ||
	    !o->parent || !refs || !o->key)
		return;
	if (org_in_cycle(o, refs))
		report_add(r, path, "parent", "'%s' makes a cycle: '%s' would be its own ancestor",
			   o->parent, o->key);
}
