/*
 * test_tz.c: unit tests of time zones (core/tz.h): which names are zones,
 * offsets written at an instant (DST, half-hour and 45-minute offsets,
 * zones that changed their rules), the first instant of a local day and
 * the local date of an instant.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "core/tz.h"
#include "core/values.h"

/* GLib criticals and warnings (a g_return_if_fail that failed, say) seen so far */
static int glib_complaints;

static void count_glib_complaint(const gchar *domain, GLogLevelFlags level, const gchar *message,
				 gpointer data)
{
	(void)data;
	glib_complaints++;
	print_message("GLib complaint (%s, level %d): %s\n", domain ? domain : "-", (int)level,
		      message);
}

/* Returns the zone, failing the test when name is not one. */
static GTimeZone *zone(const char *name)
{
	GTimeZone *z = tz_zone(name);
	if (!z)
		fail_msg("tz_zone(\"%s\") is NULL, expected a zone", name);
	return z;
}

/* Parses an RFC 3339 instant, failing the test when it is not one. */
static int64_t at(const char *instant)
{
	int64_t utc = 0;
	if (!value_parse_instant(instant, &utc))
		fail_msg("'%s' is not an instant", instant);
	return utc;
}

/* Asserts that utc is written as want in zone name. */
static void assert_format(const char *name, int64_t utc, const char *want)
{
	char out[32];
	memset(out, 'X', sizeof out);
	tz_format_instant(zone(name), utc, out);
	if (strcmp(out, want) != 0)
		fail_msg("%s at %lld: got '%s', expected '%s'", name, (long long)utc, out, want);
	/* what is written reads back as the same instant */
	int64_t back = 0;
	assert_true(value_parse_instant(out, &back));
	assert_int_equal(back, utc);
}

static void assert_day_start(const char *name, const char *date, int add_days, const char *want)
{
	int64_t got = tz_day_start(zone(name), date, add_days);
	int64_t expected = at(want);
	if (got != expected) {
		char local[32];
		tz_format_instant(zone(name), got, local);
		fail_msg("tz_day_start(%s, %s, %d) = %lld (%s), expected %lld (%s)", name, date,
			 add_days, (long long)got, local, (long long)expected, want);
	}
}

static void assert_local_date(const char *name, const char *instant, const char *want)
{
	char out[16];
	memset(out, 'X', sizeof out);
	tz_local_date(zone(name), at(instant), out);
	if (strcmp(out, want) != 0)
		fail_msg("local date of %s in %s: got '%s', expected '%s'", instant, name, out, want);
}

/* ---- tz_zone ----------------------------------------------------------- */

static void test_zone_names(void **state)
{
	(void)state;
	static const char *const zones[] = {
		"Asia/Shanghai", "Etc/UTC", "US/Eastern", "America/Lima", "Europe/Berlin",
		"Asia/Kuala_Lumpur", "Africa/Maseru", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
		"America/Port-au-Prince",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(zones); i++)
		if (!tz_zone(zones[i]))
			fail_msg("'%s' is not a zone, expected one", zones[i]);
}

static void test_zone_not_names(void **state)
{
	(void)state;
	static const char *const not_zones[] = {
		"PST", "+08:00", "UTC+8", "EST5EDT,M3.2.0,M11.1.0", "../etc/passwd",
		"Asia/../Asia/Shanghai", "/usr/share/zoneinfo/Asia/Shanghai", "Asia//Shanghai",
		"Asia/Shanghai/", "", "Mars/Olympus", "posixrules", "localtime", "zone.tab",
		"zone1970.tab", "iso3166.tab", "tzdata.zi", "leapseconds", "posix/Asia/Shanghai",
		"right/Asia/Shanghai", "Asia/Shanghai ", " Asia/Shanghai", "Asia/Shanghai\n",
		"asia/shanghai",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(not_zones); i++)
		if (tz_zone(not_zones[i]))
			fail_msg("'%s' was taken for a zone", not_zones[i]);
	assert_null(tz_zone(NULL));
	/* rejected before GLib is handed a file that is no zone */
	assert_int_equal(glib_complaints, 0);
}

static void test_zone_cached(void **state)
{
	(void)state;
	GTimeZone *a = tz_zone("Asia/Shanghai");
	assert_non_null(a);
	assert_ptr_equal(a, tz_zone("Asia/Shanghai"));
	/* a name that is not a zone stays one after being asked twice */
	assert_null(tz_zone("Mars/Olympus"));
	assert_null(tz_zone("Mars/Olympus"));
	/* a link is its own name and behaves as its target */
	char x[32], y[32];
	int64_t t = at("2021-07-01T12:00:00Z");
	tz_format_instant(zone("US/Eastern"), t, x);
	tz_format_instant(zone("America/New_York"), t, y);
	assert_string_equal(x, y);
	assert_string_equal(x, "2021-07-01T08:00:00-04:00");
}

/* ---- tz_format_instant ------------------------------------------------- */

static void test_format_berlin_spring_forward(void **state)
{
	(void)state;
	assert_format("Europe/Berlin", at("2021-03-28T00:59:59Z"), "2021-03-28T01:59:59+01:00");
	assert_format("Europe/Berlin", at("2021-03-28T01:00:00Z"), "2021-03-28T03:00:00+02:00");
}

static void test_format_berlin_fall_back(void **state)
{
	(void)state;
	assert_format("Europe/Berlin", at("2021-10-31T00:59:59Z"), "2021-10-31T02:59:59+02:00");
	assert_format("Europe/Berlin", at("2021-10-31T01:00:00Z"), "2021-10-31T02:00:00+01:00");
}

static void test_format_santiago_dst(void **state)
{
	(void)state;
	/* 2022: DST began on 11 September (postponed for the referendum), at 24:00 local */
	assert_format("America/Santiago", at("2022-09-11T03:59:59Z"), "2022-09-10T23:59:59-04:00");
	assert_format("America/Santiago", at("2022-09-11T04:00:00Z"), "2022-09-11T01:00:00-03:00");
	/* and ended on 3 April 2022 at 24:00 local summer time */
	assert_format("America/Santiago", at("2022-04-03T02:59:59Z"), "2022-04-02T23:59:59-03:00");
	assert_format("America/Santiago", at("2022-04-03T03:00:00Z"), "2022-04-02T23:00:00-04:00");
}

static void test_format_lord_howe_half_hour_dst(void **state)
{
	(void)state;
	assert_format("Australia/Lord_Howe", at("2021-10-02T15:29:59Z"), "2021-10-03T01:59:59+10:30");
	assert_format("Australia/Lord_Howe", at("2021-10-02T15:30:00Z"), "2021-10-03T02:30:00+11:00");
	assert_format("Australia/Lord_Howe", at("2022-04-02T14:59:59Z"), "2022-04-03T01:59:59+11:00");
	assert_format("Australia/Lord_Howe", at("2022-04-02T15:00:00Z"), "2022-04-03T01:30:00+10:30");
}

static void test_format_zero_offset(void **state)
{
	(void)state;
	assert_format("Etc/UTC", 0, "1970-01-01T00:00:00+00:00");
	assert_format("Etc/UTC", at("2021-12-09T09:00:00Z"), "2021-12-09T09:00:00+00:00");
	assert_format("Europe/London", at("2021-12-09T09:00:00Z"), "2021-12-09T09:00:00+00:00");
	assert_format("Europe/London", at("2021-07-01T09:00:00Z"), "2021-07-01T10:00:00+01:00");
	assert_format("Africa/Abidjan", at("2024-02-29T23:59:59Z"), "2024-02-29T23:59:59+00:00");
	char out[32];
	tz_format_instant(zone("Etc/UTC"), 1639040400, out);
	assert_null(strchr(out, 'Z'));
}

static void test_format_negative_offsets(void **state)
{
	(void)state;
	assert_format("America/Lima", at("2021-12-09T09:00:00Z"), "2021-12-09T04:00:00-05:00");
	/* the local date is the day before */
	assert_format("America/Lima", at("2021-12-09T03:00:00Z"), "2021-12-08T22:00:00-05:00");
	assert_format("America/St_Johns", at("2021-12-09T12:00:00Z"), "2021-12-09T08:30:00-03:30");
	assert_format("Pacific/Honolulu", 0, "1969-12-31T14:00:00-10:00");
}

static void test_format_mexico_city_no_more_dst(void **state)
{
	(void)state;
	/* Mexico abolished DST in October 2022: summer 2023 is -06:00 ... */
	assert_format("America/Mexico_City", at("2023-07-01T12:00:00Z"), "2023-07-01T06:00:00-06:00");
	/* ... while summer 2022 still had DST */
	assert_format("America/Mexico_City", at("2022-07-01T12:00:00Z"), "2022-07-01T07:00:00-05:00");
}

static void test_format_odd_offsets(void **state)
{
	(void)state;
	assert_format("Asia/Kathmandu", at("2021-12-09T09:00:00Z"), "2021-12-09T14:45:00+05:45");
	assert_format("Asia/Kolkata", at("2021-12-09T09:00:00Z"), "2021-12-09T14:30:00+05:30");
	assert_format("Asia/Shanghai", at("2021-12-09T09:00:00+08:00"), "2021-12-09T09:00:00+08:00");
	assert_format("Pacific/Kiritimati", at("2021-12-09T12:00:00Z"), "2021-12-10T02:00:00+14:00");
}

/* ---- tz_day_start ------------------------------------------------------ */

static void test_day_start_shanghai(void **state)
{
	(void)state;
	/* 00:00 in Shanghai is 16:00Z the day before */
	assert_day_start("Asia/Shanghai", "2021-12-09", 0, "2021-12-08T16:00:00Z");
	assert_int_equal(tz_day_start(zone("Asia/Shanghai"), "2021-12-09", 0), 1638979200);
	/* 24:00 of the 10th is 00:00 of the 11th */
	assert_day_start("Asia/Shanghai", "2021-12-10", 1, "2021-12-10T16:00:00Z");
	/* across a month and a year */
	assert_day_start("Asia/Shanghai", "2021-12-31", 1, "2021-12-31T16:00:00Z");
	assert_day_start("Asia/Shanghai", "2024-02-28", 1, "2024-02-28T16:00:00Z");
	assert_day_start("Asia/Shanghai", "2024-02-28", 2, "2024-02-29T16:00:00Z");
}

static void test_day_start_utc_and_behind(void **state)
{
	(void)state;
	assert_day_start("Etc/UTC", "2021-12-09", 0, "2021-12-09T00:00:00Z");
	assert_day_start("America/Lima", "2021-12-09", 0, "2021-12-09T05:00:00Z");
	assert_day_start("America/Lima", "2021-12-09", 1, "2021-12-10T05:00:00Z");
	assert_day_start("Asia/Kathmandu", "2021-12-09", 0, "2021-12-08T18:15:00Z");
}

static void test_day_start_missing_midnight(void **state)
{
	(void)state;
	/* America/Santiago 2022-09-11: 00:00 does not exist (clocks go 23:59:59 -> 01:00);
	 * the day starts at 01:00-03:00 */
	assert_day_start("America/Santiago", "2022-09-11", 0, "2022-09-11T01:00:00-03:00");
	assert_day_start("America/Santiago", "2022-09-10", 1, "2022-09-11T01:00:00-03:00");
	/* the day before had all of its hours */
	assert_day_start("America/Santiago", "2022-09-10", 0, "2022-09-10T00:00:00-04:00");
	/* and the next day starts at 00:00 -03:00 */
	assert_day_start("America/Santiago", "2022-09-11", 1, "2022-09-12T00:00:00-03:00");
	/* America/Asuncion skipped midnight on 2022-10-02 too */
	assert_day_start("America/Asuncion", "2022-10-02", 0, "2022-10-02T01:00:00-03:00");
}

static void test_day_start_dst_days(void **state)
{
	(void)state;
	GTimeZone *berlin = zone("Europe/Berlin");
	/* spring: 28 March 2021 has 23 hours */
	int64_t s0 = tz_day_start(berlin, "2021-03-28", 0), s1 = tz_day_start(berlin, "2021-03-28", 1);
	assert_int_equal(s0, at("2021-03-28T00:00:00+01:00"));
	assert_int_equal(s1, at("2021-03-29T00:00:00+02:00"));
	assert_int_equal(s1 - s0, 23 * 3600);
	/* the same from the day before, adding two days */
	assert_int_equal(tz_day_start(berlin, "2021-03-27", 2), s1);
	/* autumn: 31 October 2021 has 25 hours */
	int64_t a0 = tz_day_start(berlin, "2021-10-31", 0), a1 = tz_day_start(berlin, "2021-10-31", 1);
	assert_int_equal(a0, at("2021-10-31T00:00:00+02:00"));
	assert_int_equal(a1, at("2021-11-01T00:00:00+01:00"));
	assert_int_equal(a1 - a0, 25 * 3600);
	/* an ordinary day has 24 */
	assert_int_equal(tz_day_start(berlin, "2021-06-01", 1) - tz_day_start(berlin, "2021-06-01", 0),
			 24 * 3600);
	/* a week across the spring change has 7 * 24 - 1 hours */
	assert_int_equal(tz_day_start(berlin, "2021-03-25", 7) - tz_day_start(berlin, "2021-03-25", 0),
			 (7 * 24 - 1) * 3600);
	/* going back in days */
	assert_int_equal(tz_day_start(berlin, "2021-03-29", -1), s0);
}

static void test_day_start_ambiguous_midnight(void **state)
{
	(void)state;
	/*
	 * America/Havana 2022-11-06: DST ends at 01:00 CDT, clocks go back to
	 * 00:00 CST, so 00:00-00:59 happens twice (04:00Z-04:59Z as -04:00, then
	 * 05:00Z-05:59Z as -05:00). The day starts at the first 00:00, 04:00Z:
	 * 04:30Z is already on 6 November there.
	 */
	char date[16];
	tz_local_date(zone("America/Havana"), at("2022-11-06T04:30:00Z"), date);
	assert_string_equal(date, "2022-11-06");
	assert_day_start("America/Havana", "2022-11-06", 0, "2022-11-06T00:00:00-04:00");
	assert_day_start("America/Havana", "2022-11-05", 1, "2022-11-06T00:00:00-04:00");
}

/* ---- tz_local_date ----------------------------------------------------- */

static void test_local_date_session_across_midnight(void **state)
{
	(void)state;
	/* a session from 23:00 to 01:00 in Shanghai starts on the 9th and ends on the 10th */
	assert_local_date("Asia/Shanghai", "2021-12-09T23:00:00+08:00", "2021-12-09");
	assert_local_date("Asia/Shanghai", "2021-12-10T01:00:00+08:00", "2021-12-10");
	/* the day's last and first seconds */
	assert_local_date("Asia/Shanghai", "2021-12-09T15:59:59Z", "2021-12-09");
	assert_local_date("Asia/Shanghai", "2021-12-09T16:00:00Z", "2021-12-10");
	/* written with another offset: the zone decides */
	assert_local_date("Asia/Shanghai", "2021-12-09T11:30:00-05:00", "2021-12-10");
}

static void test_local_date_viewer_behind_utc(void **state)
{
	(void)state;
	/* 09:00 in Shanghai on the 9th is 20:00 on the 8th in Lima */
	assert_local_date("America/Lima", "2021-12-09T09:00:00+08:00", "2021-12-08");
	assert_local_date("America/Lima", "2021-12-09T04:59:59Z", "2021-12-08");
	assert_local_date("America/Lima", "2021-12-09T05:00:00Z", "2021-12-09");
	assert_local_date("Pacific/Honolulu", "2022-01-01T09:59:59Z", "2021-12-31");
	assert_local_date("Pacific/Honolulu", "2022-01-01T10:00:00Z", "2022-01-01");
	assert_local_date("Etc/UTC", "2021-12-31T23:59:59Z", "2021-12-31");
	/* across DST in a zone behind UTC */
	assert_local_date("America/Santiago", "2022-09-11T03:59:59Z", "2022-09-10");
	assert_local_date("America/Santiago", "2022-09-11T04:00:00Z", "2022-09-11");
}

static void test_local_date_agrees_with_day_start(void **state)
{
	(void)state;
	static const struct {
		const char *zone, *date;
	} days[] = {
		{"Asia/Shanghai", "2021-12-09"},    {"America/Lima", "2021-12-09"},
		{"Europe/Berlin", "2021-03-28"},    {"Europe/Berlin", "2021-10-31"},
		{"America/Santiago", "2022-09-11"}, {"Australia/Lord_Howe", "2021-10-03"},
		{"Asia/Kathmandu", "2021-12-09"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(days); i++) {
		GTimeZone *z = zone(days[i].zone);
		int64_t start = tz_day_start(z, days[i].date, 0);
		char first[16], before[16];
		tz_local_date(z, start, first);
		tz_local_date(z, start - 1, before);
		if (strcmp(first, days[i].date) != 0 || strcmp(before, days[i].date) >= 0)
			fail_msg("%s %s: day starts at %lld, local date there %s, a second before %s",
				 days[i].zone, days[i].date, (long long)start, first, before);
	}
}

int main(void)
{
	g_log_set_handler("GLib", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, count_glib_complaint,
			  NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_names),
		cmocka_unit_test(test_zone_not_names),
		cmocka_unit_test(test_zone_cached),
		cmocka_unit_test(test_format_berlin_spring_forward),
		cmocka_unit_test(test_format_berlin_fall_back),
		cmocka_unit_test(test_format_santiago_dst),
		cmocka_unit_test(test_format_lord_howe_half_hour_dst),
		cmocka_unit_test(test_format_zero_offset),
		cmocka_unit_test(test_format_negative_offsets),
		cmocka_unit_test(test_format_mexico_city_no_more_dst),
		cmocka_unit_test(test_format_odd_offsets),
		cmocka_unit_test(test_day_start_shanghai),
		cmocka_unit_test(test_day_start_utc_and_behind),
		cmocka_unit_test(test_day_start_missing_midnight),
		cmocka_unit_test(test_day_start_dst_days),
		cmocka_unit_test(test_day_start_ambiguous_midnight),
		cmocka_unit_test(test_local_date_session_across_midnight),
		cmocka_unit_test(test_local_date_viewer_behind_utc),
		cmocka_unit_test(test_local_date_agrees_with_day_start),
	};
	return cmocka_run_group_tests_name("tz", tests, NULL, NULL);
}
