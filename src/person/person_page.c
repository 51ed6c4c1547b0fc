/*
 * person_page.c: /people/KEY, the page of a public person: one who speaks
 * in an item, is spoken for, or is credited in a published article. Anybody
 * else is 404. No e-mail address ever appears.
 */
#include "person/person_page.h"

#include <string.h>

#include "core/tz.h"
#include "html/view.h"
#include "org/org_page.h"

json_t *person_view(struct request *r, const char *key)
{
	struct person p;
	if (!key || person_store_get(r->store, key, &r->arena, &p) != STORE_OK)
		return NULL;
	char *url = g_strdup_printf("/people/%s", p.key);
	json_t *v = json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "key", p.key, "url", url, "name", p.name,
			      "honorific", p.honorific, "position", p.position);
	g_free(url);
	json_t *org = org_view(r, p.organization);
	if (org)
		json_object_set_new(v, "organization", org);
	return v;
}

static void person_page(struct request *r)
{
	const char *key = r->params[0];
	appearances list;
	if (person_store_appearances(r->store, key, &r->arena, &list) != STORE_OK) {
		respond_error(r, 500, "The database cannot be read now.");
		return;
	}
	json_t *person = list.n ? person_view(r, key) : NULL;
	if (!person) {
		respond_error(r, 404, "There is no public page for this person.");
		return;
	}
	/* sessions and articles, grouped by program */
	json_t *programs = json_array(), *current = NULL;
	const char *current_slug = NULL;
	for (size_t i = 0; i < list.n; i++) {
		const struct appearance *ap = &list.v[i];
		if (!current_slug || strcmp(current_slug, ap->program_slug) != 0) {
			char *url = g_strdup_printf("/programs/%s", ap->program_slug);
			current = json_pack("{s:s,s:s,s:[],s:[]}", "url", url, "title", ap->program_title,
					    "items", "articles");
			g_free(url);
			json_array_append_new(programs, current);
			current_slug = ap->program_slug;
		}
		if (ap->session_key) {
			GTimeZone *zone = tz_zone(ap->timezone);
			struct local_time start = {0}, end = {0};
			if (zone) {
				tz_local_time(zone, ap->starts_at, &start);
				tz_local_time(zone, ap->ends_at, &end);
			}
			char *when = g_strdup_printf("%s–%s", start.hhmm, end.hhmm);
			json_t *item = json_pack("{s:s,s:o,s:s,s:s?,s:o}", "session", ap->session_title,
						 "date", view_date(start.date), "time", when, "title",
						 ap->item_title, "role", view_label(ap->role));
			g_free(when);
			json_array_append_new(json_object_get(current, "items"), item);
		} else {
			char *url = g_strdup_printf("/programs/%s/articles/%s", ap->program_slug, ap->article_key);
			json_array_append_new(json_object_get(current, "articles"),
					      json_pack("{s:s,s:s,s:o,s:o}", "url", url, "title",
							ap->article_title, "date",
							view_date(ap->article_created_on), "role",
							view_label(ap->role)));
			g_free(url);
		}
	}
	json_t *name = json_object_get(person, "name");
	json_t *ctx = json_pack("{s:O,s:o,s:o}", "title", name, "person", person, "programs", programs);
	r->cacheable = true;
	respond_page(r, 200, "person/person", ctx);
}

const struct route person_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/people/{key}", person_page, ROLE_PUBLIC, false},
	{0},
};
