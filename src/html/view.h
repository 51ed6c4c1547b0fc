/*
 * view.h: helpers that pages share to build the JSON context their
 * templates render: labels, dates, pagination, and the site's paths.
 */
#pragma once
#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/translation.h"

/*
 * Sets obj's member name to field k of a record (original: its own text)
 * in the language of rd (translated()), and name_lang to that text's
 * language when it is not the page's, else "", for the template's lang
 * attribute ({{#name_lang}} lang="{{name_lang}}"{{/name_lang}}). Sets
 * nothing when original is NULL.
 */
void view_text(json_t *obj, const char *name, const struct reading *rd, const translations *t, size_t k,
	       const char *original);
/* "training-course" -> "Training course", in rd's page language (a new string reference) */
json_t *view_label(const struct reading *rd, const char *value);
/* The labels view_label makes, NULL-ended: the catalogs' entries of every vocabulary. */
extern const char *const view_vocabulary_labels[];
/* "2021-12-09" -> "9 December 2021", "2021年12月9日": the CLDR long date of rd's page language */
json_t *view_date(const struct reading *rd, const char *date);
/* "Thursday, 9 December 2021", "2021年12月9日星期四": a day of a timetable, with its weekday */
json_t *view_day(const struct reading *rd, const char *date);
/* "6 December 2021 – 19 December 2021": two long dates, or one when they are the same day */
json_t *view_date_range(const struct reading *rd, const char *starts_on, const char *ends_on);
/* {"page": N, "pages": M, "prev": URL, "next": URL} with base (e.g. "/?page=") */
json_t *view_pagination(int64_t page, int64_t pages, const char *base);

/*
 * The site's paths, built here only, each part escaped for a path. The
 * strings live in arena.
 */
/* prefix, then each part of the NULL-terminated parts escaped and joined by '/', then suffix (in a) */
const char *url_build(struct arena *a, const char *prefix, const char *const *parts, const char *suffix);
const char *url_program(struct arena *a, const char *slug);
const char *url_program_calendar(struct arena *a, const char *slug);
const char *url_program_feed(struct arena *a, const char *slug); /* the Atom feed of its articles */
const char *url_article(struct arena *a, const char *slug, const char *key);
const char *url_person(struct arena *a, const char *key);
const char *url_api_program(struct arena *a, const char *slug);
