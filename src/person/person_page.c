/*
 * person_page.c: /people/KEY, the page of a public person: one who speaks
 * in an item, is spoken for, or is credited in a published article
 * (public_appearance). Anybody else is 404. No e-mail address ever appears.
 */
#include "person/person_page.h"

#include <string.h>

#include "core/catalog.h"
#include "core/tz.h"
#include "html/view.h"
#include "org/org_page.h"

json_t *person_view(const struct directory *dir, const struct reading *rd, struct arena *a, const char *key)
{
	const struct person *p = directory_person(dir, key);
	if (!p)
		return NULL;
	json_t *v = json_pack("{s:s,s:s,s:s?}", "key", p->key, "url", url_person(a, p->key), "honorific",
			      p->honorific);
	view_text(v, "name", rd, &p->translations, PERSON_TEXT_NAME, p->name);
	view_text(v, "position", rd, &p->translations, PERSON_TEXT_POSITION, p->position);
	json_t *org = org_view(dir, rd, p->organization);
	if (org)
		json_object_set_new(v, "organization", org);
	return v;
}

/* How the person's page says what they did: "Wrote", "Spoke at"... */
static const char *appearance_verb(const struct reading *rd, const char *role)
{
	/* TRANSLATORS: each verb starts a line of a person's page, before a session or an article */
	static const char *const verbs[][2] = {
		{"speaker", N_("Spoke at")}, {"on behalf of", N_("Was represented at")},
		{"written by", N_("Wrote")}, {"photographed by", N_("Took the photographs of")},
		{"reviewed by", N_("Reviewed")},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(verbs); i++)
		if (strcmp(verbs[i][0], role) == 0)
			return catalog_text(catalog_for(rd->page), verbs[i][1]);
	return role;
}

/* One session item of an appearance, in the program's zone. */
static json_t *appearance_item(const struct appearance *ap, const struct reading *rd)
{
	GTimeZone *zone = tz_zone(ap->timezone);
	struct local_time start = {0}, end = {0};
	if (zone) {
		tz_local_time(zone, ap->starts_at, &start);
		tz_local_time(zone, ap->ends_at, &end);
	}
	char *when = g_strdup_printf("%s–%s", start.hhmm, end.hhmm);
	json_t *item = json_pack("{s:o,s:s,s:s}", "date", view_date(rd, start.date), "time", when, "verb",
				 appearance_verb(rd, ap->role));
	view_text(item, "session", rd, &ap->session_translations, SESSION_TEXT_TITLE, ap->session_title);
	view_text(item, "title", rd, &ap->item_translations, ITEM_TEXT_TITLE, ap->item_title);
	g_free(when);
	return item;
}

static void person_page(struct request *r)
{
	struct person_view pv;
	int rc = person_store_view(r->store, r->params[0], &r->arena, &pv);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no public page for this person."));
		return;
	}
	/* the person's own directory: their organizations */
	struct directory self = pv.directory;
	self.people.v = &pv.person;
	self.people.n = 1;
	json_t *person = person_view(&self, &r->reading, &r->arena, pv.person.key);
	/* sessions and articles, grouped by program */
	json_t *programs = json_array(), *current = NULL;
	const char *current_slug = NULL;
	for (size_t i = 0; i < pv.appearances.n; i++) {
		const struct appearance *ap = &pv.appearances.v[i];
		if (!current_slug || strcmp(current_slug, ap->program_slug) != 0) {
			current = json_pack("{s:s,s:[],s:[]}", "url", url_program(&r->arena, ap->program_slug),
					    "items", "articles");
			view_text(current, "title", &r->reading, &ap->program_translations, PROGRAM_TEXT_TITLE,
				  ap->program_title);
			json_array_append_new(programs, current);
			current_slug = ap->program_slug;
		}
		if (ap->session_key)
			json_array_append_new(json_object_get(current, "items"), appearance_item(ap, &r->reading));
		else
			json_array_append_new(json_object_get(current, "articles"),
					      json_pack("{s:s,s:s,s:o,s:s}", "url",
							url_article(&r->arena, ap->program_slug, ap->article_key),
							"title", ap->article_title, "date",
							view_date(&r->reading, ap->article_created_on), "verb",
							appearance_verb(&r->reading, ap->role)));
	}
	json_t *ctx = json_pack("{s:O,s:o,s:o}", "title", json_object_get(person, "name"), "person", person,
				"programs", programs);
	r->cacheable = true;
	respond_page(r, 200, "person/person", ctx);
}

const struct route person_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/people/{key}", person_page, ROLE_PUBLIC, false, ROUTE_SHARED},
	{0},
};
