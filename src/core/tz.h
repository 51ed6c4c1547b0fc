/*
 * tz.h: time zones from the system's tz database through GLib's immutable,
 * thread-safe GTimeZone. Never touches TZ or the process's local zone.
 */
#pragma once
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Returns the zone named by an IANA name of the system's tz database (a
 * link such as US/Eastern included), or NULL when name is no such zone
 * (abbreviations like PST, offsets like +08:00, POSIX rules). The zone is
 * cached for the life of the process: do not unref it. Thread-safe. Names
 * that are no zone are refused without touching the cache, those longer
 * than any zone name before any lookup.
 */
GTimeZone *tz_zone(const char *name);

/* Writes instant utc as YYYY-MM-DDTHH:MM:SS+HH:MM in zone (never Z) into out. */
void tz_format_instant(GTimeZone *zone, int64_t utc, char out[32]);

/*
 * Returns the instant of 00:00 in zone on date (YYYY-MM-DD, assumed valid)
 * plus add_days; where 00:00 does not exist that day, the first instant of
 * the day.
 */
int64_t tz_day_start(GTimeZone *zone, const char *date, int add_days);

/*
 * Reads a wall time "YYYY-MM-DDTHH:MM" (an HTML datetime-local value) in
 * zone into *utc; false when it is not one, or names no instant there (a
 * DST gap). Years 1900 to 2200.
 */
bool tz_parse_local(GTimeZone *zone, const char *text, int64_t *utc);

/* Writes the local date of utc in zone as YYYY-MM-DD into out. */
void tz_local_date(GTimeZone *zone, int64_t utc, char out[16]);

/* The wall clock of an instant in a zone. */
struct local_time {
	char date[16];   /* YYYY-MM-DD */
	char hhmm[8];    /* HH:MM, 24-hour */
	int32_t offset;  /* seconds east of UTC */
	int year, month, day, hour, minute, second;
};
void tz_local_time(GTimeZone *zone, int64_t utc, struct local_time *out);
/* Writes "UTC+08:00" / "UTC-05:00" / "UTC+00:00" for offset seconds into out. */
void tz_format_offset(int32_t offset, char out[16]);
/* Days from date a to date b (both YYYY-MM-DD, valid). */
int tz_days_between(const char *a, const char *b);
