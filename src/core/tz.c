/*
 * tz.c: IANA zones from the system's tz database (tz.h). Offsets come from
 * GLib's GTimeZone only; the calendar part (days since the epoch to a
 * date) from GLib's GDate, which holds every year from 1 to 65535, so no
 * instant of any accepted document can make a GLib call fail.
 */
#include "core/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	JULIAN_1970_01_01 = 719163, /* GDate's Julian day number of the epoch */
	ZONE_NAME_MAX = 64,         /* longer than any name of the tz database (the longest has 32) */
	ZONE_CACHE_MAX = 4096,      /* zones kept; names that are no zone are never kept */
};

static GRWLock zones_lock;
static GHashTable *zones; /* name -> GTimeZone*, only for names that are zones */

static const char *tz_dir(void)
{
	const char *dir = g_getenv("TZDIR");
	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

/* A name of the tz database: components of letters, digits, '_', '-', '+', no dot files. */
static bool tz_name_shape(const char *name)
{
	size_t len = strlen(name);
	if (!len || len > ZONE_NAME_MAX || name[0] == '/' || strstr(name, "//") || name[len - 1] == '/')
		return false;
	if (g_str_has_prefix(name, "posix/") || g_str_has_prefix(name, "right/") ||
	    strcmp(name, "localtime") == 0 || strcmp(name, "posixrules") == 0)
		return false;
	for (const char *p = name; *p; p++) {
		if (!(g_ascii_isalnum(*p) || *p == '_' || *p == '-' || *p == '+' || *p == '/'))
			return false;
		if ((p == name || p[-1] == '/') && !g_ascii_isalpha(*p))
			return false;
	}
	return true;
}

/* true when the zone file exists and is a TZif file (not a table like zone.tab) */
static bool tz_file_is_zone(const char *name)
{
	char *path = g_build_filename(tz_dir(), name, NULL);
	char magic[4] = {0};
	FILE *f = fopen(path, "rb");
	g_free(path);
	if (!f)
		return false;
	size_t n = fread(magic, 1, sizeof magic, f);
	fclose(f);
	return n == 4 && memcmp(magic, "TZif", 4) == 0;
}

GTimeZone *tz_zone(const char *name)
{
	/* refused before any lookup: what no zone name looks like (a long or odd ?tz=) */
	if (!name || !tz_name_shape(name))
		return NULL;
	GTimeZone *found = NULL;
	/* readers share the lock: pages look zones up all the time, new names are rare */
	g_rw_lock_reader_lock(&zones_lock);
	if (zones)
		found = g_hash_table_lookup(zones, name);
	g_rw_lock_reader_unlock(&zones_lock);
	if (found)
		return found;
	if (!tz_file_is_zone(name))
		return NULL; /* not remembered: the cache holds zones only, so it cannot be flooded */
	GTimeZone *zone = g_time_zone_new_identifier(name);
	if (!zone)
		return NULL;
	g_rw_lock_writer_lock(&zones_lock);
	if (!zones)
		zones = g_hash_table_new(g_str_hash, g_str_equal);
	found = g_hash_table_lookup(zones, name);
	if (found) {
		/* another thread was first: keep its zone */
		g_time_zone_unref(zone);
		zone = found;
	} else if (g_hash_table_size(zones) < ZONE_CACHE_MAX) {
		g_hash_table_insert(zones, g_strdup(name), zone);
	} else {
		/* the tz database has fewer zones than this: a bound that is never reached */
		g_warning("tz: more than %d zones in use", ZONE_CACHE_MAX);
		g_hash_table_insert(zones, g_strdup(name), zone);
	}
	g_rw_lock_writer_unlock(&zones_lock);
	return zone;
}

/* offset in seconds of zone at utc */
static int32_t tz_offset(GTimeZone *zone, int64_t utc)
{
	gint interval = g_time_zone_find_interval(zone, G_TIME_TYPE_UNIVERSAL, utc);
	return interval >= 0 ? g_time_zone_get_offset(zone, interval) : 0;
}

/* Floor division, for instants before the epoch. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The calendar date and wall clock of local seconds since the epoch. */
static void civil_from_local(int64_t local, struct local_time *out)
{
	int64_t days = floor_div(local, 86400), secs = local - days * 86400;
	int64_t julian = days + JULIAN_1970_01_01;
	GDate date;
	g_date_clear(&date, 1);
	if (julian >= 1 && julian <= G_MAXUINT32 && g_date_valid_julian((guint32)julian))
		g_date_set_julian(&date, (guint32)julian);
	if (g_date_valid(&date)) {
		out->year = g_date_get_year(&date);
		out->month = g_date_get_month(&date);
		out->day = g_date_get_day(&date);
	} else {
		/* beyond GDate's years (never for an accepted document): the nearest it holds */
		bool before = julian < 1;
		out->year = before ? 1 : 65535;
		out->month = before ? 1 : 12;
		out->day = before ? 1 : 31;
		secs = before ? 0 : 86399;
	}
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	snprintf(out->date, sizeof out->date, "%04d-%02d-%02d", out->year, out->month, out->day);
	snprintf(out->hhmm, sizeof out->hhmm, "%02d:%02d", out->hour, out->minute);
}

void tz_local_time(GTimeZone *zone, int64_t utc, struct local_time *out)
{
	out->offset = tz_offset(zone, utc);
	civil_from_local(utc + out->offset, out);
}

void tz_format_instant(GTimeZone *zone, int64_t utc, char out[32])
{
	struct local_time t;
	tz_local_time(zone, utc, &t);
	int off = t.offset < 0 ? -t.offset : t.offset;
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.year % 100000, t.month, t.day,
		 t.hour, t.minute, t.second, t.offset < 0 ? '-' : '+', off / 3600 % 100, off / 60 % 60);
}

/* Local seconds since the epoch of 00:00 on date plus add_days (date assumed valid). */
static int64_t wall_midnight(const char *date, int add_days)
{
	GDate d;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, (GDateDay)atoi(date + 8), (GDateMonth)atoi(date + 5),
		       (GDateYear)atoi(date));
	int64_t julian = g_date_valid(&d) ? (int64_t)g_date_get_julian(&d) : JULIAN_1970_01_01;
	return (julian + add_days - JULIAN_1970_01_01) * 86400;
}

int64_t tz_day_start(GTimeZone *zone, const char *date, int add_days)
{
	gint64 wall = wall_midnight(date, add_days);
	/* 00:00 may happen twice (clocks going back): the day starts at the earlier one */
	static const GTimeType types[] = {G_TIME_TYPE_DAYLIGHT, G_TIME_TYPE_STANDARD};
	gint64 start = G_MAXINT64;
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
		gint interval = g_time_zone_find_interval(zone, types[i], wall);
		if (interval >= 0)
			start = MIN(start, wall - g_time_zone_get_offset(zone, interval));
	}
	if (start == G_MAXINT64) {
		/* 00:00 does not exist (clocks going forward): the first instant after the gap */
		gint64 adjusted = wall;
		gint interval = g_time_zone_adjust_time(zone, G_TIME_TYPE_STANDARD, &adjusted);
		start = adjusted - (interval >= 0 ? g_time_zone_get_offset(zone, interval) : 0);
	}
	return start;
}

void tz_format_offset(int32_t offset, char out[16])
{
	int32_t off = offset < 0 ? -offset : offset;
	snprintf(out, 16, "UTC%c%02d:%02d", offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

int tz_days_between(const char *a, const char *b)
{
	return (int)((wall_midnight(b, 0) - wall_midnight(a, 0)) / 86400);
}

void tz_local_date(GTimeZone *zone, int64_t utc, char out[16])
{
	struct local_time t;
	tz_local_time(zone, utc, &t);
	memcpy(out, t.date, sizeof t.date);
}

bool tz_parse_local(GTimeZone *zone, const char *text, int64_t *utc)
{
	int y, mo, d, h, mi;
	char end;
	if (!text || strlen(text) != 16 ||
	    sscanf(text, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &end) != 5 || y < 1900 || y > 2200)
		return false;
	GDateTime *t = g_date_time_new(zone, y, mo, d, h, mi, 0);
	if (!t)
		return false;
	/* a wall time that does not exist (a DST gap) comes back moved: refuse it */
	bool same = g_date_time_get_hour(t) == h && g_date_time_get_minute(t) == mi &&
		    g_date_time_get_day_of_month(t) == d;
	*utc = g_date_time_to_unix(t);
	g_date_time_unref(t);
	return same;
}
