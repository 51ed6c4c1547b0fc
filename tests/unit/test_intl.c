/*
 * test_intl.c: unit tests of country codes and language tags
 * (core/intl.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

#include "core/intl.h"

static void test_country_assigned(void **state)
{
	(void)state;
	static const char *const yes[] = {"MY", "CN", "LS", "PE", "GB", "US", "DE", "SS", "CW", "BQ", "ZW"};
	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++)
		if (!intl_is_country(yes[i]))
			fail_msg("'%s' rejected, expected an assigned country code", yes[i]);
}

static void test_country_not_codes(void **state)
{
	(void)state;
	static const char *const no[] = {
		"my", "My", "mY", "XX", "UK", "", "MYS", "M", "M1", "12", " MY", "MY ", "EU", "ZZ",
		"AA", "QO", "SU", "YU", "DD", "AN", "M\xc3\x9d",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++)
		if (intl_is_country(no[i]))
			fail_msg("'%s' accepted as an assigned ISO 3166-1 alpha-2 code", no[i]);
	assert_false(intl_is_country(NULL));
}

static void test_country_user_assigned_xk(void **state)
{
	(void)state;
	/*
	 * XK (used for Kosovo by some) lies in the user-assigned range XA-XZ of
	 * ISO 3166-1: it is not an assigned code, as XX and ZZ are not.
	 */
	assert_false(intl_is_country("XK"));
}

static void test_language_well_formed(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"en", "zh", "zh-Hant", "es-PE", "sr-Latn-RS", "ms", "ms-MY", "zh-Hans-CN", "st",
		"es-419", "de-CH-1996", "en-US-u-ca-gregory", "x-private", "i-klingon", "EN", "zh-hant",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++)
		if (!intl_is_language(yes[i]))
			fail_msg("'%s' rejected, expected a well-formed BCP 47 tag", yes[i]);
}

static void test_language_malformed(void **state)
{
	(void)state;
	static const char *const no[] = {
		"en_US", "", "e!", "en-", "-en", "en--US", "e", "123", "abcdefghi", "en US", " en",
		"en ", "en-US-", "en-a", "en-x", "en-Latn-Latn", "de-DE-1996-1996", "en-a-bbb-a-ccc",
		"zh-Hant-Hant", "en.US", "en\n", "\xc3\xa9n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++)
		if (intl_is_language(no[i]))
			fail_msg("'%s' accepted as a well-formed BCP 47 tag", no[i]);
	assert_false(intl_is_language(NULL));
}

static void test_language_long(void **state)
{
	(void)state;
	/* a long tag made of valid subtags is still one tag ... */
	assert_true(intl_is_language("en-US-x-aaaaaaaa-bbbbbbbb-cccccccc"));
	/* ... but an overlong subtag is not */
	assert_false(intl_is_language("en-x-aaaaaaaaa"));
	/* a huge malformed string is rejected without overflowing anything */
	GString *s = g_string_new("en-");
	for (int i = 0; i < 300; i++)
		g_string_append_c(s, 'a');
	bool ok = intl_is_language(s->str);
	g_string_free(s, TRUE);
	assert_false(ok);
}

/* Dates, countries and languages in the page's language, from ICU's CLDR data. */
static void test_names_and_dates_per_language(void **state)
{
	(void)state;
	char out[128];
	intl_format_date("2021-12-09", "en", out, sizeof out);
	assert_string_equal(out, "9 December 2021");
	intl_format_date("2021-12-09", "zh", out, sizeof out);
	assert_string_equal(out, "2021年12月9日");
	intl_format_date("2021-12-09", "en", out, sizeof out); /* each language keeps its own formatter */
	assert_string_equal(out, "9 December 2021");
	intl_format_day("2021-12-09", "en", out, sizeof out); /* and one with the weekday */
	assert_string_equal(out, "Thursday, 9 December 2021");
	intl_format_day("2021-12-09", "zh", out, sizeof out);
	assert_string_equal(out, "2021年12月9日星期四");
	intl_country_name("MY", "zh", out, sizeof out);
	assert_string_equal(out, "马来西亚");
	intl_country_name("MY", "en", out, sizeof out);
	assert_string_equal(out, "Malaysia");
	intl_country_name("XK", "zh", out, sizeof out);
	assert_string_equal(out, "科索沃");
	intl_language_name("en", "zh", out, sizeof out);
	assert_string_equal(out, "英语");
	intl_language_name("ms", "en", out, sizeof out);
	assert_string_equal(out, "Malay");
}

/* Lists sort by the reader's language: Chinese by pinyin, English letters before case and accents. */
/* og:locale: the language and its likely region, from ICU */
static void test_language_region(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"en", "en_US"}, {"zh", "zh_CN"}, {"zh-Hant", "zh_TW"}, {"pt-BR", "pt_BR"},
		{"en-GB", "en_GB"}, {"fr", "fr_FR"}, {"ms", "ms_MY"}, {"!!", "und"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[32];
		intl_language_region(cases[i][0], out, sizeof out);
		assert_string_equal(out, cases[i][1]);
	}
}

static void test_collation(void **state)
{
	(void)state;
	/* code points put 上 (U+4E0A) before 北 (U+5317); pinyin puts bei before shang before wu */
	assert_true(intl_collate("zh", "北京", "上海") < 0);
	assert_true(intl_collate("zh", "上海", "武汉") < 0);
	assert_true(intl_collate("zh", "武汉", "北京") > 0);
	assert_true(intl_collate("en", "apple", "Banana") < 0); /* strcmp says otherwise */
	assert_true(intl_collate("en", "Émile", "Fred") < 0);
	assert_int_equal(intl_collate("en", "same", "same"), 0);
	/* more languages than a thread keeps still compare, by bytes */
	const char *langs[] = {"fr", "de", "es", "it", "pt"};
	for (size_t i = 0; i < G_N_ELEMENTS(langs); i++)
		assert_true(intl_collate(langs[i], "a", "b") < 0);
}

/* The answers a thread remembers are the matcher's, per header and per list offered. */
static void test_accept_language_remembered(void **state)
{
	(void)state;
	static const char *const both[] = {"en", "zh", NULL}, *const english[] = {"en", NULL};
	for (int round = 0; round < 3; round++) {
		assert_string_equal(intl_accept_language("zh-TW,zh;q=0.9", both), "zh");
		assert_null(intl_accept_language("zh-TW,zh;q=0.9", english));
		assert_string_equal(intl_accept_language("fr, zh;q=0.5, en;q=0.4", both), "zh");
		assert_string_equal(intl_accept_language("zh;q=0.3, en;q=0.7", both), "en");
		assert_null(intl_accept_language("fr", both));
		assert_null(intl_accept_language("garbage;;;q=x", both));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_country_assigned),
		cmocka_unit_test(test_country_not_codes),
		cmocka_unit_test(test_country_user_assigned_xk),
		cmocka_unit_test(test_language_well_formed),
		cmocka_unit_test(test_language_malformed),
		cmocka_unit_test(test_language_long),
		cmocka_unit_test(test_names_and_dates_per_language),
		cmocka_unit_test(test_language_region),
		cmocka_unit_test(test_collation),
		cmocka_unit_test(test_accept_language_remembered),
	};
	return cmocka_run_group_tests_name("intl", tests, NULL, NULL);
}
