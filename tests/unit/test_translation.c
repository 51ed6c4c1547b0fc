/*
 * test_translation.c: unit tests of records' translations
 * (core/translation.h): their rules, and the JSON the store keeps of them,
 * which must read back as it was written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "report_asserts.h"
#include "core/translation.h"

static const struct translatable two = {
	"an organization", 2, {"name", "short_name"}, {TEXT_TITLE, TEXT_LINE}};
static const char *const both[] = {"Ministry of Commerce", "MOFCOM"};

#define VERSIONS(...) ((translations){(struct translation[]){__VA_ARGS__}, \
	sizeof((struct translation[]){__VA_ARGS__}) / sizeof(struct translation)})

static void check(const translations *t, const char *const *originals, struct report *r)
{
	report_init(r);
	check_translations(r, "organizations[0]", t, &two, originals);
}

static void test_sound_versions_pass(void **state)
{
	(void)state;
	translations t = VERSIONS({"zh", {"商务部", "商务部"}}, {"fr", {"Ministère du Commerce", NULL}},
				  {"zh-Hant-TW", {NULL, "商務部"}});
	struct report r;
	check(&t, both, &r);
	assert_count(&r, 0);
	report_free(&r);
}

static void test_each_problem_at_its_path(void **state)
{
	(void)state;
	translations t = VERSIONS({"en us", {"x", NULL}}, {"zh", {"", NULL}}, {"ZH", {"y", NULL}},
				  {"fr", {NULL, NULL}}, {"de", {"a\nb", NULL}});
	struct report r;
	check(&t, both, &r);
	assert_count(&r, 5);
	assert_line_prefix(&r, 0, "organizations[0].translations: 'en us' is not a well-formed");
	assert_line_prefix(&r, 1, "organizations[0].translations.zh.name: is empty");
	assert_line_prefix(&r, 2, "organizations[0].translations.ZH: the same language as zh");
	assert_line_prefix(&r, 3, "organizations[0].translations.fr: is empty: expected at least one of name, short_name");
	assert_line_prefix(&r, 4, "organizations[0].translations.de.name: control character U+000A");
	report_free(&r);
}

static void test_absent_original_and_limits(void **state)
{
	(void)state;
	char *long_name = g_strnfill(301, 'a');
	translations t = VERSIONS({"zh", {long_name, "短"}});
	struct report r;
	check(&t, (const char *const[]){"Ministry of Commerce", NULL}, &r);
	assert_count(&r, 2);
	assert_line_prefix(&r, 0, "organizations[0].translations.zh.name: has 301 characters");
	assert_line_prefix(&r, 1, "organizations[0].translations.zh.short_name: nothing to translate");
	report_free(&r);
	g_free(long_name);
}

static void test_find_ignores_case(void **state)
{
	(void)state;
	translations t = VERSIONS({"zh-Hans", {"商务部", NULL}});
	assert_non_null(translation_find(&t, "ZH-hans"));
	assert_null(translation_find(&t, "zh"));
	translations none = {0};
	assert_null(translation_find(&none, "zh"));
}

static void test_dump_is_canonical_and_loads_back(void **state)
{
	(void)state;
	translations t = VERSIONS({"zh", {"商务部", "商务部"}}, {"ar", {NULL, "وزارة"}}, {"fr", {"Ministère \"du\" Commerce", NULL}});
	char *json = translations_dump(&t, &two);
	assert_string_equal(json, "{\"ar\":{\"short_name\":\"وزارة\"},\"fr\":{\"name\":\"Ministère \\\"du\\\" Commerce\"},"
				  "\"zh\":{\"name\":\"商务部\",\"short_name\":\"商务部\"}}");
	struct arena a = ARENA_INIT;
	translations back;
	assert_true(translations_load(json, &two, &a, &back));
	assert_int_equal(back.n, 3);
	char *again = translations_dump(&back, &two);
	assert_string_equal(again, json);
	g_free(again);
	g_free(json);
	translations none = {0};
	assert_null(translations_dump(&none, &two));
	assert_true(translations_load(NULL, &two, &a, &back));
	assert_int_equal(back.n, 0);
	arena_free(&a);
}

static void test_load_refuses_what_dump_never_writes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "[]", "{\"zh\":\"x\"}", "{\"zh\":{\"kind\":\"x\"}}", "{\"zh\":{\"name\":5}}",
		"{\"zh\":{\"name\":\"a\"},\"zh\":{\"name\":\"b\"}}", "{\"zh\":{\"name\":\"a\"}", "null",
	};
	struct arena a = ARENA_INIT;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		translations out = {(struct translation *)1, 9};
		assert_false(translations_load(bad[i], &two, &a, &out));
		assert_int_equal(out.n, 0);
	}
	arena_free(&a);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sound_versions_pass),
		T(test_each_problem_at_its_path),
		T(test_absent_original_and_limits),
		T(test_find_ignores_case),
		T(test_dump_is_canonical_and_loads_back),
		T(test_load_refuses_what_dump_never_writes),
	};
	return cmocka_run_group_tests_name("translation", tests, NULL, NULL);
}
