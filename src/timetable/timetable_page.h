/* timetable_page.h: a program's timetable on its page, and as iCalendar. */
#pragma once
#include <jansson.h>

#include "http/http.h"
#include "program/program.h"

/*
 * The timetable of p shown in zone (the program's or the viewer's):
 * {"zone": {...}, "days": [{date, label, sessions: [...]}]}. A new reference.
 */
json_t *timetable_view(struct request *r, const struct program *p, GTimeZone *zone,
		       const char *zone_name);
