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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_country_assigned),
		cmocka_unit_test(test_country_not_codes),
		cmocka_unit_test(test_country_user_assigned_xk),
		cmocka_unit_test(test_language_well_formed),
		cmocka_unit_test(test_language_malformed),
		cmocka_unit_test(test_language_long),
	};
	return cmocka_run_group_tests_name("intl", tests, NULL, NULL);
}
