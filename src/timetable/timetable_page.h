/* timetable_page.h: a program's timetable on its page, and as iCalendar. */
#pragma once
#include <jansson.h>

#include "http/http.h"
#include "store/store.h"

/*
 * The timetable of pv's program shown in zone (the program's or the
 * viewer's): {"zone": {...}, "days": [{date, label, sessions: [...]}]},
 * its texts in the language of rd.
 * A new reference; strings in a.
 */
json_t *timetable_view(const struct program_view *pv, const struct reading *rd, struct arena *a,
		       GTimeZone *zone, const char *zone_name);

extern const struct route timetable_routes[];
