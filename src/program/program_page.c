/*
 * program_page.c: / (the programs, running and upcoming first) and
 * /programs/SLUG (a program with its timetable in the program's zone or
 * the viewer's ?tz=ZONE).
 */
#include "program/program_page.h"

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/intl.h"
#include "core/tz.h"
#include "html/view.h"
#include "news/photo_page.h"
#include "org/org_page.h"
#include "timetable/timetable_page.h"

enum { PROGRAMS_PER_PAGE = 50 };

static json_t *country_names(const struct reading *rd, const strv *codes)
{
	json_t *names = json_array();
	for (size_t i = 0; i < codes->n; i++) {
		char name[128];
		intl_country_name(codes->v[i], rd->page, name, sizeof name);
		json_array_append_new(names, json_string(name));
	}
	return names;
}

struct ranked {
	const struct program_card *card;
	bool past;
	const char *today; /* in the program's zone */
};

/* Running and upcoming first, soonest first; then past ones, latest first. */
static int rank_order(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->past != y->past)
		return x->past ? 1 : -1;
	int c = x->past ? strcmp(y->card->ends_on, x->card->ends_on)
			: strcmp(x->card->starts_on, y->card->starts_on);
	return c ? c : strcmp(x->card->slug, y->card->slug);
}

static void programs_index(struct request *r)
{
	int64_t page;
	program_cards cards;
	if (!request_page_number(r, &page))
		return;
	int rc = program_store_cards(r->store, &r->arena, &cards);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, NULL);
		return;
	}
	struct ranked *ranked = arena_alloc(&r->arena, sizeof *ranked * (cards.n + 1));
	for (size_t i = 0; i < cards.n; i++) {
		char *today = arena_alloc(&r->arena, 16);
		GTimeZone *zone = tz_zone(cards.v[i].timezone);
		tz_local_date(zone ? zone : tz_zone("Etc/UTC"), r->now, today);
		ranked[i] = (struct ranked){&cards.v[i], strcmp(cards.v[i].ends_on, today) < 0, today};
	}
	qsort(ranked, cards.n, sizeof *ranked, rank_order);
	int64_t pages = MAX(1, ((int64_t)cards.n + PROGRAMS_PER_PAGE - 1) / PROGRAMS_PER_PAGE);
	if (page > pages) {
		respond_error(r, 404, tr(r, "There is no such page of programs."));
		return;
	}
	json_t *list = json_array();
	for (size_t i = (size_t)(page - 1) * PROGRAMS_PER_PAGE;
	     i < cards.n && i < (size_t)page * PROGRAMS_PER_PAGE; i++) {
		const struct program_card *c = ranked[i].card;
		const char *when = ranked[i].past ? tr(r, "Past")
				 : strcmp(c->starts_on, ranked[i].today) <= 0 ? tr(r, "Running now") : tr(r, "Upcoming");
		json_t *card = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s}", "url", url_program(&r->arena, c->slug),
					 "kind", view_label(&r->reading, c->kind), "mode", view_label(&r->reading, c->mode), "dates",
					 view_date_range(&r->reading, c->starts_on, c->ends_on), "countries",
					 country_names(&r->reading, &c->countries), "when", when);
		view_text(card, "title", &r->reading, &c->translations, PROGRAM_TEXT_TITLE, c->title);
		view_text(card, "host", &r->reading, &c->host_translations, ORG_TEXT_NAME,
			  c->host_name ? c->host_name : "");
		json_t *photo = photo_card_view(&r->arena, &c->photo);
		if (photo)
			json_object_set_new(card, "photo", photo);
		json_array_append_new(list, card);
	}
	json_t *ctx = json_pack("{s:s,s:o,s:o,s:i}", "title", tr(r, "Programs"), "programs", list,
				"pagination", view_pagination(page, pages, "/?page="), "count",
				(int)cards.n);
	r->cacheable = true;
	respond_page(r, 200, "program/index", ctx);
}

/* {label, count} rows of a count table, largest first, then by label in the collation of language lang. */
static int count_order(const void *a, const void *b, void *lang)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t cx = json_integer_value(json_object_get(x, "count")),
		   cy = json_integer_value(json_object_get(y, "count"));
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return intl_collate(lang, json_string_value(json_object_get(x, "label")),
			    json_string_value(json_object_get(y, "label")));
}

static json_t *count_table(const struct reading *rd, GHashTable *counts)
{
	GPtrArray *rows = g_ptr_array_new();
	GHashTableIter it;
	gpointer label, count;
	g_hash_table_iter_init(&it, counts);
	while (g_hash_table_iter_next(&it, &label, &count))
		g_ptr_array_add(rows, json_pack("{s:s,s:i}", "label", (const char *)label, "count",
						GPOINTER_TO_INT(count)));
	g_ptr_array_sort_with_data(rows, count_order, (void *)rd->page);
	json_t *table = json_array();
	for (guint i = 0; i < rows->len; i++)
		json_array_append_new(table, g_ptr_array_index(rows, i));
	g_ptr_array_free(rows, TRUE);
	return table;
}

static void count_add(GHashTable *counts, const char *label)
{
	g_hash_table_insert(counts, g_strdup(label),
			    GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(counts, label)) + 1));
}

/* The plural label of an enrolment role, for the participation block. */
static const char *role_plural(const struct reading *rd, const char *role)
{
	static const char *const names[][2] = {
		{"participant", N_("Participants")}, {"speaker", N_("Speakers")}, {"guest", N_("Guests")},
		{"staff", N_("Staff")}, {"interpreter", N_("Interpreters")},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(names[i][0], role) == 0)
			return catalog_text(catalog_for(rd->page), names[i][1]);
	return role;
}

/*
 * The participation block: participants against the capacity first, then
 * each other role by name, each with its counts by status; participants
 * (not withdrawn) by country and by organization. Nobody is named.
 */
static void participation_view(const struct program_view *pv, const struct reading *rd, json_t *ctx)
{
	const struct program *p = &pv->program;
	json_t *roles = json_array();
	for (const char *const *role = enrolment_roles; *role; role++) {
		json_t *statuses = json_array();
		int total = 0;
		for (const char *const *status = enrolment_statuses; *status; status++) {
			int n = 0;
			for (size_t i = 0; i < pv->participation.n; i++)
				n += strcmp(pv->participation.v[i].role, *role) == 0 &&
				     strcmp(pv->participation.v[i].status, *status) == 0;
			if (n)
				json_array_append_new(statuses, json_pack("{s:o,s:i}", "label",
									  view_label(rd, *status), "count", n));
			total += n;
		}
		bool participants = strcmp(*role, "participant") == 0;
		if (total || participants)
			json_array_append_new(roles, json_pack("{s:s,s:i,s:o,s:b}", "label", role_plural(rd, *role),
							       "count", total, "statuses", statuses,
							       "participants", participants));
		else
			json_decref(statuses);
	}
	GHashTable *countries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (size_t i = 0; i < pv->participation.n; i++) {
		const struct participation *pa = &pv->participation.v[i];
		if (strcmp(pa->role, "participant") != 0 || strcmp(pa->status, "withdrawn") == 0)
			continue;
		char name[128];
		if (pa->country)
			intl_country_name(pa->country, rd->page, name, sizeof name);
		else
			g_strlcpy(name, catalog_text(catalog_for(rd->page), "Not given"), sizeof name);
		count_add(countries, name);
		GString *org = g_string_new(NULL);
		directory_org_chain(&pv->directory, pa->organization, rd, org);
		count_add(orgs, org->len ? org->str : catalog_text(catalog_for(rd->page), "Without organization"));
		g_string_free(org, TRUE);
	}
	json_t *block = json_pack("{s:o,s:i,s:o,s:o}", "roles", roles, "confirmed",
				  (int)program_confirmed_participants(p), "by_country",
				  count_table(rd, countries), "by_organization", count_table(rd, orgs));
	if (p->capacity.set)
		json_object_set_new(block, "capacity", json_integer(p->capacity.value));
	json_object_set_new(ctx, "participation", block);
	g_hash_table_destroy(countries);
	g_hash_table_destroy(orgs);
}

/* The common zones offered by the zone picker; any other IANA name may be typed. */
static const char *const zone_choices[] = {
	"Etc/UTC", "Africa/Addis_Ababa", "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos",
	"Africa/Maseru", "Africa/Nairobi", "America/Bogota", "America/Lima", "America/Mexico_City",
	"America/New_York", "America/Santiago", "America/Sao_Paulo", "Asia/Baghdad", "Asia/Bangkok",
	"Asia/Dhaka", "Asia/Dubai", "Asia/Jakarta", "Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata",
	"Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Shanghai", "Asia/Tashkent", "Asia/Tokyo",
	"Asia/Yangon", "Australia/Sydney", "Europe/Berlin", "Europe/London", "Europe/Moscow",
	"Pacific/Auckland", "Pacific/Fiji", NULL,
};

static json_t *program_details(struct request *r, const struct program_view *pv)
{
	const struct reading *rd = &r->reading;
	const struct program *p = &pv->program;
	json_t *languages = json_array();
	for (size_t i = 0; i < p->languages.n; i++) {
		char name[128];
		intl_language_name(p->languages.v[i], r->reading.page, name, sizeof name);
		json_array_append_new(languages, json_string(name));
	}
	json_t *phases = json_array();
	for (size_t i = 0; i < p->preparation.n; i++) {
		const struct phase *ph = &p->preparation.v[i];
		json_t *v = json_pack("{s:o,s:s,s:o}", "phase", view_label(&r->reading, ph->phase), "status", ph->status,
				      "status_label", view_label(&r->reading, ph->status));
		view_text(v, "title", rd, &ph->translations, PHASE_TEXT_TITLE, ph->title);
		if (ph->due)
			json_object_set_new(v, "due", view_date(&r->reading, ph->due));
		json_array_append_new(phases, v);
	}
	json_t *venues = json_array();
	for (size_t i = 0; i < p->venues.n; i++) {
		const struct venue *venue = &p->venues.v[i];
		json_t *v = json_pack("{s:o,s:s?}", "kind", view_label(&r->reading, venue->kind), "address", venue->address);
		view_text(v, "name", rd, &venue->translations, VENUE_TEXT_NAME, venue->name);
		json_array_append_new(venues, v);
	}
	json_t *program = json_pack(
		"{s:s,s:s,s:o,s:o,s:o,s:o*,s:o*,s:o,s:o,s:o,s:o}", "slug", p->slug, "url",
		url_program(&r->arena, p->slug), "kind", view_label(&r->reading, p->kind), "mode", view_label(&r->reading, p->mode),
		"dates", view_date_range(&r->reading, p->starts_on, p->ends_on), "host", org_view(&pv->directory, rd, p->host),
		"organizer", org_view(&pv->directory, rd, p->organizer), "countries", country_names(rd, &p->countries),
		"languages", languages, "phases", phases, "venues", venues);
	view_text(program, "title", rd, &p->translations, PROGRAM_TEXT_TITLE, p->title);
	view_text(program, "summary", rd, &p->translations, PROGRAM_TEXT_SUMMARY, p->summary);
	if (p->capacity.set)
		json_object_set_new(program, "capacity", json_integer(p->capacity.value));
	return program;
}

static void program_page(struct request *r)
{
	struct program_view pv;
	int rc = program_store_view(r->store, r->params[0], &r->arena, &pv);
	if (rc != STORE_OK) {
		respond_store_error(r, rc, tr(r, "There is no such program."));
		return;
	}
	struct program *p = &pv.program;
	const char *tz = request_query(r, "tz");
	const char *zone_name = tz && *tz ? tz : p->timezone;
	GTimeZone *zone = tz_zone(zone_name);
	if (!zone) {
		respond_error(r, 400, arena_printf(&r->arena,
						   tr(r, "'%s' is not a time zone. Use an IANA name such as "
							 "Asia/Shanghai or America/Lima."),
						   zone_name));
		return;
	}
	json_t *ctx = json_object();
	participation_view(&pv, &r->reading, ctx); /* counts only, before what is private goes */
	program_hide_private(p);
	json_t *articles = json_array();
	for (size_t i = 0; i < p->articles.n; i++) {
		/* in the reader's language where a version is published */
		struct article a = article_as_version(&p->articles.v[i],
						      article_version_for(&p->articles.v[i], r->reading.lang), &r->arena);
		json_array_append_new(articles, json_pack("{s:s,s:s,s:s,s:o,s:o}", "url",
							  url_article(&r->arena, p->slug, a.key), "title", a.title,
							  "language", a.language, "section", view_label(&r->reading, a.section),
							  "date", view_date(&r->reading, a.created_on)));
	}
	json_t *zones = json_array();
	for (const char *const *z = zone_choices; *z; z++)
		json_array_append_new(zones, json_string(*z));
	json_t *details = program_details(r, &pv);
	json_t *rest = json_pack("{s:O,s:o,s:o,s:o,s:s,s:o,s:s}", "title", json_object_get(details, "title"),
				 "program", details, "timetable",
				 timetable_view(&pv, &r->reading, &r->arena, zone, zone_name), "articles", articles,
				 "ics_url", url_program_calendar(&r->arena, p->slug), "zone_choices",
				 zones, "tz_value", zone_name);
	json_object_update(ctx, rest);
	json_decref(rest);
	/* the Atom feed of its published articles, for the head's <link rel="alternate"> */
	json_object_set_new(ctx, "feed", json_pack("{s:s,s:O}", "url", url_program_feed(&r->arena, p->slug),
						   "title", json_object_get(ctx, "title")));
	r->cacheable = true;
	respond_page(r, 200, "program/program", ctx);
}

const struct route program_routes[] = {
	{METHOD_GET | METHOD_HEAD, "/", programs_index, ROLE_PUBLIC, false, ROUTE_SHARED | ROUTE_TIMED},
	{METHOD_GET | METHOD_HEAD, "/programs/{slug}", program_page, ROLE_PUBLIC, false, ROUTE_SHARED},
	{0},
};
