/* org_page.c: how organizations are shown on pages (no page of their own yet). */
#include "org/org_page.h"

#include <string.h>

json_t *org_view(struct request *r, const char *key)
{
	struct org o;
	if (!key || org_store_get(r->store, key, &r->arena, &o) != STORE_OK)
		return NULL;
	/* "Legal Affairs Division, Prime Minister's Department": the organization, then its parents */
	GString *chain = g_string_new(o.name);
	const char *parent = o.parent;
	for (int depth = 0; parent && depth < 16; depth++) {
		struct org p;
		if (org_store_get(r->store, parent, &r->arena, &p) != STORE_OK)
			break;
		g_string_append_printf(chain, ", %s", p.name);
		parent = p.parent;
	}
	json_t *v = json_pack("{s:s,s:s,s:s?,s:s?}", "key", o.key, "name", o.name, "short_name",
			      o.short_name, "country", o.country);
	json_object_set_new(v, "full_name", json_string(chain->str));
	g_string_free(chain, TRUE);
	return v;
}
