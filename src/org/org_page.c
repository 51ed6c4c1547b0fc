/* org_page.c: how organizations are shown on pages (no page of their own yet). */
#include "org/org_page.h"

json_t *org_view(const struct directory *dir, const char *key)
{
	const struct org *o = directory_org(dir, key);
	if (!o)
		return NULL;
	GString *chain = g_string_new(NULL);
	directory_org_chain(dir, key, chain);
	json_t *v = json_pack("{s:s,s:s,s:s?,s:s?,s:s}", "key", o->key, "name", o->name, "short_name",
			      o->short_name, "country", o->country, "full_name", chain->str);
	g_string_free(chain, TRUE);
	return v;
}
