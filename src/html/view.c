/* view.c: labels, dates and pagination for page contexts (view.h). */
#include "html/view.h"

#include <glib.h>

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/intl.h"

/*
 * The labels of every vocabulary's values (view_label makes them from the
 * values): listed here for the catalogs; a unit test checks that each
 * value of each vocabulary has its label here.
 */
const char *const view_vocabulary_labels[] = {
	/* programs */
	N_("Seminar"), N_("Training course"), N_("Workshop"), N_("Forum"),
	N_("Online"), N_("Offline"), N_("Hybrid"),
	/* phases */
	N_("Needs analysis"), N_("Materials collection"), N_("Expert consultation"), N_("Plan approved"),
	N_("Todo"), N_("Doing"), N_("Done"),
	/* enrolments */
	N_("Participant"), N_("Speaker"), N_("Guest"), N_("Staff"), N_("Interpreter"),
	N_("Invited"), N_("Registered"), N_("Confirmed"), N_("Withdrawn"),
	/* venues, sessions, items */
	N_("Room"), N_("Ceremony"), N_("Lecture"), N_("Discussion"), N_("Field trip"), N_("Practice"),
	N_("Visit"), N_("Break"), N_("Speech"), N_("Presentation"), N_("Performance"),
	/* organizations */
	N_("Ministry"), N_("Department"), N_("Agency"), N_("Embassy"), N_("School"), N_("Training base"),
	N_("Association"), N_("Company"), N_("Other"),
	/* articles */
	N_("Activity highlights"), N_("News"), N_("Notice"), N_("Draft"), N_("In review"), N_("Published"),
	/* accounts */
	N_("Editor"), N_("Reviewer"), N_("Manager"),
	NULL,
};

json_t *view_label(const struct reading *rd, const char *value)
{
	if (!value)
		return json_null();
	char *label = g_strdup(value);
	for (char *p = label; *p; p++)
		if (*p == '-')
			*p = ' ';
	label[0] = g_ascii_toupper(label[0]);
	json_t *j = json_string(catalog_text(catalog_for(rd->page), label));
	g_free(label);
	return j;
}

json_t *view_date(const struct reading *rd, const char *date)
{
	char text[64];
	intl_format_date(date, rd->page, text, sizeof text);
	return json_string(text);
}

json_t *view_day(const struct reading *rd, const char *date)
{
	char text[96];
	intl_format_day(date, rd->page, text, sizeof text);
	return json_string(text);
}

json_t *view_date_range(const struct reading *rd, const char *starts_on, const char *ends_on)
{
	char a[64], b[64];
	intl_format_date(starts_on, rd->page, a, sizeof a);
	if (strcmp(starts_on, ends_on) == 0)
		return json_string(a);
	intl_format_date(ends_on, rd->page, b, sizeof b);
	/* TRANSLATORS: a range of two dates, first and last day */
	char *range = g_strdup_printf(catalog_text(catalog_for(rd->page), "%s – %s"), a, b);
	json_t *j = json_string(range);
	g_free(range);
	return j;
}

json_t *view_pagination(int64_t page, int64_t pages, const char *base)
{
	json_t *p = json_pack("{s:I,s:I,s:b}", "page", (json_int_t)page, "pages", (json_int_t)pages,
			      "multiple", pages > 1);
	if (page > 1) {
		char *url = page == 2 && g_str_has_suffix(base, "?page=")
				    ? g_strndup(base, strlen(base) - strlen("?page="))
				    : g_strdup_printf("%s%lld", base, (long long)page - 1);
		json_object_set_new(p, "prev", json_string(*url ? url : "/"));
		g_free(url);
	}
	if (page < pages) {
		char *url = g_strdup_printf("%s%lld", base, (long long)page + 1);
		json_object_set_new(p, "next", json_string(url));
		g_free(url);
	}
	return p;
}

const char *url_build(struct arena *a, const char *prefix, const char *const *parts,
			     const char *suffix)
{
	GString *url = g_string_new(prefix);
	for (size_t i = 0; parts[i]; i++) {
		if (i)
			g_string_append_c(url, '/');
		g_string_append_uri_escaped(url, parts[i], NULL, FALSE);
	}
	g_string_append(url, suffix);
	const char *copy = arena_strndup(a, url->str, url->len);
	g_string_free(url, TRUE);
	return copy;
}

const char *url_program(struct arena *a, const char *slug)
{
	return url_build(a, "/programs/", (const char *const[]){slug, NULL}, "");
}

const char *url_program_calendar(struct arena *a, const char *slug)
{
	return url_build(a, "/programs/", (const char *const[]){slug, NULL}, "/timetable.ics");
}

const char *url_program_feed(struct arena *a, const char *slug)
{
	return url_build(a, "/programs/", (const char *const[]){slug, NULL}, "/articles.atom");
}

const char *url_article(struct arena *a, const char *slug, const char *key)
{
	return url_build(a, "/programs/", (const char *const[]){slug, "articles", key, NULL}, "");
}

const char *url_person(struct arena *a, const char *key)
{
	return url_build(a, "/people/", (const char *const[]){key, NULL}, "");
}

const char *url_api_program(struct arena *a, const char *slug)
{
	return url_build(a, "/api/v1/programs/", (const char *const[]){slug, NULL}, "");
}

void view_text(json_t *obj, const char *name, const struct reading *rd, const translations *t, size_t k,
	       const char *original)
{
	const char *tag;
	const char *text = translated(rd, t, k, original, &tag);
	if (!text)
		return;
	json_object_set_new(obj, name, json_string(text));
	/* always set: a template looks a missing name up in the sections around it */
	char *lang = g_strconcat(name, "_lang", NULL);
	json_object_set_new(obj, lang, json_string(tag ? tag : ""));
	g_free(lang);
}
