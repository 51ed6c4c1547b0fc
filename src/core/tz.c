/* tz.c: IANA zones from the system's tz database (tz.h). */
#include "core/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GRWLock zones_lock;
static GHashTable *zones; /* name -> GTimeZone*, or a NULL value for names known not to be zones */

static const char *tz_dir(void)
{
	const char *dir = g_getenv("TZDIR");
	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

/* A name of the tz database: components of letters, digits, '_', '-', '+', no dot files. */
static bool tz_name_shape(const char *name)
{
	if (!*name || strlen(name) > 255 || name[0] == '/' || strstr(name, "//") ||
	    name[strlen(name) - 1] == '/')
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
	if (!name)
		return NULL;
	gpointer found = NULL;
	bool known;
	/* readers share the lock: pages look zones up all the time, new names are rare */
	g_rw_lock_reader_lock(&zones_lock);
	known = zones && g_hash_table_lookup_extended(zones, name, NULL, &found);
	g_rw_lock_reader_unlock(&zones_lock);
	if (known)
		return found;
	GTimeZone *zone = tz_name_shape(name) && tz_file_is_zone(name) ? g_time_zone_new_identifier(name) : NULL;
	g_rw_lock_writer_lock(&zones_lock);
	if (!zones)
		zones = g_hash_table_new(g_str_hash, g_str_equal);
	if (g_hash_table_lookup_extended(zones, name, NULL, &found)) {
		/* another thread was first: keep its zone */
		if (zone)
			g_time_zone_unref(zone);
		zone = found;
	} else if (zone || g_hash_table_size(zones) < 4096) {
		/* names that are no zone are remembered too, up to a bound */
		g_hash_table_insert(zones, g_strdup(name), zone);
	}
	g_rw_lock_writer_unlock(&zones_lock);
	return zone;
}

/* offset in seconds of zone at utc */
static int32_t tz_offset(GTimeZone *zone, int64_t utc)
{
	gint interval = g_time_zone_find_interval(zone, G_TIME_TYPE_UNIVERSAL, utc);
	return g_time_zone_get_offset(zone, interval);
}

void tz_format_instant(GTimeZone *zone, int64_t utc, char out[32])
{
	int32_t offset = tz_offset(zone, utc);
	GDateTime *dt = g_date_time_new_from_unix_utc(utc + offset);
	int y, mo, d;
	g_date_time_get_ymd(dt, &y, &mo, &d);
	int off = offset < 0 ? -offset : offset;
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, g_date_time_get_hour(dt),
		 g_date_time_get_minute(dt), g_date_time_get_second(dt), offset < 0 ? '-' : '+',
		 off / 3600, off / 60 % 60);
	g_date_time_unref(dt);
}

int64_t tz_day_start(GTimeZone *zone, const char *date, int add_days)
{
	/* the wall-clock 00:00 of the day, as if it were UTC */
	GDateTime *day = g_date_time_new_utc(atoi(date), atoi(date + 5), atoi(date + 8), 0, 0, 0);
	GDateTime *shifted = g_date_time_add_days(day, add_days);
	gint64 wall = g_date_time_to_unix(shifted);
	g_date_time_unref(shifted);
	g_date_time_unref(day);
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
		start = adjusted - g_time_zone_get_offset(zone, interval);
	}
	return start;
}

void tz_local_time(GTimeZone *zone, int64_t utc, struct local_time *out)
{
	out->offset = tz_offset(zone, utc);
	GDateTime *dt = g_date_time_new_from_unix_utc(utc + out->offset);
	int y, m, d;
	g_date_time_get_ymd(dt, &y, &m, &d);
	snprintf(out->date, sizeof out->date, "%04d-%02d-%02d", y, m, d);
	snprintf(out->hhmm, sizeof out->hhmm, "%02d:%02d", g_date_time_get_hour(dt),
		 g_date_time_get_minute(dt));
	g_date_time_unref(dt);
}

void tz_format_offset(int32_t offset, char out[16])
{
	int32_t off = offset < 0 ? -offset : offset;
	snprintf(out, 16, "UTC%c%02d:%02d", offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

int tz_days_between(const char *a, const char *b)
{
	GDate da, db;
	g_date_clear(&da, 1);
	g_date_clear(&db, 1);
	g_date_set_dmy(&da, (GDateDay)atoi(a + 8), (GDateMonth)atoi(a + 5), (GDateYear)atoi(a));
	g_date_set_dmy(&db, (GDateDay)atoi(b + 8), (GDateMonth)atoi(b + 5), (GDateYear)atoi(b));
	return g_date_days_between(&da, &db);
}

void tz_local_date(GTimeZone *zone, int64_t utc, char out[16])
{
	struct local_time t;
	tz_local_time(zone, utc, &t);
	memcpy(out, t.date, sizeof t.date);
}
