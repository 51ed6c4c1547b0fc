/*
 * view.h: helpers that pages share to build the JSON context their
 * templates render: labels, dates, pagination.
 */
#pragma once
#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

/* "training-course" -> "Training course" (a new string reference) */
json_t *view_label(const char *value);
/* "2021-12-09" -> "9 December 2021" */
json_t *view_date(const char *date);
/* "9 December 2021" or "9 – 22 December 2021" style range, in CLDR long dates */
json_t *view_date_range(const char *starts_on, const char *ends_on);
/*
 * Reads ?page=N (1 when absent) into *page. Returns false after answering
 * 400 when it is not a whole number from 1.
 */
bool view_page_number(struct request *r, int64_t *page);
/* {"page": N, "pages": M, "prev": URL, "next": URL} with base (e.g. "/?page=") */
json_t *view_pagination(int64_t page, int64_t pages, const char *base);
