/* org_page.c: how organizations are shown on pages (no page of their own yet). */
#include "org/org_page.h"

#include "html/view.h"

json_t *org_view(const struct directory *dir, const struct reading *rd, const char *key)
{
	const struct org *o = directory_org(dir, key);
	if (!o)
		return NULL;
	json_t *v = json_pack("{s:s,s:s?}", "key", o->key, "country", o->country);
	view_text(v, "name", rd, &o->translations, ORG_TEXT_NAME, o->name);
	view_text(v, "short_name", rd, &o->translations, ORG_TEXT_SHORT_NAME, o->short_name);
	json_t *chain = json_array();
	const struct org *at = o;
	for (int depth = 0; at && depth < 16; depth++) {
		json_t *part = json_object();
		view_text(part, "name", rd, &at->translations, ORG_TEXT_NAME, at->name);
		json_array_append_new(chain, part);
		at = directory_org(dir, at->parent);
	}
	json_object_set_new(v, "chain", chain);
	return v;
}
